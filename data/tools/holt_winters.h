#pragma once
// Holt-Winters additive smoothing for the timeseries tool's forecast. With m >= 2 and two full cycles of data it
// models level + trend + season; otherwise it falls back to Holt's linear method (level + trend).
//
// Initialisation (simple enough to check the one-step values by hand): trend = (mean of the second cycle - mean of
// the first) / m; the first cycle's mean is the level at its middle, c = (m - 1) / 2, so the level at its last
// period is mean + c * trend and season_i = y_i - (mean + (i - c) * trend). (Taking season_i = y_i - mean, as some
// texts do, folds the first cycle's trend into the seasonal terms and biases early forecasts.) One-step forecasts
// start at t = m. Holt's method starts from level = y_0, trend = y_1 - y_0 (forecasts from
// t = 2, as the t = 1 forecast reproduces y_1 by construction).
//
// Prediction interval: sigma^2 = mean squared one-step residual, and the h-step variance
// sigma^2 (1 + sum_{j=1}^{h-1} c_j^2) with c_j = alpha (1 + j beta) + gamma (1 - alpha) [j mod m == 0] — the
// ETS(A,A,A) formula (Hyndman et al., "Forecasting with Exponential Smoothing", 2008, table 6.1) rewritten in the
// Holt-Winters parameters (ETS beta = alpha * beta, ETS gamma = gamma (1 - alpha)).
#include <optional>
#include <vector>

namespace tally::data::tools {

struct HoltWintersParams {
  double alpha = 0.3;  // level
  double beta = 0.1;   // trend
  double gamma = 0.1;  // season (unused by Holt's linear method)
};

struct HoltWintersFit {
  HoltWintersParams params;
  int m = 0;                    // season length; 0 = Holt's linear method
  double level = 0, trend = 0;  // at the last observation
  std::vector<double> season;   // the last m seasonal terms, oldest first
  std::vector<double> fitted;   // one-step forecasts aligned with y (NaN where none)
  double sse = 0;
  std::size_t residuals = 0;
  double sigma = 0;             // sqrt(sse / residuals)
};

struct ForecastPoint {
  double value = 0, lower = 0, upper = 0;
};

// nullopt when y has fewer than 3 values (Holt) or contains NaN. m < 2 or y shorter than 2m selects Holt.
std::optional<HoltWintersFit> holt_winters_fit(const std::vector<double>& y, int m, const HoltWintersParams& p);
// Picks alpha, beta, gamma on a grid of 0.05 .. 0.95 by the smallest sum of squared one-step errors.
std::optional<HoltWintersFit> holt_winters_auto(const std::vector<double>& y, int m);
// z = 1.96 gives a 95 % interval under normal errors.
std::vector<ForecastPoint> holt_winters_forecast(const HoltWintersFit& fit, int horizon, double z = 1.96);

}  // namespace tally::data::tools
