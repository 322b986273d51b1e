//===- KernelGroup.cpp - Ops that run as one kernel -----------------------===//

#include "tilecast/Cost/KernelGroup.h"

#include "dialects/tilecast/TilecastDialect.h"
#include "tilecast/Cost/WorkloadOpInterface.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::tilecast;

KernelAttr tilecast::getKernelAttr(Operation *op) {
  return op->getAttrOfType<KernelAttr>(TilecastDialect::kKernelAttrName);
}

/// Whether `op` passes a tensor on as a view of it (a reshape, a cast): a
/// kernel reads through it, so members of a group may be connected through
/// it, and a value that reaches a member through it is the value it views.
static bool isView(Operation *op) {
  return isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
                         tensor::CastOp>(op) &&
         !getKernelAttr(op);
}

SmallVector<Operation *> tilecast::getKernelGroupMembers(Operation *op) {
  KernelAttr attr = getKernelAttr(op);
  Block *block = op->getBlock();
  if (!attr || !block)
    return {};
  auto isMember = [&](Operation *other) {
    KernelAttr otherAttr = other ? getKernelAttr(other) : KernelAttr();
    return otherAttr && other->getBlock() == block &&
           otherAttr.getGroup() == attr.getGroup();
  };
  // The ops of the same name that `op` reaches through the values they pass
  // one another, directly or through views: from a member to the producers
  // of its operands and to the users of its results (not to other users of
  // its operands: an inlined or unrolled block repeats its groups' names
  // over the same parameters, and each copy is a kernel of its own). Each
  // value is followed once each way.
  llvm::SetVector<Operation *> members;
  llvm::DenseSet<Value> followedUp, followedDown;
  SmallVector<Value> producers, consumers;
  auto addMember = [&](Operation *member) {
    if (!members.insert(member))
      return;
    llvm::append_range(producers, member->getOperands());
    llvm::append_range(consumers, member->getResults());
  };
  addMember(op);
  while (!producers.empty() || !consumers.empty()) {
    if (!producers.empty()) {
      Value value = producers.pop_back_val();
      if (!followedUp.insert(value).second)
        continue;
      Operation *def = value.getDefiningOp();
      if (isMember(def))
        addMember(def);
      else if (isView(def) && def->getBlock() == block)
        producers.push_back(def->getOperand(0));
      continue;
    }
    Value value = consumers.pop_back_val();
    if (!followedDown.insert(value).second)
      continue;
    for (Operation *user : value.getUsers()) {
      if (isMember(user))
        addMember(user);
      else if (isView(user) && user->getBlock() == block)
        consumers.push_back(user->getResult(0));
    }
  }
  SmallVector<Operation *> ordered = members.takeVector();
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ordered;
}

bool tilecast::isKernelGroupLeader(Operation *op) {
  // The group's cost is carried by its last member that runs a kernel of its
  // own (a fill that initialises another member's accumulator does not).
  auto carriesCost = [](Operation *member) {
    auto workload = dyn_cast<WorkloadOpInterface>(member);
    return workload && !workload.isFoldedIntoConsumers();
  };
  if (!getKernelAttr(op) || !carriesCost(op))
    return false;
  return llvm::none_of(getKernelGroupMembers(op), [&](Operation *member) {
    return op->isBeforeInBlock(member) && carriesCost(member);
  });
}

/// Whether `w` reduces rows. A reduction over one element (rows of length 1,
/// as a softmax's gradient has at sequence length 1) is element-wise work,
/// but its op still reduces: a row-wise group may be built around it.
static bool hasReduction(const OpWorkload &w) {
  return w.kind == WorkloadKind::Reduction || w.kind == WorkloadKind::Softmax ||
         w.kind == WorkloadKind::LayerNorm ||
         llvm::is_contained(w.loopRoles, LoopRole::Reduction);
}

