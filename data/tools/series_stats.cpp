#include "tools/series_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tally::data::tools::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double mean(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

double median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

double sample_stddev(const std::vector<double>& v) {
  if (v.size() < 2) return kNaN;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double quantile_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double mad(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  const double med = median(v);
  std::vector<double> dev;
  dev.reserve(v.size());
  for (double x : v) dev.push_back(std::fabs(x - med));
  return median(std::move(dev));
}

RobustScores robust_z(const std::vector<double>& v) {
  RobustScores r;
  r.z.assign(v.size(), kNaN);
  if (v.empty()) return r;
  r.median = median(v);
  r.mad = mad(v);
  if (r.mad > 0) {
    r.scale = r.mad / 0.6745;
    r.scale_kind = "MAD";
  } else {
    double s = 0;
    for (double x : v) s += std::fabs(x - r.median);
    r.scale = s / static_cast<double>(v.size()) * 1.253314;
    r.scale_kind = "mean absolute deviation";
  }
  if (r.scale <= 0) return r;
  for (std::size_t i = 0; i < v.size(); ++i) r.z[i] = (v[i] - r.median) / r.scale;
  return r;
}

IqrFences iqr_fences(const std::vector<double>& v, double k) {
  std::vector<double> s = v;
  std::sort(s.begin(), s.end());
  IqrFences f;
  f.q1 = quantile_sorted(s, 0.25);
  f.q3 = quantile_sorted(s, 0.75);
  f.iqr = f.q3 - f.q1;
  f.lower = f.q1 - k * f.iqr;
  f.upper = f.q3 + k * f.iqr;
  return f;
}

std::optional<LinearFit> linear_trend(const std::vector<double>& y) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isnan(y[i])) continue;
    const double x = static_cast<double>(i);
    sx += x;
    sy += y[i];
    ++n;
  }
  if (n < 2) return std::nullopt;
  const double mx = sx / static_cast<double>(n), my = sy / static_cast<double>(n);
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isnan(y[i])) continue;
    const double dx = static_cast<double>(i) - mx, dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  LinearFit f;
  f.n = n;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  // A flat series is fitted exactly by a flat line.
  f.r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1.0;
  return f;
}

double growth_pct(double cur, double prev) {
  if (std::isnan(cur) || std::isnan(prev) || prev == 0) return kNaN;
  return (cur - prev) / std::fabs(prev) * 100.0;
}

std::vector<double> moving_average(const std::vector<double>& y, std::size_t window) {
  std::vector<double> out(y.size(), kNaN);
  if (window == 0) return out;
  for (std::size_t i = window - 1; i < y.size(); ++i) {
    double s = 0;
    bool ok = true;
    for (std::size_t k = i + 1 - window; k <= i; ++k) {
      ok = ok && !std::isnan(y[k]);
      s += y[k];
    }
    if (ok) out[i] = s / static_cast<double>(window);
  }
  return out;
}

std::optional<Seasonality> seasonality(const std::vector<double>& y, int m) {
  const auto n = y.size();
  if (m < 2 || n < 2 * static_cast<std::size_t>(m)) return std::nullopt;
  for (double v : y)
    if (std::isnan(v)) return std::nullopt;
  const auto um = static_cast<std::size_t>(m);
  const std::size_t half = um / 2;
  std::vector<double> trend(n, kNaN);
  for (std::size_t t = half; t + half < n; ++t) {
    double s = 0;
    if (um % 2 == 1) {
      for (std::size_t k = t - half; k <= t + half; ++k) s += y[k];
      trend[t] = s / static_cast<double>(um);
    } else {
      // 2xm moving average: the two end points weigh one half each.
      s = 0.5 * y[t - half] + 0.5 * y[t + half];
      for (std::size_t k = t - half + 1; k < t + half; ++k) s += y[k];
      trend[t] = s / static_cast<double>(um);
    }
  }
  std::vector<double> sum(um, 0.0);
  std::vector<double> count(um, 0.0);
  for (std::size_t t = 0; t < n; ++t) {
    if (std::isnan(trend[t])) continue;
    sum[t % um] += y[t] - trend[t];
    count[t % um] += 1;
  }
  Seasonality s;
  s.index.assign(um, 0.0);
  double avg = 0;
  for (std::size_t k = 0; k < um; ++k) {
    s.index[k] = count[k] > 0 ? sum[k] / count[k] : 0.0;
    avg += s.index[k];
  }
  avg /= static_cast<double>(um);
  for (auto& v : s.index) v -= avg;
  std::vector<double> detrended, remainder;
  for (std::size_t t = 0; t < n; ++t) {
    if (std::isnan(trend[t])) continue;
    detrended.push_back(y[t] - trend[t]);
    remainder.push_back(y[t] - trend[t] - s.index[t % um]);
  }
  auto variance = [](const std::vector<double>& v) {
    const double mu = mean(v);
    double ss = 0;
    for (double x : v) ss += (x - mu) * (x - mu);
    return ss / static_cast<double>(v.size());
  };
  const double vd = variance(detrended);
  s.strength = vd > 0 ? std::max(0.0, 1.0 - variance(remainder) / vd) : 0.0;
  return s;
}

}  // namespace tally::data::tools::stats
