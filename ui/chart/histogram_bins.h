#pragma once
// Equal-width histogram bins over the finite values of a series (NaN and infinities are not data).
#include <vector>

namespace tally::ui {

struct HistogramBins {
  double start = 0;  // left edge of the first bin
  double width = 1;
  std::vector<double> counts;
  double centre(std::size_t i) const { return start + (static_cast<double>(i) + 0.5) * width; }
};

// `bins` 0 picks Sturges' rule (log2(n) + 1), at most 200 bins. The last bin includes the maximum.
HistogramBins make_histogram(const std::vector<double>& values, int bins);

}  // namespace tally::ui