static WorkloadKind getWorkloadKind(KernelKind kind) {
  switch (kind) {
  case KernelKind::elementwise:
    return WorkloadKind::Elementwise;
  case KernelKind::reduction:
    return WorkloadKind::Reduction;
  case KernelKind::softmax:
    return WorkloadKind::Softmax;
  case KernelKind::layernorm:
    return WorkloadKind::LayerNorm;
  case KernelKind::contraction:
    return WorkloadKind::Contraction;
  }
  llvm_unreachable("unknown kernel kind");
}

/// "a" or "an", as the name of `kind` reads.
static StringRef getArticle(KernelKind kind) {
  return kind == KernelKind::elementwise ? "an" : "a";
}

/// The member whose workload describes the group's iteration space: the
/// contraction of a contraction group, the largest reduction of a row-wise
/// group, else the largest member.
static FailureOr<size_t> pickRepresentative(ArrayRef<Operation *> members,
                                            ArrayRef<OpWorkload> workloads,
                                            KernelKind kind) {
  std::optional<size_t> best;
  auto larger = [&](size_t i) {
    return !best ||
           workloads[i].getIterations() > workloads[*best].getIterations();
  };
  for (size_t i = 0; i < workloads.size(); ++i) {
    const OpWorkload &w = workloads[i];
    // A group is costed as one kernel of its kind: a contraction's FMAs are
    // not streaming traffic, and no group kind prices a convolution (the
    // implicit GEMM of its own kernel).
    if (w.kind == WorkloadKind::Convolution) {
      InFlightDiagnostic diag =
          members[i]->emitError("a kernel group cannot hold a convolution");
      diag.attachNote() << "convolutions are costed as kernels of their own";
      return failure();
    }
    if (w.kind == WorkloadKind::Contraction &&
        kind != KernelKind::contraction) {
      InFlightDiagnostic diag = members[i]->emitError()
                                << getArticle(kind) << " '"
                                << stringifyKernelKind(kind)
                                << "' kernel group cannot hold a contraction";
      diag.attachNote()
          << "a kernel that computes a contraction is a 'contraction' group";
      return failure();
    }
    switch (kind) {
    case KernelKind::contraction:
      if (w.kind != WorkloadKind::Contraction)
        break;
      if (best) {
        InFlightDiagnostic diag =
            members[i]->emitError("a contraction kernel group has one "
                                  "contraction; this is the second");
        diag.attachNote(members[*best]->getLoc()) << "the first";
        return failure();
      }
      best = i;
      break;
    case KernelKind::softmax:
    case KernelKind::layernorm:
    case KernelKind::reduction:
      if (hasReduction(w) && larger(i))
        best = i;
      break;
    case KernelKind::elementwise:
      if (larger(i))
        best = i;
      break;
    }
  }
  if (best)
    return *best;
  InFlightDiagnostic diag =
      members.back()->emitError()
      << getArticle(kind) << " '" << stringifyKernelKind(kind)
      << "' kernel group needs "
      << (kind == KernelKind::contraction ? "a contraction" : "a reduction")
      << " among its members";
  diag.attachNote() << "mark the ops the kernel computes with the same group "
                       "name, or choose the kind that matches them";
  return failure();
}

