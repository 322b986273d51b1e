//===- HostCalibration.cpp - Measure the host CPU into a target spec ------===//
//
// The micro-kernels are MLIR text in the vector dialect, so they are
// vectorised by construction (no auto-vectoriser involved): a loop of
// vector.fma for the FLOP/s, a loop of vector.load + arith.addf for the read
// bandwidth. They are lowered to the LLVM dialect, JIT-compiled at -O3 for the
// host CPU (name and features detected by LLVM) and called through their C
// interface from std::threads.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Target/HostCalibration.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <thread>
#include <unistd.h>

using namespace mlir;
using namespace mlir::tilecast;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// Independent FMA accumulators. FMA latency x FMA pipes is 4 x 2 = 8 on Zen
/// 4 and Intel since Skylake (Agner Fog, instruction tables); 12 covers a
/// latency of 6 on two pipes and still fits 16 vector registers with the two
/// constant operands.
static constexpr int kFmaAccumulators = 12;
/// Independent add accumulators of the bandwidth kernel (FP add latency 3 x 2
/// pipes on Zen 4; 8 keeps two loads per cycle busy).
static constexpr int kSumAccumulators = 8;
/// Fallback cache sizes when neither sysfs nor sysconf describe the caches:
/// typical of current x86 and Arm server cores.
static constexpr uint64_t kFallbackL1dBytes = 32 * 1024;
static constexpr uint64_t kFallbackL2Bytes = 1024 * 1024;
/// The DRAM working set is at least this many times the last-level cache and
/// at least kMinDramBytes, so that a sequential sweep misses the cache.
static constexpr uint64_t kDramOverLastLevel = 4;
static constexpr uint64_t kMinDramBytes = 64ull * 1024 * 1024;
/// ... and at most the machine's memory over this: a reported last-level
/// cache can be far larger than a guest's share of it (isL3Contradicted),
/// and the probe must not exhaust the memory.
static constexpr uint64_t kMemoryOverDramBytes = 4;
/// Scalar FMA throughput bound: two FMA pipes x 2 flops. A kernel above it
/// per cycle must be using SIMD.
static constexpr double kScalarFlopsPerCycle = 4.0;

//===----------------------------------------------------------------------===//
// Reading the machine's description
//===----------------------------------------------------------------------===//

/// The text of a (proc or sys) file, empty if it cannot be read.
static std::string readSmallFile(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFileAsStream(path);
  if (!buffer)
    return "";
  return (*buffer)->getBuffer().trim().str();
}

/// Every value of `key` in /proc/cpuinfo ("key<tabs>: value" lines).
static SmallVector<std::string> readCpuinfo(StringRef key) {
  SmallVector<std::string> values;
  std::string text = readSmallFile("/proc/cpuinfo");
  SmallVector<StringRef> lines;
  StringRef(text).split(lines, '\n');
  for (StringRef line : lines) {
    auto [name, value] = line.split(':');
    if (name.trim() == key)
      values.push_back(value.trim().str());
  }
  return values;
}

/// A sysfs cache size such as "32K", "1024K" or "32M", in bytes.
static uint64_t parseCacheSize(StringRef text) {
  uint64_t multiplier = 1;
  if (text.consume_back("K"))
    multiplier = 1024;
  else if (text.consume_back("M"))
    multiplier = 1024 * 1024;
  uint64_t value = 0;
  if (text.getAsInteger(10, value))
    return 0;
  return value * multiplier;
}

/// Cache sizes: sysfs of cpu0 first (it describes the caches the VM shows,
/// e.g. lscpu's), then glibc's sysconf (cpuid-based; it reports a 320 MiB
/// L3 on the development VM, hence second), then kFallback*.
static HostCacheSizes readCacheSizes() {
  HostCacheSizes caches;
  for (int index = 0; index < 8; ++index) {
    std::string dir =
        llvm::formatv("/sys/devices/system/cpu/cpu0/cache/index{0}", index);
    std::string level = readSmallFile(dir + "/level");
    if (level.empty())
      break;
    std::string type = readSmallFile(dir + "/type");
    uint64_t bytes = parseCacheSize(readSmallFile(dir + "/size"));
    if (level == "1" && type == "Data")
      caches.l1dBytes = bytes;
    else if (level == "2" && type != "Instruction")
      caches.l2Bytes = bytes;
    else if (level == "3" && type != "Instruction")
      caches.l3Bytes = bytes;
  }
  if (caches.l1dBytes && caches.l2Bytes) {
    caches.source = "/sys/devices/system/cpu/cpu0/cache";
    return caches;
  }
  long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE),
       l2 = sysconf(_SC_LEVEL2_CACHE_SIZE), l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
  if (l1 > 0 && l2 > 0) {
    caches.l1dBytes = l1;
    caches.l2Bytes = l2;
    caches.l3Bytes = l3 > 0 ? l3 : 0;
    caches.source = "sysconf(_SC_LEVEL*_CACHE_SIZE)";
    return caches;
  }
  caches.l1dBytes = kFallbackL1dBytes;
  caches.l2Bytes = kFallbackL2Bytes;
  caches.l3Bytes = 0;
  caches.source = "fallback (no sysfs or sysconf cache sizes): 32 KiB L1d, "
                  "1 MiB L2, no L3";
  return caches;
}

