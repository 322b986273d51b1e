//===- Statistics.h - Summary statistics of benchmark samples ---*- C++ -*-===//

#ifndef TILECAST_TOOLS_BENCH_STATISTICS_H
#define TILECAST_TOOLS_BENCH_STATISTICS_H

#include <algorithm>
#include <cmath>
#include <vector>

namespace mlir::tilecast::bench {
/// The `q`-quantile of `values`, interpolated linearly between order
/// statistics (q = 0.5 is the median: the mean of the two middle values for
/// an even count); 0 for no values.
inline double quantile(std::vector<double> values, double q) {
  if (values.empty())
    return 0.0;
  std::sort(values.begin(), values.end());
  double position = q * (values.size() - 1);
  size_t lower = static_cast<size_t>(std::floor(position));
  size_t upper = std::min(lower + 1, values.size() - 1);
  double fraction = position - lower;
  return values[lower] * (1 - fraction) + values[upper] * fraction;
}

/// The arithmetic mean of `values`; 0 for no values.
inline double getMean(const std::vector<double> &values) {
  double mean = 0;
  for (double value : values)
    mean += value / values.size();
  return mean;
}
} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_STATISTICS_H