FailureOr<OpWorkload>
tilecast::getKernelGroupWorkload(ArrayRef<Operation *> members,
                                 KernelKind kind) {
  assert(!members.empty() && "a kernel group has members");
  llvm::SmallPtrSet<Operation *, 8> inGroup(members.begin(), members.end());
  SmallVector<OpWorkload> workloads;
  for (Operation *member : members) {
    auto workloadOp = dyn_cast<WorkloadOpInterface>(member);
    if (!workloadOp || !isa<DestinationStyleOpInterface>(member)) {
      InFlightDiagnostic diag = member->emitError("cannot put '")
                                << member->getName() << "' in a kernel group";
      diag.attachNote() << "kernel groups are made of linalg ops and "
                           "linalg.softmax";
      return failure();
    }
    FailureOr<OpWorkload> workload = workloadOp.getWorkload();
    if (failed(workload))
      return failure();
    workloads.push_back(std::move(*workload));
  }
  FailureOr<size_t> representative =
      pickRepresentative(members, workloads, kind);
  if (failed(representative))
    return failure();

  OpWorkload group = workloads[*representative];
  group.kind = getWorkloadKind(kind);
  group.flops = group.transcendentals = group.exponentials = 0;
  group.bytesRead = group.bytesWritten = group.numInputs = 0;
  for (const OpWorkload &w : workloads) {
    group.flops += w.flops;
    group.transcendentals += w.transcendentals;
    group.exponentials += w.exponentials;
  }
  // Traffic: each tensor that enters the group is read once, each one that
  // leaves it (used outside, or by nothing) is written once. Views move no
  // data: a value that reaches a member through a reshape or a cast is the
  // value it views, inside the kernel as outside it.
  auto getSource = [&](Value value) {
    while (isView(value.getDefiningOp()))
      value = value.getDefiningOp()->getOperand(0);
    return value;
  };
  auto isExternal = [&](Value source) {
    Operation *def = source.getDefiningOp();
    return !def || !inGroup.contains(def);
  };
  llvm::DenseSet<Value> read;
  auto addInput = [&](Value value) {
    Value source = getSource(value);
    if (!isExternal(source) || !read.insert(source).second)
      return;
    int64_t bytes = getStaticShapedBytes(source.getType());
    group.bytesRead += bytes;
    group.numInputs += bytes > 0;
  };
  // Whether `value` is needed after the kernel: unused, or used, directly or
  // through reshapes, by an op outside the group. (A worklist: chains of
  // reshapes may be long.)
  auto leaves = [&](Value value) {
    SmallVector<Value> worklist = {value};
    while (!worklist.empty()) {
      Value next = worklist.pop_back_val();
      if (next.use_empty())
        return true;
      for (Operation *user : next.getUsers()) {
        if (inGroup.contains(user))
          continue;
        if (!isView(user))
          return true;
        worklist.push_back(user->getResult(0));
      }
    }
    return false;
  };
  for (Operation *member : members) {
    auto dps = cast<DestinationStyleOpInterface>(member);
    for (OpOperand *input : dps.getDpsInputOperands())
      addInput(input->get());
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(member)) {
      for (OpOperand &init : linalgOp.getDpsInitsMutable()) {
        Operation *def = init.get().getDefiningOp();
        bool inRegisters = def && (isa<tensor::EmptyOp>(def) || isFillOp(def));
        if (linalgOp.payloadUsesValueFromOperand(&init) && !inRegisters)
          addInput(init.get());
      }
    }
    for (Value result : member->getResults())
      if (leaves(result))
        group.bytesWritten += getStaticShapedBytes(result.getType());
  }
  group.numInputs = std::max<int64_t>(1, group.numInputs);
  return group;
}

FailureOr<OpWorkload> tilecast::getKernelWorkload(Operation *op) {
  if (KernelAttr attr = getKernelAttr(op)) {
    SmallVector<Operation *> members = getKernelGroupMembers(op);
    for (Operation *member : members) {
      KernelKind kind = getKernelAttr(member).getKind();
      if (kind == attr.getKind())
        continue;
      InFlightDiagnostic diag = member->emitError("kernel group '")
                                << attr.getGroup() << "' is marked '"
                                << stringifyKernelKind(kind) << "' here";
      diag.attachNote(op->getLoc())
          << "and '" << stringifyKernelKind(attr.getKind())
          << "' here; every member of a group names the same kind";
      return failure();
    }
    return getKernelGroupWorkload(members, attr.getKind());
  }
  return cast<WorkloadOpInterface>(op).getWorkload();
}

StringRef tilecast::getOpClassName(const OpWorkload &workload) {
  // The workload kinds' names, except that contractions split by batching and
  // names are identifiers (JSON keys, table columns).
  switch (workload.kind) {
  case WorkloadKind::Contraction:
    return workload.batch > 1 ? "bmm" : "gemm";
  case WorkloadKind::DataMovement:
    return "data_movement";
  default:
    return stringifyWorkloadKind(workload.kind);
  }
}