/// The clock: the highest "cpu MHz" of /proc/cpuinfo (in a KVM guest, the
/// TSC rate), else cpufreq's cpuinfo_max_freq; 0 if neither exists (then
/// the clock is derived from the measured FLOP/s).
static std::pair<double, std::string> readClockMhz() {
  double best = 0;
  for (const std::string &value : readCpuinfo("cpu MHz")) {
    double mhz = 0;
    if (!StringRef(value).getAsDouble(mhz))
      best = std::max(best, mhz);
  }
  if (best > 0)
    return {best, "/proc/cpuinfo 'cpu MHz' (highest over the CPUs)"};
  uint64_t khz = 0;
  if (!StringRef(readSmallFile(
                     "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"))
           .getAsInteger(10, khz) &&
      khz > 0)
    return {khz / 1000.0, "cpufreq cpuinfo_max_freq"};
  return {0.0, ""};
}

static std::string readVendor() {
  SmallVector<std::string> ids = readCpuinfo("vendor_id");
  if (!ids.empty()) {
    if (ids.front() == "AuthenticAMD")
      return "amd";
    if (ids.front() == "GenuineIntel")
      return "intel";
    return StringRef(ids.front()).lower();
  }
  if (!readCpuinfo("CPU implementer").empty())
    return "arm";
  return "unknown";
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// @fma(%iters, %seed): kFmaAccumulators independent chains of
/// acc = fma(acc, 0.5, 0.5) on vector<lanes x type>, `iters` times; returns
/// their sum so that nothing is dead.
static std::string makeFmaKernel(StringRef type, unsigned lanes) {
  std::string vec = llvm::formatv("vector<{0}x{1}>", lanes, type);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "func.func @fma(%iters: index, %seed: " << type << ") -> " << type
     << " attributes {llvm.emit_c_interface} {\n"
     << "  %c0 = arith.constant 0 : index\n  %c1 = arith.constant 1 : index\n"
     << "  %half = arith.constant dense<0.5> : " << vec << "\n";
  for (int i = 0; i < kFmaAccumulators; ++i)
    os << llvm::formatv("  %o{0} = arith.constant {0}.0 : {1}\n"
                        "  %s{0} = arith.addf %seed, %o{0} : {1}\n"
                        "  %x{0} = vector.broadcast %s{0} : {1} to {2}\n",
                        i, type, vec);
  os << "  %r:" << kFmaAccumulators
     << " = scf.for %i = %c0 to %iters step %c1 iter_args(";
  for (int i = 0; i < kFmaAccumulators; ++i)
    os << (i ? ", " : "") << "%a" << i << " = %x" << i;
  os << ") -> (";
  for (int i = 0; i < kFmaAccumulators; ++i)
    os << (i ? ", " : "") << vec;
  os << ") {\n";
  for (int i = 0; i < kFmaAccumulators; ++i)
    os << llvm::formatv("    %y{0} = vector.fma %a{0}, %half, %half : {1}\n", i,
                        vec);
  os << "    scf.yield ";
  for (int i = 0; i < kFmaAccumulators; ++i)
    os << (i ? ", " : "") << "%y" << i;
  os << " : ";
  for (int i = 0; i < kFmaAccumulators; ++i)
    os << (i ? ", " : "") << vec;
  os << "\n  }\n  %t0 = arith.addf %r#0, %r#1 : " << vec << "\n";
  for (int i = 2; i < kFmaAccumulators; ++i)
    os << llvm::formatv("  %t{0} = arith.addf %t{1}, %r#{2} : {3}\n", i - 1,
                        i - 2, i, vec);
  os << "  %sum = vector.reduction <add>, %t" << kFmaAccumulators - 2 << " : "
     << vec << " into " << type << "\n  return %sum : " << type << "\n}\n";
  return text;
}

/// @sum(%buf, %reps): sums the f32 buffer `reps` times with
/// kSumAccumulators vector accumulators (vector.load + arith.addf). The
/// buffer's length must be a multiple of kSumAccumulators x lanes.
static std::string makeSumKernel(unsigned lanes) {
  std::string vec = llvm::formatv("vector<{0}xf32>", lanes);
  std::string accTypes;
  for (int i = 0; i < kSumAccumulators; ++i)
    accTypes += (i ? ", " : "") + vec;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "func.func @sum(%buf: memref<?xf32>, %reps: index) -> f32 "
        "attributes {llvm.emit_c_interface} {\n"
     << "  %c0 = arith.constant 0 : index\n  %c1 = arith.constant 1 : index\n"
     << "  %n = memref.dim %buf, %c0 : memref<?xf32>\n"
     << "  %step = arith.constant " << kSumAccumulators * lanes << " : index\n"
     << "  %zero = arith.constant dense<0.0> : " << vec << "\n";
  for (int i = 1; i < kSumAccumulators; ++i)
    os << llvm::formatv("  %off{0} = arith.constant {1} : index\n", i,
                        i * lanes);
  auto iterArgs = [&](StringRef prefix, StringRef init) {
    std::string s;
    for (int i = 0; i < kSumAccumulators; ++i)
      s += llvm::formatv("{0}%{1}{2} = {3}", i ? ", " : "", prefix, i,
                         init.empty() ? ("%zero") : (init + Twine(i)).str());
    return s;
  };
  os << "  %r:" << kSumAccumulators
     << " = scf.for %rep = %c0 to %reps step %c1 iter_args("
     << iterArgs("p", "") << ") -> (" << accTypes << ") {\n"
     << "    %s:" << kSumAccumulators
     << " = scf.for %i = %c0 to %n step %step iter_args(" << iterArgs("q", "%p")
     << ") -> (" << accTypes << ") {\n";
  for (int i = 0; i < kSumAccumulators; ++i) {
    if (i == 0)
      os << "      %i0 = arith.addi %i, %c0 : index\n";
    else
      os << llvm::formatv("      %i{0} = arith.addi %i, %off{0} : index\n", i);
    os << llvm::formatv("      %v{0} = vector.load %buf[%i{0}] : "
                        "memref<?xf32>, {1}\n"
                        "      %b{0} = arith.addf %q{0}, %v{0} : {1}\n",
                        i, vec);
  }
  os << "      scf.yield ";
  for (int i = 0; i < kSumAccumulators; ++i)
    os << (i ? ", " : "") << "%b" << i;
  os << " : " << accTypes << "\n    }\n    scf.yield ";
  for (int i = 0; i < kSumAccumulators; ++i)
    os << (i ? ", " : "") << "%s#" << i;
  os << " : " << accTypes << "\n  }\n  %t0 = arith.addf %r#0, %r#1 : " << vec
     << "\n";
  for (int i = 2; i < kSumAccumulators; ++i)
    os << llvm::formatv("  %t{0} = arith.addf %t{1}, %r#{2} : {3}\n", i - 1,
                        i - 2, i, vec);
  os << "  %total = vector.reduction <add>, %t" << kSumAccumulators - 2 << " : "
     << vec << " into f32\n  return %total : f32\n}\n";
  return text;
}

//===----------------------------------------------------------------------===//
// JIT
//===----------------------------------------------------------------------===//

namespace {
/// Parses, lowers and JIT-compiles kernels for the host CPU.
class KernelCompiler {
public:
  KernelCompiler() {
    DialectRegistry registry;
    registry.insert<arith::ArithDialect, cf::ControlFlowDialect,
                    func::FuncDialect, LLVM::LLVMDialect, memref::MemRefDialect,
                    scf::SCFDialect, vector::VectorDialect>();
    registerBuiltinDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// The engine holding the compiled `source`; a failure is described in
  /// `error`.
  FailureOr<std::unique_ptr<ExecutionEngine>> compile(StringRef source,
                                                      std::string &error);

private:
  MLIRContext context;
};
} // namespace

FailureOr<std::unique_ptr<ExecutionEngine>>
KernelCompiler::compile(StringRef source, std::string &error) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  if (!module) {
    error = "the kernel does not parse";
    return failure();
  }
  PassManager pm(&context);
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  if (failed(pm.run(*module))) {
    error = "the kernel does not lower to the LLVM dialect";
    return failure();
  }
  // The optimisation pipeline gets the host's target machine, so that it
  // sees the host's vector features (the JIT's code generator detects them
  // itself).
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    error = llvm::toString(builder.takeError());
    return failure();
  }
  auto machine = builder->createTargetMachine();
  if (!machine) {
    error = llvm::toString(machine.takeError());
    return failure();
  }
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                               machine->get());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(*module, options);
  if (!engine) {
    error = llvm::toString(engine.takeError());
    return failure();
  }
  return std::move(*engine);
}

