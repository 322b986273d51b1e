//===- JitRunner.cpp - Timing linalg modules on the host CPU --------------===//

#include "JitRunner.h"

#include "passes/Passes.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <random>

using namespace mlir;
using namespace mlir::tilecast;

/// The lowering from linalg on tensors to the LLVM dialect
/// (../shared/MLIR22-NOTES.md, plus bufferization.clone -> memref), in two
/// parts: the parallel loops' lowering goes between them.
static constexpr const char *kBufferize =
    "func.func(linalg-generalize-named-ops),"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-deallocation-pipeline,convert-bufferization-to-memref";
/// scf.forall loops become tasks of at least {1} iterations each on the async
/// runtime's {0} threads: with {1} = ceil(iterations / threads), one block of
/// iterations per thread, the caller's included, so that a loop wakes each
/// other thread once.
static constexpr const char *kParallelLoops =
    "func.func(scf-forall-to-parallel),"
    "async-parallel-for{num-workers={0} min-task-size={1}},"
    "async-to-async-runtime,async-runtime-ref-counting,"
    "async-runtime-ref-counting-opt,convert-async-to-llvm";
static constexpr const char *kLowerToLLVM =
    "convert-linalg-to-loops,func.func(lower-vector-multi-reduction),"
    "convert-vector-to-scf{full-unroll=true},convert-scf-to-cf,"
    "expand-strided-metadata,lower-affine,"
    "convert-vector-to-llvm{vector-contract-lowering=outerproduct},"
    "finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,"
    "convert-ub-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,"
    "reconcile-unrealized-casts";

/// Register tiles of the vectorised contractions: 8 x 8 outputs (one 8-lane
/// f32 vector per row, eight rows of accumulators) over 8 steps of K. After
/// vectorisation the accumulator tile is hoisted out of the K loop, so it
/// stays in registers while A and B stream through (the structure of a BLAS
/// micro-kernel); vector.contract is lowered to outer products. Every tile
/// size the host's candidates allow, and every shape of the tiling
/// benchmark, is a multiple of it.
static constexpr const char *kVectorizeContractions = R"mlir(
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(
      %root: !transform.any_op {transform.readonly}) {
    %mm = transform.structured.match ops{["linalg.matmul"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %mmTile, %mmLoops:3 = transform.structured.tile_using_for %mm
        tile_sizes [8, 8, 8]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op)
    %bmm = transform.structured.match ops{["linalg.batch_matmul"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %bmmTile, %bmmLoops:4 = transform.structured.tile_using_for %bmm
        tile_sizes [1, 8, 8, 8]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op,
                                  !transform.any_op)
    // Convolutions: one output row of 8 pixels x 8 channels over 8 input
    // channels per register tile, the 3x3 window and the rows looped over;
    // decomposed to 1-d convolutions, which vectorise to contractions.
    %conv = transform.structured.match ops{["linalg.conv_2d_nhwc_hwcf"]}
        in %root : (!transform.any_op) -> !transform.any_op
    %convTile, %convLoops:7 = transform.structured.tile_using_for %conv
        tile_sizes [1, 1, 8, 8, 1, 1, 8]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op)
    %conv1d = transform.structured.decompose %convTile
        : (!transform.any_op) -> !transform.any_op
    transform.structured.vectorize %conv1d : !transform.any_op
    // A batch tile of one is a plain matmul: drop the unit batch dimension
    // so both vectorise to the same 2-d contraction.
    %mmGeneric = transform.structured.generalize %mmTile
        : (!transform.any_op) -> !transform.any_op
    %bmmGeneric = transform.structured.generalize %bmmTile
        : (!transform.any_op) -> !transform.any_op
    // @bench alone: the clock's declarations are func.func ops too.
    %funcs = transform.structured.match ops{["func.func"]}
        attributes {llvm.emit_c_interface} in %root
        : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %funcs {
      transform.apply_patterns.linalg.fold_unit_extent_dims_via_slices
    } : !transform.any_op
    %tiles = transform.structured.match ops{["linalg.generic"]} in %funcs
        : (!transform.any_op) -> !transform.any_op
    transform.structured.vectorize %tiles : !transform.any_op
    transform.apply_patterns to %funcs {
      transform.apply_patterns.vector.reduction_to_contract
      transform.apply_patterns.vector.transfer_permutation_patterns
      transform.apply_patterns.vector.cast_away_vector_leading_one_dim
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    transform.apply_patterns to %funcs {
      transform.apply_patterns.tensor.fold_tensor_subset_ops_into_vector_transfers
      transform.apply_patterns.tensor.fold_tensor_subset_ops
      transform.apply_patterns.tensor.merge_consecutive_insert_extract_slice
      transform.apply_patterns.tensor.drop_redundant_insert_slice_rank_expansion
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    %contracts = transform.structured.match ops{["vector.contract"]} in %funcs
        : (!transform.any_op) -> !transform.any_op
    %kLoops = transform.get_parent_op %contracts {op_name = "scf.for"}
        : (!transform.any_op) -> !transform.any_op
    transform.loop.hoist_loop_invariant_subsets %kLoops : !transform.any_op
    transform.yield
  }
}
)mlir";

LogicalResult bench::vectorizeContractions(ModuleOp module) {
  MLIRContext *context = module.getContext();
  OwningOpRef<ModuleOp> script =
      parseSourceString<ModuleOp>(kVectorizeContractions, context);
  if (!script)
    return failure();
  module.getBody()->push_back(script.release());
  PassManager pm(context);
  if (failed(parsePassPipeline("transform-interpreter", pm)) ||
      failed(pm.run(module)))
    return failure();
  // The script has no LLVM form.
  for (auto nested : llvm::make_early_inc_range(module.getOps<ModuleOp>()))
    if (nested->hasAttr("transform.with_named_sequence"))
      nested.erase();
  return success();
}

std::unique_ptr<MLIRContext> bench::createJitContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerTilecastDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerAllPasses();
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  return context;
}

