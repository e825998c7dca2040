#include "ui/chart/histogram_bins.h"

#include <algorithm>
#include <cmath>

namespace tally::ui {

HistogramBins make_histogram(const std::vector<double>& values, int bins) {
  std::vector<double> v;
  v.reserve(values.size());
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  HistogramBins h;
  if (v.empty()) return h;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  int n = bins > 0 ? bins : static_cast<int>(std::ceil(std::log2(static_cast<double>(v.size())))) + 1;
  n = std::clamp(n, 1, 200);
  h.start = *lo;
  h.width = *hi > *lo ? (*hi - *lo) / n : 1.0;
  if (*hi == *lo) h.start = *lo - 0.5;  // one value: a single bar centred on it
  h.counts.assign(static_cast<std::size_t>(n), 0.0);
  for (double x : v) {
    auto i = static_cast<long>(std::floor((x - h.start) / h.width));
    i = std::clamp(i, 0L, static_cast<long>(n - 1));
    h.counts[static_cast<std::size_t>(i)] += 1;
  }
  return h;
}

}  // namespace tally::ui