template <typename Fn>
static FailureOr<Fn> lookupKernel(ExecutionEngine &engine, StringRef name,
                                  std::string &error) {
  auto symbol = engine.lookup(("_mlir_ciface_" + name).str());
  if (!symbol) {
    error = llvm::toString(symbol.takeError());
    return failure();
  }
  return reinterpret_cast<Fn>(*symbol);
}

//===----------------------------------------------------------------------===//
// Timing
//===----------------------------------------------------------------------===//

/// Keeps the kernels' results alive; atomic because the threads of the
/// all-core runs store to it at once.
static std::atomic<double> sink;

static double secondsOf(function_ref<void()> fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Seconds per unit of `count` of `run(count)`: the count is doubled until a
/// run takes options.minRunSeconds, then the median of options.repeats runs
/// (after the sizing runs, which warm caches and pages) is kept.
static double medianSecondsPerCount(function_ref<void(int64_t)> run,
                                    const HostCalibrationOptions &options) {
  int64_t count = 1;
  while (secondsOf([&] { run(count); }) < options.minRunSeconds &&
         count < (int64_t(1) << 40))
    count *= 2;
  SmallVector<double> times;
  for (int i = 0; i < std::max(1, options.repeats); ++i)
    times.push_back(secondsOf([&] { run(count); }) / count);
  llvm::sort(times);
  return times[times.size() / 2];
}

/// Runs `body(thread)` on `threads` threads at once.
static void runOnThreads(unsigned threads, function_ref<void(unsigned)> body) {
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&body, t] { body(t); });
  body(0);
  for (std::thread &thread : pool)
    thread.join();
}