namespace {
/// MLIR's async runtime (mlir/lib/ExecutionEngine/AsyncRuntime.cpp), which
/// runs the parallel loops' tasks on its own pool of threads.
struct AsyncRuntime {
  using TaskFn = void (*)(void *);
  using ExecuteFn = void (*)(void *, TaskFn);
  using CountFn = int64_t (*)();

  /// The runtime's symbols, as ExecutionEngine::registerSymbols takes them.
  llvm::StringMap<void *> symbols;
  /// mlirAsyncRuntimeExecute: runs `task(handle)` on a thread of the pool.
  ExecuteFn execute = nullptr;
  /// The most threads the pool runs (mlirAsyncRuntimGetNumWorkerThreads,
  /// so spelled upstream): its llvm::DefaultThreadPool's concurrency.
  int64_t workers = 0;
};
} // namespace

/// The async runtime once loadAsyncRuntime has loaded it, else null.
static std::atomic<const AsyncRuntime *> loadedAsyncRuntime{nullptr};

/// Loads the async runtime's library and looks its entry points up, or
/// returns null after saying why.
static const AsyncRuntime *openAsyncRuntime() {
  std::string error;
  llvm::sys::DynamicLibrary library =
      llvm::sys::DynamicLibrary::getPermanentLibrary(
          TILECAST_MLIR_ASYNC_RUNTIME, &error);
  if (!library.isValid()) {
    llvm::errs() << "tilecast-bench: cannot load MLIR's async runtime: "
                 << error << "\n";
    return nullptr;
  }
  using InitFn = void (*)(llvm::StringMap<void *> &);
  auto init = reinterpret_cast<InitFn>(
      library.getAddressOfSymbol("__mlir_execution_engine_init"));
  auto execute = reinterpret_cast<AsyncRuntime::ExecuteFn>(
      library.getAddressOfSymbol("mlirAsyncRuntimeExecute"));
  auto workers = reinterpret_cast<AsyncRuntime::CountFn>(
      library.getAddressOfSymbol("mlirAsyncRuntimGetNumWorkerThreads"));
  if (!init || !execute || !workers) {
    llvm::errs() << "tilecast-bench: " << TILECAST_MLIR_ASYNC_RUNTIME
                 << " lacks __mlir_execution_engine_init, "
                    "mlirAsyncRuntimeExecute or "
                    "mlirAsyncRuntimGetNumWorkerThreads\n";
    return nullptr;
  }
  auto *loaded = new AsyncRuntime();
  init(loaded->symbols);
  loaded->execute = execute;
  loaded->workers = workers();
  return loaded;
}

/// The async runtime, loaded on the first call, or null if it cannot be
/// loaded. The library is loaded once, for the whole process, and its
/// symbols given to every engine: an engine that loaded it itself
/// (ExecutionEngineOptions::sharedLibPaths) would shut the runtime down when
/// destroyed (__mlir_execution_engine_destroy), under every other engine.
static const AsyncRuntime *loadAsyncRuntime() {
  static std::once_flag once;
  std::call_once(once, [] { loadedAsyncRuntime = openAsyncRuntime(); });
  return loadedAsyncRuntime.load();
}

