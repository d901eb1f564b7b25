#include "risk/record_risk.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace privaudit::risk {
namespace {

constexpr double kTolerance = 1e-12;

// 6 models x 3 records, stored [models, records] row-major from per-record columns.
//   record 0: IN {2, 3, 1}, OUT {1, 1, 0}; one IN value ties two OUT values.
//   record 1: the same values with IN and OUT swapped, so its signal points the other way.
//   record 2: OUT of every model, signals 0.5, 1.0, ..., 3.0.
struct SixModels {
  static constexpr std::size_t kModels = 6;
  static constexpr std::size_t kRecords = 3;
  std::vector<float> phi;
  std::vector<std::uint8_t> keep;

  SixModels() : phi(kModels * kRecords), keep(kModels * kRecords) {
    const float columns[kRecords][kModels] = {
        {2.0f, 1.0f, 3.0f, 1.0f, 1.0f, 0.0f},
        {1.0f, 2.0f, 1.0f, 3.0f, 0.0f, 1.0f},
        {0.5f, 1.0f, 1.5f, 2.0f, 2.5f, 3.0f},
    };
    const std::uint8_t flags[kRecords][kModels] = {
        {1, 0, 1, 0, 1, 0},
        {1, 0, 1, 0, 1, 0},
        {0, 0, 0, 0, 0, 0},
    };
    for (std::size_t m = 0; m < kModels; ++m) {
      for (std::size_t i = 0; i < kRecords; ++i) {
        phi[m * kRecords + i] = columns[i][m];
        keep[m * kRecords + i] = flags[i][m];
      }
    }
  }

