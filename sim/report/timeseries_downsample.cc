#include "shardsim/report/timeseries_downsample.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace shardsim {

namespace {

// The lowest and highest finite value of column[from, to), in the order they occurred; NaN, NaN
// when the bucket holds none.
std::pair<double, double> extremes_in_order(const std::vector<double>& column, std::size_t from,
                                            std::size_t to) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::size_t low = to, high = to;
  for (std::size_t row = from; row < to; ++row) {
    if (!std::isfinite(column[row])) continue;
    if (low == to || column[row] < column[low]) low = row;
    if (high == to || column[row] > column[high]) high = row;
  }
  if (low == to) return {kNaN, kNaN};
  return low <= high ? std::pair{column[low], column[high]} : std::pair{column[high], column[low]};
}

}  // namespace

DownsampledSeries downsample_min_max(const TimeSeriesColumns& series, std::size_t max_points) {
  if (max_points < 2) throw std::invalid_argument("downsample_min_max: max_points must be at least 2");
  DownsampledSeries out;
  out.source_rows = series.rows();
  if (out.source_rows <= max_points) {
    out.columns = series;
    return out;
  }
  const std::size_t buckets = max_points / 2;
  out.bucket_rows = (out.source_rows + buckets - 1) / buckets;
  out.columns.names = series.names;
  out.columns.values.resize(series.values.size());
  for (std::size_t from = 0; from < out.source_rows; from += out.bucket_rows) {
    const std::size_t to = std::min(out.source_rows, from + out.bucket_rows);
    for (std::size_t c = 0; c < series.values.size(); ++c) {
      std::vector<double>& column = out.columns.values[c];
      if (to - from == 1) {
        column.push_back(series.values[c][from]);
        continue;
      }
      const auto [first, second] = c == 0 ? std::pair{series.values[c][from], series.values[c][to - 1]}
                                          : extremes_in_order(series.values[c], from, to);
      column.push_back(first);
      column.push_back(second);
    }
  }
  return out;
}

}  // namespace shardsim