/// Probes of the parallel start (measureParallelStartSeconds): an odd count,
/// so that the median is one probe's time; 301 take 0.01-0.02 s back to
/// back and 0.3-0.4 s after kIdleGapSeconds each.
static constexpr int kParallelStartProbes = 301;
/// The serial work before each probe. A core left idle wakes quickly for a
/// while and slowly after that (a KVM guest's vCPU polls for
/// halt_poll_ns, 200 us by default, before it halts; bare metal enters
/// deeper C-states): on the 2-vCPU Zen 5 guest the start was 24.4-25.3 us
/// after 0-100 us of serial work and 53.9-59.7 us after 200-1000 us. The
/// start between loops that follow each other, as a compiled model's
/// kernels do, is taken after 20 us (a fill between two matmuls); an
/// isolated loop's after 1 ms.
static constexpr double kBackToBackGapSeconds = 20e-6;
static constexpr double kIdleGapSeconds = 1e-3;

/// What starting a parallel loop costs after `gapSeconds` of work on the
/// calling core alone: each of `cores` - 1 threads of a thread pool (LLVM's,
/// which MLIR's async runtime uses too), parked between tasks, is handed a
/// task, and the caller waits for them. The tasks wait for each other, so
/// that every thread has woken (a thread that took two tasks would hide
/// another's wake-up). The median round trip over kParallelStartProbes
/// probes; 0 with one core.
static double measureParallelStartSeconds(unsigned cores, double gapSeconds) {
  if (cores < 2)
    return 0;
  unsigned workers = cores - 1;
  llvm::DefaultThreadPool pool(llvm::hardware_concurrency(workers));
  SmallVector<double> times;
  // One probe more than counted: the first starts the pool's threads.
  for (int probe = 0; probe <= kParallelStartProbes; ++probe) {
    auto gapEnd = std::chrono::steady_clock::now() +
                  std::chrono::duration<double>(gapSeconds);
    while (std::chrono::steady_clock::now() < gapEnd) {
      // The calling core is busy, as between two parallel loops.
    }
    std::atomic<unsigned> started{0};
    double seconds = secondsOf([&] {
      for (unsigned t = 0; t < workers; ++t)
        pool.async([&started, workers] {
          started.fetch_add(1, std::memory_order_acq_rel);
          while (started.load(std::memory_order_acquire) < workers)
            std::this_thread::yield();
        });
      pool.wait();
    });
    if (probe > 0)
      times.push_back(seconds);
  }
  llvm::sort(times);
  return times[times.size() / 2];
}

namespace {
/// A 64-byte aligned f32 buffer of ones.
struct Buffer {
  /// The buffer, or null if the memory cannot be allocated.
  static std::unique_ptr<Buffer> allocate(uint64_t floats) {
    auto *data = static_cast<float *>(
        std::aligned_alloc(64, std::max<uint64_t>(floats, 16) * 4));
    if (!data)
      return nullptr;
    std::fill(data, data + floats, 1.0f);
    return std::unique_ptr<Buffer>(new Buffer(data, floats));
  }
  ~Buffer() { std::free(data); }
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
  StridedMemRefType<float, 1> descriptor() const {
    return {data, data, 0, {int64_t(floats)}, {1}};
  }
  float *data;
  uint64_t floats;

private:
  Buffer(float *data, uint64_t floats) : data(data), floats(floats) {}
};
} // namespace

using FmaF32Fn = float (*)(int64_t, float);
using FmaF64Fn = double (*)(int64_t, double);
using SumFn = float (*)(StridedMemRefType<float, 1> *, int64_t);

//===----------------------------------------------------------------------===//
// measureHost
//===----------------------------------------------------------------------===//