  MembershipSignals view() const { return {phi, keep, kModels, kRecords}; }
};

TEST(RecordRisk, CountsInAndOut) {
  const auto risk = compute_record_risk(SixModels().view(), {});
  ASSERT_EQ(risk.size(), 3u);
  EXPECT_EQ(risk[0].n_in, 3u);
  EXPECT_EQ(risk[0].n_out, 3u);
}

TEST(RecordRisk, MeansAndPopulationSds) {
  const auto risk = compute_record_risk(SixModels().view(), {});
  // numpy 1.24.2 numpy.mean / numpy.std (ddof 0) of [2, 3, 1] and [1, 1, 0].
  EXPECT_NEAR(risk[0].mean_in, 2.0, kTolerance);
  EXPECT_NEAR(risk[0].sd_in, 0.816496580927726, kTolerance);
  EXPECT_NEAR(risk[0].mean_out, 0.6666666666666666, kTolerance);
  EXPECT_NEAR(risk[0].sd_out, 0.4714045207910317, kTolerance);
}

TEST(RecordRisk, BinormalAucMatchesScipy) {
  const auto risk = compute_record_risk(SixModels().view(), {});
  // (2 - 2/3) / sqrt(2/3 + 2/9) = sqrt(2); scipy 1.10.1 scipy.stats.norm.cdf(sqrt(2)).
  EXPECT_NEAR(risk[0].auc_binormal, 0.9213503964748575, kTolerance);
}

TEST(RecordRisk, HanleyMcNeilSe) {
  const auto risk = compute_record_risk(SixModels().view(), {});
  // Hanley-McNeil with A = norm.cdf(sqrt(2)), n1 = n2 = 3, evaluated in numpy 1.24.2.
  EXPECT_NEAR(risk[0].auc_se, 0.1301831175495862, kTolerance);
}

TEST(RecordRisk, EmpiricalAucCountsTiesHalf) {
  const auto risk = compute_record_risk(SixModels().view(), {});
  // IN 2 and 3 beat all three OUT values; IN 1 ties two OUT 1s and beats OUT 0: U = 3 + 3 + 2.
  EXPECT_DOUBLE_EQ(risk[0].auc_empirical, 8.0 / 9.0);
}

TEST(RecordRisk, InvertedRecordNotFloored) {
  const auto risk = compute_record_risk(SixModels().view(), {});
  // scipy 1.10.1 scipy.stats.norm.cdf(-sqrt(2)).
  EXPECT_NEAR(risk[1].auc_binormal, 0.07864960352514251, kTolerance);
  EXPECT_LT(risk[1].auc_binormal, 0.5);
  EXPECT_DOUBLE_EQ(risk[1].auc_empirical, 1.0 / 9.0);
  EXPECT_NEAR(risk[1].auc_se, 0.13018311754958622, kTolerance);
}

TEST(RecordRisk, NoInModelsGivesNan) {
  const auto risk = compute_record_risk(SixModels().view(), {});
  EXPECT_EQ(risk[2].n_in, 0u);
  EXPECT_EQ(risk[2].n_out, 6u);
  EXPECT_TRUE(std::isnan(risk[2].mean_in));
  EXPECT_TRUE(std::isnan(risk[2].sd_in));
  EXPECT_TRUE(std::isnan(risk[2].auc_binormal));
  EXPECT_TRUE(std::isnan(risk[2].auc_se));
  EXPECT_TRUE(std::isnan(risk[2].auc_empirical));
  // numpy 1.24.2 numpy.mean / numpy.std of [0.5, 1.0, ..., 3.0].
  EXPECT_NEAR(risk[2].mean_out, 1.75, kTolerance);
  EXPECT_NEAR(risk[2].sd_out, 0.8539125638299665, kTolerance);
}

TEST(RecordRisk, ModelSubsetUsesOnlyThoseModels) {
  const std::vector<std::uint32_t> subset = {0, 1, 2, 3};
  const auto risk = compute_record_risk(SixModels().view(), subset);
  // Record 0 on models 0..3: IN {2, 3}, OUT {1, 1}.
  EXPECT_EQ(risk[0].n_in, 2u);
  EXPECT_EQ(risk[0].n_out, 2u);
  EXPECT_NEAR(risk[0].mean_in, 2.5, kTolerance);
  EXPECT_NEAR(risk[0].sd_in, 0.5, kTolerance);
  EXPECT_NEAR(risk[0].mean_out, 1.0, kTolerance);
  EXPECT_NEAR(risk[0].sd_out, 0.0, kTolerance);
  // scipy 1.10.1 scipy.stats.norm.cdf(3.0); Hanley-McNeil with n1 = n2 = 2 in numpy 1.24.2.
  EXPECT_NEAR(risk[0].auc_binormal, 0.9986501019683699, kTolerance);
  EXPECT_NEAR(risk[0].auc_se, 0.02249153048152276, kTolerance);
  EXPECT_DOUBLE_EQ(risk[0].auc_empirical, 1.0);
}

TEST(RecordRisk, ZeroVarianceIsStep) {
  const std::vector<double> in = {1.0, 1.0};
  const std::vector<double> out = {0.0, 0.0};
  EXPECT_DOUBLE_EQ(two_sample_risk(in, out).auc_binormal, 1.0);
  EXPECT_DOUBLE_EQ(two_sample_risk(out, in).auc_binormal, 0.0);
  EXPECT_DOUBLE_EQ(two_sample_risk(in, in).auc_binormal, 0.5);
}

TEST(RecordRisk, NoRecordsGivesEmpty) {
  const MembershipSignals empty{{}, {}, 4, 0};
  EXPECT_TRUE(compute_record_risk(empty, {}).empty());
}

bool same_or_both_nan(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// More records than one tile, and a model subset out of order: every record must equal
// two_sample_risk() on its values gathered directly in subset order.
TEST(RecordRisk, TiledMatchesDirect) {
  constexpr std::size_t kModels = 7;
  constexpr std::size_t kRecords = 300;
  std::vector<float> phi(kModels * kRecords);
  std::vector<std::uint8_t> keep(kModels * kRecords);
  for (std::size_t m = 0; m < kModels; ++m) {
    for (std::size_t i = 0; i < kRecords; ++i) {
      phi[m * kRecords + i] = static_cast<float>((m * 37 + i * 11) % 23) - 11.0f;
      keep[m * kRecords + i] = static_cast<std::uint8_t>((m + i) % 3 == 0 ? 1 : (m * i) % 2);
    }
  }
  const MembershipSignals signals{phi, keep, kModels, kRecords};
  const std::vector<std::uint32_t> subset = {6, 2, 4, 0, 5};
  const auto risk = compute_record_risk(signals, subset);
  ASSERT_EQ(risk.size(), kRecords);

  for (std::size_t i = 0; i < kRecords; ++i) {
    std::vector<double> in;
    std::vector<double> out;
    for (const std::uint32_t m : subset) {
      const double value = phi[m * kRecords + i];
      (keep[m * kRecords + i] != 0 ? in : out).push_back(value);
    }
    const RecordRisk expected = two_sample_risk(in, out);
    EXPECT_EQ(risk[i].n_in, expected.n_in) << "record " << i;
    EXPECT_EQ(risk[i].n_out, expected.n_out) << "record " << i;
    EXPECT_TRUE(same_or_both_nan(risk[i].mean_in, expected.mean_in)) << "record " << i;
    EXPECT_TRUE(same_or_both_nan(risk[i].sd_out, expected.sd_out)) << "record " << i;
    EXPECT_TRUE(same_or_both_nan(risk[i].auc_binormal, expected.auc_binormal)) << "record " << i;
    EXPECT_TRUE(same_or_both_nan(risk[i].auc_empirical, expected.auc_empirical)) << "record " << i;
  }
}

}  // namespace
}  // namespace privaudit::risk
