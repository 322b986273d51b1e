//===- Random.h - Seeded, platform-independent random numbers ----*- C++ -*-===//
//
// Training and benchmarks must give the same results on every machine for the
// same seed; the std:: distributions are implementation-defined, so TileCast
// draws from SplitMix64 (Steele, Lea and Flood, OOPSLA 2014) directly.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_RANDOM_H
#define TILECAST_SUPPORT_RANDOM_H

#include <cstdint>

namespace mlir::tilecast {

class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state(seed) {}

  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return (next() >> 11) * 0x1.0p-53; }
  /// Uniform in [0, n); the modulo bias is below n / 2^64.
  uint64_t below(uint64_t n) { return next() % n; }

private:
  uint64_t state;
};

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_RANDOM_H