static void describeHost(HostMeasurements &m) {
  m.llvmCpuName = llvm::sys::getHostCPUName().str();
  SmallVector<std::string> models = readCpuinfo("model name");
  m.modelName = models.empty() ? m.llvmCpuName : models.front();
  m.vendor = readVendor();
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  m.vectorBits = features.lookup("avx512f") ? 512
                 : features.lookup("avx")   ? 256
                                            : 128;
  m.f32Lanes = m.vectorBits / 32;
  m.cores = std::max(1u, std::thread::hardware_concurrency());
  std::tie(m.clockMhz, m.clockSource) = readClockMhz();
  m.caches = readCacheSizes();
  long pages = sysconf(_SC_PHYS_PAGES), pageBytes = sysconf(_SC_PAGESIZE);
  m.memoryGib = pages > 0 && pageBytes > 0
                    ? double(pages) * pageBytes / (1024.0 * 1024 * 1024)
                    : 1.0;
}

SmallVector<std::pair<std::string, uint64_t>>
tilecast::getBandwidthWorkingSets(const HostCacheSizes &caches, unsigned lanes,
                                  double memoryGib) {
  uint64_t step = kSumAccumulators * lanes * sizeof(float);
  auto round = [&](uint64_t bytes) {
    return std::max(step, bytes / step * step);
  };
  uint64_t lastLevel = caches.l3Bytes ? caches.l3Bytes : caches.l2Bytes;
  SmallVector<std::pair<std::string, uint64_t>> sets;
  // Half of a private cache leaves room for the stack and the code.
  sets.push_back({"L1", round(caches.l1dBytes / 2)});
  sets.push_back(
      {"L2", round(std::max(caches.l2Bytes / 2, 2 * caches.l1dBytes))});
  // A quarter of the shared L3: other cores (and, in a VM, other guests)
  // use it too.
  if (caches.l3Bytes)
    sets.push_back(
        {"L3", round(std::max(caches.l3Bytes / 4, 2 * caches.l2Bytes))});
  uint64_t dram = std::max(kDramOverLastLevel * lastLevel, kMinDramBytes);
  if (memoryGib > 0)
    dram = std::min<uint64_t>(dram, memoryGib * 1024 * 1024 * 1024 /
                                        kMemoryOverDramBytes);
  sets.push_back({"DRAM", round(dram)});
  return sets;
}