/// Returns once no thread of the async runtime's pool runs a task it was
/// given before, so that the engines whose code the tasks ran can be
/// destroyed. A parallel loop's caller goes on as soon as the last task has
/// marked itself done (mlirAsyncRuntimeEmplaceToken), while the thread that
/// ran it is still returning through the engine's code; destroying the
/// engine then unmaps that code under it (a crash seen in CI, on a busy
/// machine). This gives every thread of the pool one task that waits until
/// all of them have started: each thread has then finished whatever it ran
/// before.
static LogicalResult waitForAsyncWorkers() {
  const AsyncRuntime *runtime = loadedAsyncRuntime.load();
  if (!runtime)
    return success(); // Nothing ran on the pool.
  // Shared with the tasks, which may outlive this call by the few
  // instructions after their last wake-up.
  struct Rendezvous {
    std::mutex mutex;
    std::condition_variable changed;
    int64_t started = 0;
    bool released = false;
  };
  auto rendezvous = std::make_shared<Rendezvous>();
  AsyncRuntime::TaskFn meet = [](void *handle) {
    std::unique_ptr<std::shared_ptr<Rendezvous>> owned(
        static_cast<std::shared_ptr<Rendezvous> *>(handle));
    Rendezvous &r = **owned;
    std::unique_lock<std::mutex> lock(r.mutex);
    ++r.started;
    r.changed.notify_all();
    r.changed.wait(lock, [&] { return r.released; });
  };
  for (int64_t i = 0; i < runtime->workers; ++i)
    runtime->execute(new std::shared_ptr<Rendezvous>(rendezvous), meet);
  std::unique_lock<std::mutex> lock(rendezvous->mutex);
  // A benchmark's tasks take milliseconds; a pool still busy after a minute
  // is not going to come free.
  bool allStarted =
      rendezvous->changed.wait_for(lock, std::chrono::minutes(1), [&] {
        return rendezvous->started == runtime->workers;
      });
  rendezvous->released = true;
  rendezvous->changed.notify_all();
  if (!allStarted) {
    llvm::errs() << "tilecast-bench: the async runtime's " << runtime->workers
                 << " threads did not come free within a minute\n";
    return failure();
  }
  return success();
}

/// The clock of @bench functions (printBenchFunctionStart): microseconds of the
/// steady clock; the stop clock's argument only keeps the timed work live.
extern "C" double tilecast_bench_start_us() {
  return std::chrono::duration<double, std::micro>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
extern "C" double tilecast_bench_stop_us(float) {
  return tilecast_bench_start_us();
}

FailureOr<std::unique_ptr<ExecutionEngine>>
bench::compileBenchModule(ModuleOp module, int threads, int64_t minTaskSize) {
  module->walk([](Operation *op) {
    SmallVector<StringAttr> names;
    for (NamedAttribute attr : op->getDiscardableAttrs())
      if (attr.getName().getValue().starts_with("tilecast."))
        names.push_back(attr.getName());
    for (StringAttr name : names)
      op->removeDiscardableAttr(name);
  });
  std::string pipeline = kBufferize;
  pipeline +=
      threads > 1
          ? "," + llvm::formatv(kParallelLoops, threads, minTaskSize).str()
          : std::string(",func.func(scf-forall-to-for)");
  pipeline += ",";
  pipeline += kLowerToLLVM;
  PassManager lowering(module.getContext());
  if (failed(parsePassPipeline(pipeline, lowering)) ||
      failed(lowering.run(module)))
    return failure();
  const AsyncRuntime *asyncRuntime = nullptr;
  if (threads > 1 && !(asyncRuntime = loadAsyncRuntime()))
    return failure();
  ExecutionEngineOptions options;
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3, 0, nullptr);
  options.transformer = transformer;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine) {
    llvm::consumeError(engine.takeError());
    return failure();
  }
  (*engine)->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](StringRef name, void *address) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                 llvm::JITSymbolFlags::Exported};
    };
    add(bench::kStartClock, reinterpret_cast<void *>(&tilecast_bench_start_us));
    add(bench::kStopClock, reinterpret_cast<void *>(&tilecast_bench_stop_us));
    if (asyncRuntime)
      for (const auto &[name, address] : asyncRuntime->symbols)
        add(name, address);
    return symbols;
  });
  return std::move(*engine);
}

void bench::printBenchFunctionStart(raw_ostream &os) {
  os << "func.func private @" << kStartClock << "() -> f64\n"
     << "func.func private @" << kStopClock << "(f32) -> f64\n"
     << "func.func @bench() -> f64 attributes {llvm.emit_c_interface} {\n";
}

void bench::printStartClock(raw_ostream &os) {
  os << "  %clock_start = func.call @" << kStartClock << "() : () -> f64\n";
}

void bench::printStopClockAndReturn(raw_ostream &os, StringRef value) {
  os << "  %clock_stop = func.call @" << kStopClock << "(" << value
     << ") : (f32) -> f64\n"
     << "  %clock_us = arith.subf %clock_stop, %clock_start : f64\n"
     << "  return %clock_us : f64\n}\n";
}

