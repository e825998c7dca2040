#include "tools/holt_winters.h"

#include <cmath>
#include <limits>

namespace tally::data::tools {

std::optional<HoltWintersFit> holt_winters_fit(const std::vector<double>& y, int m, const HoltWintersParams& p) {
  const std::size_t n = y.size();
  for (double v : y)
    if (std::isnan(v)) return std::nullopt;
  HoltWintersFit f;
  f.params = p;
  f.fitted.assign(n, std::numeric_limits<double>::quiet_NaN());
  const bool seasonal = m >= 2 && n >= 2 * static_cast<std::size_t>(m);
  if (!seasonal) {
    if (n < 3) return std::nullopt;
    f.m = 0;
    f.params.gamma = 0;
    double level = y[0], trend = y[1] - y[0];
    for (std::size_t t = 1; t < n; ++t) {
      const double forecast = level + trend;
      if (t >= 2) {
        f.fitted[t] = forecast;
        f.sse += (y[t] - forecast) * (y[t] - forecast);
        ++f.residuals;
      }
      const double prev = level;
      level = p.alpha * y[t] + (1 - p.alpha) * (level + trend);
      trend = p.beta * (level - prev) + (1 - p.beta) * trend;
    }
    f.level = level;
    f.trend = trend;
  } else {
    const auto um = static_cast<std::size_t>(m);
    f.m = m;
    double first = 0, second = 0;
    for (std::size_t i = 0; i < um; ++i) {
      first += y[i];
      second += y[um + i];
    }
    first /= static_cast<double>(um);
    second /= static_cast<double>(um);
    const double trend0 = (second - first) / static_cast<double>(um);
    const double centre = (static_cast<double>(um) - 1) / 2;  // the first cycle's mean is the level here
    double level = first + centre * trend0, trend = trend0;
    std::vector<double> season(n, 0.0);
    for (std::size_t i = 0; i < um; ++i) season[i] = y[i] - (first + (static_cast<double>(i) - centre) * trend0);
    for (std::size_t t = um; t < n; ++t) {
      const double forecast = level + trend + season[t - um];
      f.fitted[t] = forecast;
      f.sse += (y[t] - forecast) * (y[t] - forecast);
      ++f.residuals;
      const double prev = level;
      level = p.alpha * (y[t] - season[t - um]) + (1 - p.alpha) * (level + trend);
      trend = p.beta * (level - prev) + (1 - p.beta) * trend;
      season[t] = p.gamma * (y[t] - level) + (1 - p.gamma) * season[t - um];
    }
    f.level = level;
    f.trend = trend;
    f.season.assign(season.end() - static_cast<std::ptrdiff_t>(um), season.end());
  }
  f.sigma = f.residuals > 0 ? std::sqrt(f.sse / static_cast<double>(f.residuals)) : 0.0;
  return f;
}

std::optional<HoltWintersFit> holt_winters_auto(const std::vector<double>& y, int m) {
  std::optional<HoltWintersFit> best;
  const bool seasonal = m >= 2 && y.size() >= 2 * static_cast<std::size_t>(m);
  for (int a = 1; a <= 19; ++a) {
    for (int b = 1; b <= 19; ++b) {
      for (int g = 1; g <= (seasonal ? 19 : 1); ++g) {
        const HoltWintersParams p{a * 0.05, b * 0.05, seasonal ? g * 0.05 : 0.0};
        auto fit = holt_winters_fit(y, m, p);
        if (!fit) return std::nullopt;
        if (!best || fit->sse < best->sse) best = std::move(fit);
      }
    }
  }
  return best;
}

std::vector<ForecastPoint> holt_winters_forecast(const HoltWintersFit& fit, int horizon, double z) {
  std::vector<ForecastPoint> out;
  double acc = 1.0;  // 1 + sum of c_j^2 so far
  for (int h = 1; h <= horizon; ++h) {
    if (h >= 2) {
      const int j = h - 1;
      double c = fit.params.alpha * (1 + j * fit.params.beta);
      if (fit.m >= 2 && j % fit.m == 0) c += fit.params.gamma * (1 - fit.params.alpha);
      acc += c * c;
    }
    double value = fit.level + h * fit.trend;
    if (fit.m >= 2) value += fit.season[static_cast<std::size_t>((h - 1) % fit.m)];
    const double half = z * fit.sigma * std::sqrt(acc);
    out.push_back({value, value - half, value + half});
  }
  return out;
}

}  // namespace tally::data::tools