FailureOr<HostMeasurements>
tilecast::measureHost(const HostCalibrationOptions &options, Location loc) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  HostMeasurements m;
  m.options = options;
  describeHost(m);

  KernelCompiler compiler;
  std::string error;
  auto fail = [&](StringRef what) {
    InFlightDiagnostic diag = emitError(loc)
                              << "host calibration: cannot JIT-compile the "
                              << what << " kernel: " << error;
    diag.attachNote() << "the kernels need an LLVM with the native target "
                         "(x86-64 or AArch64) and the MLIR ExecutionEngine";
    return failure();
  };

  // Peak FLOP/s.
  auto fmaF32Engine = compiler.compile(makeFmaKernel("f32", m.f32Lanes), error);
  if (failed(fmaF32Engine))
    return fail("f32 FMA");
  auto fmaF32 = lookupKernel<FmaF32Fn>(**fmaF32Engine, "fma", error);
  auto fmaF64Engine =
      compiler.compile(makeFmaKernel("f64", m.f32Lanes / 2), error);
  if (failed(fmaF32) || failed(fmaF64Engine))
    return fail("f64 FMA");
  auto fmaF64 = lookupKernel<FmaF64Fn>(**fmaF64Engine, "fma", error);
  if (failed(fmaF64))
    return fail("f64 FMA");
  double f32FlopsPerIter = 2.0 * kFmaAccumulators * m.f32Lanes;
  double f64FlopsPerIter = f32FlopsPerIter / 2;
  m.f32FlopsPerSecondPerCore =
      f32FlopsPerIter /
      medianSecondsPerCount([&](int64_t n) { sink = (*fmaF32)(n * 64, 1.0f); },
                            options) *
      64;
  m.f64FlopsPerSecondPerCore =
      f64FlopsPerIter /
      medianSecondsPerCount([&](int64_t n) { sink = (*fmaF64)(n * 64, 1.0); },
                            options) *
      64;
  m.f32FlopsPerSecondAllCores = m.cores * f32FlopsPerIter /
                                medianSecondsPerCount(
                                    [&](int64_t n) {
                                      runOnThreads(m.cores, [&](unsigned t) {
                                        sink = (*fmaF32)(n * 64, 1.0f + t);
                                      });
                                    },
                                    options) *
                                64;
  if (m.clockMhz <= 0) {
    // No clock anywhere: assume one vector FMA per cycle.
    m.clockMhz = m.f32FlopsPerSecondPerCore / (2.0 * m.f32Lanes) / 1e6;
    m.clockSource = "derived from the f32 FMA rate assuming one vector FMA "
                    "per cycle (no /proc/cpuinfo or cpufreq clock)";
  }
  if (m.f32FlopsPerSecondPerCore / (m.clockMhz * 1e6) <= kScalarFlopsPerCycle)
    emitWarning(loc) << "host calibration: the f32 FMA kernel reached only "
                     << m.f32FlopsPerSecondPerCore / (m.clockMhz * 1e6)
                     << " flop/cycle, no more than scalar code; the machine "
                        "may be busy, or the JIT did not vectorise";

  m.parallelStartSeconds =
      measureParallelStartSeconds(m.cores, kBackToBackGapSeconds);
  m.idleParallelStartSeconds =
      measureParallelStartSeconds(m.cores, kIdleGapSeconds);

  // Read bandwidth per level, one core; DRAM on all cores too.
  auto sumEngine = compiler.compile(makeSumKernel(m.f32Lanes), error);
  if (failed(sumEngine))
    return fail("bandwidth");
  auto sum = lookupKernel<SumFn>(**sumEngine, "sum", error);
  if (failed(sum))
    return fail("bandwidth");
  auto outOfMemory = [&](StringRef level, uint64_t bytes) {
    return emitError(loc) << "host calibration: cannot allocate "
                          << bytes / (1024 * 1024) << " MiB for the " << level
                          << " bandwidth probe";
  };
  for (auto &[level, bytes] :
       getBandwidthWorkingSets(m.caches, m.f32Lanes, m.memoryGib)) {
    std::unique_ptr<Buffer> buffer = Buffer::allocate(bytes / sizeof(float));
    if (!buffer)
      return outOfMemory(level, bytes);
    StridedMemRefType<float, 1> memref = buffer->descriptor();
    double seconds = medianSecondsPerCount(
        [&](int64_t reps) { sink = (*sum)(&memref, reps); }, options);
    m.bandwidths.push_back({level, bytes, bytes / seconds});
    if (level != "DRAM")
      continue;
    // Each thread streams its share of the DRAM working set.
    uint64_t step = kSumAccumulators * m.f32Lanes;
    uint64_t share =
        std::max(step, bytes / sizeof(float) / m.cores / step * step);
    std::vector<std::unique_ptr<Buffer>> shares;
    buffer.reset();
    for (unsigned t = 0; t < m.cores; ++t) {
      shares.push_back(Buffer::allocate(share));
      if (!shares.back())
        return outOfMemory("all-core DRAM", share * sizeof(float) * m.cores);
    }
    double allSeconds = medianSecondsPerCount(
        [&](int64_t reps) {
          runOnThreads(m.cores, [&](unsigned t) {
            StridedMemRefType<float, 1> d = shares[t]->descriptor();
            sink = (*sum)(&d, reps);
          });
        },
        options);
    m.dramBytesPerSecondAllCores =
        double(share) * sizeof(float) * m.cores / allSeconds;
  }
  return m;
}

//===----------------------------------------------------------------------===//
// The spec
//===----------------------------------------------------------------------===//

/// `value` rounded to `digits` significant digits, for readable JSON.
static double roundSignificant(double value, int digits) {
  if (value == 0 || !std::isfinite(value))
    return value;
  double scale = std::pow(
      10.0, digits - 1 - int(std::floor(std::log10(std::fabs(value)))));
  return std::round(value * scale) / scale;
}

std::string tilecast::sanitizeHostName(StringRef name) {
  std::string id;
  for (char c : name.lower())
    id += (llvm::isAlnum(c) || c == '-') ? c : '-';
  return id;
}

static const BandwidthMeasurement *findLevel(const HostMeasurements &m,
                                             StringRef level) {
  for (const BandwidthMeasurement &b : m.bandwidths)
    if (b.level == level)
      return &b;
  return nullptr;
}

/// A cache level serves reads well above DRAM's rate (its probe read 4.7 to
/// 5.1x the DRAM rate on the 2-vCPU Zen 4 development VM, docs/targets.md);
/// a probe within this factor of DRAM's rate was read from DRAM.
static constexpr double kMinCacheOverDramBandwidth = 1.5;

/// Whether the L3 size the machine reports is contradicted by its probe: a
/// working set of a quarter of it read no faster than DRAM (a hypervisor's
/// cpuid can report the whole socket's L3, 508 MiB on a 2-vCPU Zen 5 guest).
static bool isL3Contradicted(const HostMeasurements &m) {
  const BandwidthMeasurement *l3 = findLevel(m, "L3");
  const BandwidthMeasurement *dram = findLevel(m, "DRAM");
  return m.caches.l3Bytes && l3 && dram &&
         l3->bytesPerSecond < kMinCacheOverDramBandwidth * dram->bytesPerSecond;
}

uint64_t tilecast::getLastLevelCacheBytes(const HostMeasurements &m) {
  return m.caches.l3Bytes && !isL3Contradicted(m) ? m.caches.l3Bytes
                                                  : m.caches.l2Bytes;
}