TargetSpec bench::getCores(TargetSpec spec, int threads) {
  assert(threads >= 1 && threads <= spec.computeUnits &&
         "a thread per core, at most every core");
  for (double &peak : spec.peakTflops)
    peak *= double(threads) / double(spec.computeUnits);
  spec.computeUnits = threads;
  return spec;
}

/// Makes freed memory stay with the process, so that the buffers a bench
/// module allocates and frees in every run come back already mapped in the
/// next. By default glibc serves large allocations with fresh mmap pages
/// and trims the freed top of its heap, and the first write to each 4 KiB
/// page then faults into the kernel: about 10 us a page on the Zen 5 guest,
/// where writing the page takes about 0.06 us (a fresh 1 MiB buffer: 2.5 ms
/// to touch its 256 pages, then 15 us to memset it). Whether a run's buffers
/// faulted depended on glibc's allocation history, and decided its time:
/// `tilecast-bench fusion`'s unfused `add,mul 2048x2048` took 203 ms with
/// faults and 5.6 ms without (docs/tiling.md). Buffers smaller than
/// kLargestHeapAllocationBytes then come from the heap, which is never
/// trimmed; larger ones still fault. This changes the process's allocator
/// for good, which suits a benchmark process. Once per process; nothing
/// where the C library is not glibc.
static void keepFreedMemoryMapped() {
#if defined(__GLIBC__)
  // The largest mmap threshold glibc accepts on 64-bit systems
  // (DEFAULT_MMAP_THRESHOLD_MAX in glibc's malloc.c: 4 MiB x sizeof(long)).
  // The benchmarks' largest buffer is 16 MiB (fusion, 2048 x 2048 f32).
  constexpr int kLargestHeapAllocationBytes = 32 << 20;
  static const bool configured = [] {
    // mallopt returns 0 for a value it refuses.
    bool kept = mallopt(M_MMAP_THRESHOLD, kLargestHeapAllocationBytes) != 0 &&
                mallopt(M_TRIM_THRESHOLD, -1) != 0;
    if (!kept)
      llvm::errs() << "tilecast-bench: warning: glibc refused to keep freed "
                      "memory mapped; timings may include page faults\n";
    return kept;
  }();
  (void)configured;
#endif
}

/// The seed of the turn orders of timeInTurns' first call; its n-th call
/// uses kTurnOrderSeed + n.
static constexpr unsigned kTurnOrderSeed = 20261205;

FailureOr<bench::TurnTimes>
bench::timeInTurns(ArrayRef<ExecutionEngine *> engines, int runs) {
  if (runs < 1 || engines.empty())
    return failure();
  keepFreedMemoryMapped();
  // Look the entry points up once, before any run.
  SmallVector<void (*)(void **)> entries;
  for (ExecutionEngine *engine : engines) {
    llvm::Expected<void (*)(void **)> entry =
        engine->lookupPacked("_mlir_ciface_bench");
    if (!entry) {
      llvm::consumeError(entry.takeError());
      return failure();
    }
    entries.push_back(*entry);
  }
  size_t count = engines.size();
  constexpr double kNotTimed = std::numeric_limits<double>::infinity();
  TurnTimes times;
  times.fastestUs.assign(count, kNotTimed);
  SmallVector<double> odd(count, kNotTimed), even(count, kNotTimed);
  // Each round runs the engines in a new order, so that no engine always
  // follows the same one: the state a run leaves for the next (the caches,
  // and which core holds the buffers the next run reuses) falls on all of
  // them alike.
  // Seeded, so that the orders repeat from run to run of the benchmark.
  // Every call (every shape) has its own sequence of orders, so that no
  // position of a sample follows the same one in every shape; llvm::shuffle
  // gives the same orders with every standard library.
  static std::atomic<unsigned> calls{0};
  SmallVector<size_t> order = llvm::to_vector(llvm::seq<size_t>(0, count));
  std::mt19937 shuffler(kTurnOrderSeed + calls++);
  for (int round = 0; round <= runs; ++round) {
    if (round > 0)
      llvm::shuffle(order.begin(), order.end(), shuffler);
    for (size_t i : order) {
      double us = 0;
      void *args[] = {&us};
      entries[i](args);
      if (round == 0) // Round 0 warms up.
        continue;
      times.fastestUs[i] = std::min(times.fastestUs[i], us);
      double &half = round % 2 ? odd[i] : even[i];
      half = std::min(half, us);
    }
  }
  if (failed(waitForAsyncWorkers()))
    return failure();
  if (runs >= 2) {
    times.oddRoundsUs = std::move(odd);
    times.evenRoundsUs = std::move(even);
  }
  return times;
}
