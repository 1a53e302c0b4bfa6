// Bounds the points a long time series gives the HTML report, so that a simulated day makes a
// page that opens, not a 20 MB one, while a spike one sample wide still shows.
//
// Min/max bucket downsampling: the rows are cut into consecutive buckets of `bucket_rows` rows,
// and each bucket gives two rows: the first at the bucket's first time, the second at its last.
// Each series takes its bucket's lowest and highest value, in the order they occurred, so its
// envelope (every peak and every dip) survives; what is lost is the shape inside a bucket and a
// gap (an empty cell) shorter than one. The time column (the first) keeps the bucket's first and
// last time, so the rows stay in time order.
#pragma once

#include <cstddef>

#include "shardsim/report/html_report.h"

namespace shardsim {

// The cap the HTML report uses (docs/html-report.md): at most this many points per series.
inline constexpr std::size_t kHtmlMaxPointsPerSeries = 2000;

struct DownsampledSeries {
  TimeSeriesColumns columns;
  std::size_t source_rows = 0;  // rows before
  std::size_t bucket_rows = 1;  // rows per bucket; 1: nothing was merged (the series is short enough)
};

// At most `max_points` rows (>= 2) of `series`, whose first column is the time. A series of at
// most `max_points` rows comes back as it is.
DownsampledSeries downsample_min_max(const TimeSeriesColumns& series, std::size_t max_points);

}  // namespace shardsim