static std::string describeMeasurements(const HostMeasurements &m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  double clockHz = m.clockMhz * 1e6;
  os << llvm::formatv(
      "MEASURED by tilecast-calibrate --host (medians of {0} runs of at least "
      "{1} ms, MLIR ExecutionEngine at -O3 for {2}, {3}-bit vectors): ",
      m.options.repeats, m.options.minRunSeconds * 1e3, m.llvmCpuName,
      m.vectorBits);
  os << llvm::formatv(
      "f32 FMA peak {0:F1} GFLOP/s per core ({1:F1} flop/cycle at the "
      "clock), {2:F1} GFLOP/s on all {3} cores at once; f64 {4:F1} GFLOP/s "
      "per core. ",
      m.f32FlopsPerSecondPerCore / 1e9, m.f32FlopsPerSecondPerCore / clockHz,
      m.f32FlopsPerSecondAllCores / 1e9, m.cores,
      m.f64FlopsPerSecondPerCore / 1e9);
  os << "Read bandwidth, one core:";
  for (const BandwidthMeasurement &b : m.bandwidths)
    os << llvm::formatv(" {0} ({1} KiB) {2:F1} GB/s = {3:F1} B/cycle;", b.level,
                        b.workingSetBytes / 1024, b.bytesPerSecond / 1e9,
                        b.bytesPerSecond / clockHz);
  os << llvm::formatv(
      " DRAM on all cores {0:F1} GB/s. Parallel start (tasks handed to the "
      "other cores' parked threads, which wait for each other; median of "
      "{1}): {2:F1} us {3:F0} us after the last, {4:F1} us after {5:F0} us "
      "idle. ",
      m.dramBytesPerSecondAllCores / 1e9, kParallelStartProbes,
      m.parallelStartSeconds * 1e6, kBackToBackGapSeconds * 1e6,
      m.idleParallelStartSeconds * 1e6, kIdleGapSeconds * 1e6);
  os << "MAPPING: compute_units = logical CPUs; peak_tflops = compute_units x "
        "the per-core FMA peak; memory_bandwidth_gbps = the larger of the "
        "all-core and one-core DRAM read bandwidth; l2_cache_mib = the "
        "last-level cache (the L3 if any, unless its probe read within "
     << llvm::formatv("{0:F1}", kMinCacheOverDramBandwidth)
     << "x of DRAM's rate); launch_overhead_us = the parallel "
        "start after the last, which the CPU model charges work spread over "
        "more than one core; lanes_per_unit = f32 lanes of one "
        "vector register; clock_mhz from "
     << m.clockSource
     << ". The L1 and L3 bandwidths are recorded here only: the CPU model "
        "uses 64 and 32 B/cycle (lib/Cost/AnalyticalModel.cpp). No bf16, f16 "
        "or i8 peak is measured. Cache sizes from "
     << m.caches.source << ".";
  if (isL3Contradicted(m))
    os << llvm::formatv(" The reported L3 ({0} KiB) is not used: its probe "
                        "read no faster than DRAM, so l2_cache_mib is the L2.",
                        m.caches.l3Bytes / 1024);
  return text;
}

std::string tilecast::printHostTargetSpec(const HostMeasurements &m,
                                          StringRef name, StringRef command) {
  using json = nlohmann::ordered_json;
  double cores = m.cores;
  const BandwidthMeasurement *dram = findLevel(m, "DRAM");
  double dramBytesPerSecond =
      std::max(m.dramBytesPerSecondAllCores, dram ? dram->bytesPerSecond : 0.0);
  uint64_t lastLevel = getLastLevelCacheBytes(m);
  // Vector registers: 32 with AVX-512 (and AArch64), else 16.
  double registers = m.vectorBits == 512 ? 32 : 16;
  char date[32] = "unknown date";
  std::time_t now = std::time(nullptr);
  if (std::tm *utc = std::gmtime(&now))
    std::strftime(date, sizeof(date), "%Y-%m-%d", utc);

  json doc;
  doc["schema"] = "tilecast.target.v1";
  doc["id"] = "host-" + sanitizeHostName(name);
  doc["name"] = llvm::formatv("Host CPU (calibrated): {0}, {1} cores ({2})",
                              m.modelName, m.cores, m.llvmCpuName)
                    .str();
  doc["vendor"] = m.vendor;
  doc["kind"] = "cpu";
  doc["sources"] = json::array(
      {llvm::formatv("measured on {0} by `{1}` (MLIR ExecutionEngine "
                     "micro-benchmarks, lib/Target/HostCalibration.cpp)",
                     date, command)
           .str(),
       "cache sizes: " + m.caches.source, "clock: " + m.clockSource});
  doc["compute_units"] = m.cores;
  doc["lanes_per_unit"] = m.f32Lanes;
  doc["lanes_shared_with_int32"] = 0;
  doc["clock_mhz"] = roundSignificant(m.clockMhz, 5);
  doc["peak_tflops"] = {
      {"f64", roundSignificant(cores * m.f64FlopsPerSecondPerCore / 1e12, 4)},
      {"f32", roundSignificant(cores * m.f32FlopsPerSecondPerCore / 1e12, 4)}};
  doc["memory_bandwidth_gbps"] = roundSignificant(dramBytesPerSecond / 1e9, 4);
  doc["memory_gib"] = roundSignificant(m.memoryGib, 3);
  doc["l2_cache_mib"] = roundSignificant(lastLevel / (1024.0 * 1024.0), 4);
  doc["l1_cache_kib"] = roundSignificant(m.caches.l1dBytes / 1024.0, 4);
  doc["registers_kib_per_unit"] =
      roundSignificant(registers * m.vectorBits / 8 / 1024.0, 3);
  doc["max_threads_per_unit"] = 1;
  doc["launch_overhead_us"] = roundSignificant(m.parallelStartSeconds * 1e6, 3);
  doc["notes"] = describeMeasurements(m);
  return doc.dump(2) + "\n";
}

