// Each expected value is worked out by hand in the comment beside it.
#include <gtest/gtest.h>

#include <cmath>

#include "tools/holt_winters.h"
#include "tools/period.h"
#include "tools/series_stats.h"

namespace {

using namespace tally::data::tools;

TEST(SeriesStats, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(stats::median({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(stats::median({4, 1, 3, 2}), 2.5);  // (2 + 3) / 2
  EXPECT_TRUE(std::isnan(stats::median({})));
}

TEST(SeriesStats, SampleStddevUsesNMinusOne) {
  // mean 5; squared deviations 9,1,1,1,0,0,4,16 = 32; 32 / 7 = 4.571428...; sqrt = 2.138089935...
  EXPECT_NEAR(stats::sample_stddev({2, 4, 4, 4, 5, 5, 7, 9}), 2.1380899353, 1e-9);
  EXPECT_TRUE(std::isnan(stats::sample_stddev({1})));
}

TEST(SeriesStats, QuantilesInterpolateLinearly) {
  // n = 4: Q1 at h = 3 * 0.25 = 0.75 -> 1 + 0.75 (2 - 1) = 1.75; Q3 at h = 2.25 -> 3.25.
  EXPECT_DOUBLE_EQ(stats::quantile_sorted({1, 2, 3, 4}, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(stats::quantile_sorted({1, 2, 3, 4}, 0.75), 3.25);
}

TEST(SeriesStats, IqrFencesFlagTheOutlier) {
  // n = 9: Q1 at h = 2 -> 3, Q3 at h = 6 -> 7, IQR 4, fences 3 - 6 = -3 and 7 + 6 = 13.
  const auto f = stats::iqr_fences({1, 2, 3, 4, 5, 6, 7, 8, 100}, 1.5);
  EXPECT_DOUBLE_EQ(f.q1, 3);
  EXPECT_DOUBLE_EQ(f.q3, 7);
  EXPECT_DOUBLE_EQ(f.iqr, 4);
  EXPECT_DOUBLE_EQ(f.lower, -3);
  EXPECT_DOUBLE_EQ(f.upper, 13);
}

TEST(SeriesStats, RobustZFromMedianAndMad) {
  // median 5; |x - 5| = 4,3,2,1,0,1,2,3,95 -> sorted 0,1,1,2,2,3,3,4,95 -> MAD 2.
  // z(100) = 0.6745 * 95 / 2 = 32.038750; z(1) = 0.6745 * -4 / 2 = -1.349.
  const auto r = stats::robust_z({1, 2, 3, 4, 5, 6, 7, 8, 100});
  EXPECT_DOUBLE_EQ(r.median, 5);
  EXPECT_DOUBLE_EQ(r.mad, 2);
  EXPECT_NEAR(r.z[8], 32.03875, 1e-9);
  EXPECT_NEAR(r.z[0], -1.349, 1e-9);
  EXPECT_STREQ(r.scale_kind, "MAD");
}

TEST(SeriesStats, RobustZFallsBackToMeanAbsoluteDeviationWhenMadIsZero) {
  // median 5, MAD 0; mean |x - 5| = 4 / 5 = 0.8; scale 0.8 * 1.253314 = 1.0026512; z(9) = 4 / 1.0026512 = 3.98942.
  const auto r = stats::robust_z({5, 5, 5, 5, 9});
  EXPECT_DOUBLE_EQ(r.mad, 0);
  EXPECT_NEAR(r.z[4], 3.989423, 1e-6);
  EXPECT_DOUBLE_EQ(r.z[0], 0);
}

TEST(SeriesStats, LinearTrendSlopeInterceptAndR2) {
  const auto exact = stats::linear_trend({1, 3, 5, 7});
  ASSERT_TRUE(exact);
  EXPECT_DOUBLE_EQ(exact->slope, 2);
  EXPECT_DOUBLE_EQ(exact->intercept, 1);
  EXPECT_DOUBLE_EQ(exact->r2, 1);
  // x mean 1.5, y mean 2.25; Sxy = 4.5, Sxx = 5, Syy = 4.75: slope 0.9, intercept 2.25 - 1.35 = 0.9,
  // R² = 4.5² / (5 * 4.75) = 20.25 / 23.75 = 0.852631578...
  const auto fit = stats::linear_trend({1, 2, 2, 4});
  ASSERT_TRUE(fit);
  EXPECT_NEAR(fit->slope, 0.9, 1e-12);
  EXPECT_NEAR(fit->intercept, 0.9, 1e-12);
  EXPECT_NEAR(fit->r2, 0.8526315789, 1e-9);
  EXPECT_FALSE(stats::linear_trend({5}));
}

TEST(SeriesStats, GrowthPercent) {
  EXPECT_DOUBLE_EQ(stats::growth_pct(110, 100), 10);
  EXPECT_DOUBLE_EQ(stats::growth_pct(90, 100), -10);
  EXPECT_DOUBLE_EQ(stats::growth_pct(-50, -100), 50);  // a loss halved is growth
  EXPECT_TRUE(std::isnan(stats::growth_pct(5, 0)));
}

TEST(SeriesStats, TrailingMovingAverage) {
  const auto ma = stats::moving_average({1, 2, 3, 4, 5}, 3);
  EXPECT_TRUE(std::isnan(ma[0]));
  EXPECT_TRUE(std::isnan(ma[1]));
  EXPECT_DOUBLE_EQ(ma[2], 2);
  EXPECT_DOUBLE_EQ(ma[4], 4);
}

TEST(SeriesStats, SeasonalityStrengthOfAPureSeasonIsOneAndOfALineIsZero) {
  // 10,20,30,40 repeated: the 2x4 moving average is 25 everywhere, so the detrended values are the season exactly.
  const auto s = stats::seasonality({10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40}, 4);
  ASSERT_TRUE(s);
  EXPECT_NEAR(s->strength, 1.0, 1e-12);
  EXPECT_NEAR(s->index[0], -15, 1e-12);
  EXPECT_NEAR(s->index[3], 15, 1e-12);
  const auto line = stats::seasonality({1, 2, 3, 4, 5, 6, 7, 8}, 4);
  ASSERT_TRUE(line);
  EXPECT_NEAR(line->strength, 0.0, 1e-12);
  EXPECT_FALSE(stats::seasonality({1, 2, 3, 4, 5}, 4));  // fewer than two cycles
}

TEST(HoltWinters, OneStepValuesMatchHandComputation) {
  // m = 2, alpha = beta = gamma = 0.5. First cycle mean 15, second 19: T = (19 - 15) / 2 = 2; centre c = 0.5, so
  // L = 15 + 0.5 * 2 = 16 and S = (10 - 14, 20 - 16) = (-4, 4).
  // t=2: yhat = 16 + 2 - 4 = 14 (e 0);     L = 0.5 (14 + 4) + 0.5 (18) = 18,   T = 2,     S2 = -4
  // t=3: yhat = 18 + 2 + 4 = 24 (e 0);     L = 0.5 (24 - 4) + 0.5 (20) = 20,   T = 2,     S3 = 4
  // t=4: yhat = 20 + 2 - 4 = 18 (e 2);     L = 0.5 (20 + 4) + 0.5 (22) = 23,   T = 2.5,   S4 = -3.5
  // t=5: yhat = 23 + 2.5 + 4 = 29.5 (e -3.5); L = 0.5 (26 - 4) + 0.5 (25.5) = 23.75, T = 1.625, S5 = 3.125
  const auto fit = holt_winters_fit({10, 20, 14, 24, 20, 26}, 2, {0.5, 0.5, 0.5});
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->m, 2);
  EXPECT_TRUE(std::isnan(fit->fitted[1]));
  EXPECT_DOUBLE_EQ(fit->fitted[2], 14);
  EXPECT_DOUBLE_EQ(fit->fitted[3], 24);
  EXPECT_DOUBLE_EQ(fit->fitted[4], 18);
  EXPECT_DOUBLE_EQ(fit->fitted[5], 29.5);
  EXPECT_DOUBLE_EQ(fit->level, 23.75);
  EXPECT_DOUBLE_EQ(fit->trend, 1.625);
  // SSE = 0 + 0 + 4 + 12.25 = 16.25 over 4 residuals.
  EXPECT_DOUBLE_EQ(fit->sse, 16.25);
  const double sigma = std::sqrt(16.25 / 4);
  EXPECT_DOUBLE_EQ(fit->sigma, sigma);
  // h=1: 23.75 + 1.625 - 3.5 = 21.875; h=2: 23.75 + 3.25 + 3.125 = 30.125.
  // Interval factors: h=2: c1 = 0.5 (1 + 0.5) = 0.75 -> sqrt(1.5625) = 1.25;
  // h=3: c2 = 0.5 (1 + 1) + 0.5 (1 - 0.5) = 1.25 -> sqrt(1 + 0.5625 + 1.5625).
  const auto fc = holt_winters_forecast(*fit, 3);
  ASSERT_EQ(fc.size(), 3u);
  EXPECT_DOUBLE_EQ(fc[0].value, 21.875);
  EXPECT_DOUBLE_EQ(fc[1].value, 30.125);
  EXPECT_NEAR(fc[0].upper - fc[0].value, 1.96 * sigma, 1e-12);
  EXPECT_NEAR(fc[1].upper - fc[1].value, 1.96 * sigma * 1.25, 1e-12);
  EXPECT_NEAR(fc[2].value - fc[2].lower, 1.96 * sigma * std::sqrt(3.125), 1e-12);
}

TEST(HoltWinters, HoltLinearWhenTooShortForSeasons) {
  // L = 1, T = 2. t=1: L = 3, T = 2. t=2: yhat = 5, L = 4.5, T = 1.75. t=3: yhat = 6.25, L = 6.125, T = 1.6875.
  const auto fit = holt_winters_fit({1, 3, 4, 6}, 12, {0.5, 0.5, 0.5});
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->m, 0);
  EXPECT_DOUBLE_EQ(fit->fitted[2], 5);
  EXPECT_DOUBLE_EQ(fit->fitted[3], 6.25);
  EXPECT_DOUBLE_EQ(holt_winters_forecast(*fit, 1)[0].value, 7.8125);
  EXPECT_FALSE(holt_winters_fit({1, 2}, 0, {}));
}

TEST(HoltWinters, AutoFitFindsAPerfectSeasonalSeries) {
  std::vector<double> y;
  for (int i = 0; i < 36; ++i) y.push_back(100 + 2 * i + (i % 12 == 11 ? 50 : 0));
  const auto fit = holt_winters_auto(y, 12);
  ASSERT_TRUE(fit);
  const auto fc = holt_winters_forecast(*fit, 12);
  EXPECT_NEAR(fc[0].value, 100 + 2 * 36, 1.0);
  EXPECT_NEAR(fc[11].value, 100 + 2 * 47 + 50, 1.0);  // the December peak carries on
}

TEST(Period, OrdinalsAndLabels) {
  EXPECT_EQ(period_label(Grain::Month, *period_ordinal(Grain::Month, "2024-03")), "2024-03");
  EXPECT_EQ(period_label(Grain::Month, *period_ordinal(Grain::Month, "2024-03-31 23:59:00")), "2024-03");
  EXPECT_EQ(period_label(Grain::Quarter, *period_ordinal(Grain::Quarter, "2024-08-02")), "2024-Q3");
  EXPECT_EQ(period_label(Grain::Year, *period_ordinal(Grain::Year, "2024-08-02")), "2024");
  // Weeks start on Monday: Wednesday 2024-01-03 -> 2024-01-01; Sunday 2023-01-01 -> Monday 2022-12-26.
  EXPECT_EQ(period_label(Grain::Week, *period_ordinal(Grain::Week, "2024-01-03")), "2024-01-01");
  EXPECT_EQ(period_label(Grain::Week, *period_ordinal(Grain::Week, "2023-01-01")), "2022-12-26");
  EXPECT_EQ(*period_ordinal(Grain::Month, "2024-01") - *period_ordinal(Grain::Month, "2023-12"), 1);
  EXPECT_EQ(*period_ordinal(Grain::Day, "2024-03-01") - *period_ordinal(Grain::Day, "2024-02-28"), 2);  // leap year
  EXPECT_FALSE(period_ordinal(Grain::Day, "2024-02-30"));
  EXPECT_FALSE(period_ordinal(Grain::Day, "2024-02"));  // a month has no day
  EXPECT_FALSE(period_ordinal(Grain::Month, "24-02"));
  EXPECT_FALSE(period_ordinal(Grain::Month, ""));
  EXPECT_TRUE(valid_date_bound("2024-02"));
  EXPECT_FALSE(valid_date_bound("2024/02"));
}

}  // namespace
