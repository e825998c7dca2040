#pragma once
// The statistics behind describe_dataset, timeseries and anomalies, as plain functions over doubles so each is
// checked against hand-computed values (tests/data_tools/series_stats_test.cpp). NaN marks "no value".
#include <cstddef>
#include <optional>
#include <vector>

namespace tally::data::tools::stats {

double mean(const std::vector<double>& v);
double median(std::vector<double> v);             // the mean of the two middle values for even sizes
double sample_stddev(const std::vector<double>& v);  // n-1 denominator; NaN below two values
// Quantile by linear interpolation between order statistics (Hyndman-Fan type 7, the default of R and NumPy).
double quantile_sorted(const std::vector<double>& sorted, double p);

// Median absolute deviation from the median (unscaled).
double mad(const std::vector<double>& v);

struct RobustScores {
  double median = 0;
  double mad = 0;
  double scale = 0;             // what (x - median) is divided by
  const char* scale_kind = "";  // "MAD" or "mean absolute deviation" (when MAD is 0)
  std::vector<double> z;        // NaN everywhere when the data has no spread
};
// Iglewicz-Hoaglin modified z-score 0.6745 (x - median) / MAD; 0.6745 makes it comparable with a normal z.
// When more than half the values are equal MAD is 0; then the mean absolute deviation scaled by 1.253314
// (sqrt(pi/2), its ratio to sigma for normal data) is used instead, as IBM SPSS and others do.
RobustScores robust_z(const std::vector<double>& v);

struct IqrFences {
  double q1 = 0, q3 = 0, iqr = 0, lower = 0, upper = 0;
};
IqrFences iqr_fences(const std::vector<double>& v, double k);

struct LinearFit {
  double slope = 0, intercept = 0, r2 = 0;
  std::size_t n = 0;
};
// Least squares of y on x = 0, 1, 2, ... skipping NaN values; nullopt below two points.
std::optional<LinearFit> linear_trend(const std::vector<double>& y);

// Percentage change from `prev` to `cur`; NaN when either is NaN or prev is 0.
double growth_pct(double cur, double prev);
// Trailing mean of the last `window` values (NaN until the window is full or when it holds a NaN).
std::vector<double> moving_average(const std::vector<double>& y, std::size_t window);

struct Seasonality {
  double strength = 0;           // 0 (none) .. 1 (all variation beyond trend is seasonal)
  std::vector<double> index;     // additive seasonal index per position in the cycle, mean 0
};
// Classical additive decomposition (centred moving average of order m as the trend, 2xm for even m) and
// Hyndman & Athanasopoulos' strength max(0, 1 - Var(remainder) / Var(seasonal + remainder)).
// nullopt when there are fewer than two full cycles or a value is NaN.
std::optional<Seasonality> seasonality(const std::vector<double>& y, int m);

}  // namespace tally::data::tools::stats