void tilecast::printHostMeasurements(const HostMeasurements &m,
                                     llvm::raw_ostream &os) {
  double clockHz = m.clockMhz * 1e6;
  os << llvm::formatv("host: {0} ({1}), {2} cores, {3:F0} MHz ({4})\n",
                      m.modelName, m.llvmCpuName, m.cores, m.clockMhz,
                      m.clockSource);
  os << llvm::formatv("caches: L1d {0} KiB, L2 {1} KiB, L3 {2} KiB ({3})\n",
                      m.caches.l1dBytes / 1024, m.caches.l2Bytes / 1024,
                      m.caches.l3Bytes / 1024, m.caches.source);
  os << llvm::formatv("kernels: {0}-bit vectors, median of {1} runs of at "
                      "least {2} ms\n\n",
                      m.vectorBits, m.options.repeats,
                      m.options.minRunSeconds * 1e3);
  os << llvm::formatv("{0,-34} {1,12} {2,10}\n", "measurement", "value",
                      "per cycle");
  auto row = [&](StringRef what, double value, StringRef unit,
                 double perCycle) {
    os << llvm::formatv("{0,-34} {1,8:F1} {2,-3} {3,10:F1}\n", what, value,
                        unit, perCycle);
  };
  row("f32 FMA, one core", m.f32FlopsPerSecondPerCore / 1e9, "GF",
      m.f32FlopsPerSecondPerCore / clockHz);
  row("f32 FMA, all cores", m.f32FlopsPerSecondAllCores / 1e9, "GF",
      m.f32FlopsPerSecondAllCores / clockHz);
  row("f64 FMA, one core", m.f64FlopsPerSecondPerCore / 1e9, "GF",
      m.f64FlopsPerSecondPerCore / clockHz);
  for (const BandwidthMeasurement &b : m.bandwidths)
    row(llvm::formatv("read {0} ({1} KiB), one core", b.level,
                      b.workingSetBytes / 1024)
            .str(),
        b.bytesPerSecond / 1e9, "GB", b.bytesPerSecond / clockHz);
  row("read DRAM, all cores", m.dramBytesPerSecondAllCores / 1e9, "GB",
      m.dramBytesPerSecondAllCores / clockHz);
  auto startRow = [&](StringRef what, double seconds) {
    os << llvm::formatv("{0,-34} {1,8:F1} {2,-3} {3,10:F0}\n", what,
                        seconds * 1e6, "us", seconds * clockHz);
  };
  startRow(llvm::formatv("parallel start, {0:F0} us after last",
                         kBackToBackGapSeconds * 1e6)
               .str(),
           m.parallelStartSeconds);
  startRow(
      llvm::formatv("parallel start, {0:F0} us idle", kIdleGapSeconds * 1e6)
          .str(),
      m.idleParallelStartSeconds);
  if (isL3Contradicted(m))
    os << llvm::formatv(
        "\nL3 check: the L3 probe read {0:F1} GB/s, within {1:F1}x of DRAM's "
        "{2:F1} GB/s: the reported {3} KiB L3 is not used, the spec's last "
        "level is the {4} KiB L2\n",
        findLevel(m, "L3")->bytesPerSecond / 1e9, kMinCacheOverDramBandwidth,
        findLevel(m, "DRAM")->bytesPerSecond / 1e9, m.caches.l3Bytes / 1024,
        getLastLevelCacheBytes(m) / 1024);
  double flopsPerCycle = m.f32FlopsPerSecondPerCore / clockHz;
  os << llvm::formatv(
      "\nSIMD check: {0:F1} f32 flop/cycle per core {1} the scalar bound of "
      "{2:F0}\n",
      flopsPerCycle,
      flopsPerCycle > kScalarFlopsPerCycle ? ">" : "<=", kScalarFlopsPerCycle);
}
