#include "risk/patient_risk.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::risk {
namespace {

constexpr double kTolerance = 1e-12;

// 6 models x 3 records; patient 0 owns records 0 and 1, patient 1 owns record 2.
//   record 0: keep 101010, phi 2 1 3 1 1 0   (IN {2, 3, 1}, OUT {1, 1, 0})
//   record 1: keep 101010, phi 0 1 1 0 -1 2  (IN {0, 1, -1}, OUT {1, 0, 2})
//   record 2: keep 010101, phi 1 2 1 3 0 1   (IN {2, 3, 1}, OUT {1, 1, 0})
// Patient 0's per-model sums S = 2 2 4 1 0 2: IN {2, 4, 0}, OUT {2, 1, 2}.
struct TwoPatients {
  static constexpr std::size_t kModels = 6;
  static constexpr std::size_t kRecords = 3;
  std::vector<float> phi;
  std::vector<std::uint8_t> keep;
  std::vector<std::int32_t> patient_of_record = {0, 0, 1};

  TwoPatients() : phi(kModels * kRecords), keep(kModels * kRecords) {
    const float columns[kRecords][kModels] = {
        {2.0f, 1.0f, 3.0f, 1.0f, 1.0f, 0.0f},
        {0.0f, 1.0f, 1.0f, 0.0f, -1.0f, 2.0f},
        {1.0f, 2.0f, 1.0f, 3.0f, 0.0f, 1.0f},
    };
    const std::uint8_t flags[kRecords][kModels] = {
        {1, 0, 1, 0, 1, 0},
        {1, 0, 1, 0, 1, 0},
        {0, 1, 0, 1, 0, 1},
    };
    for (std::size_t m = 0; m < kModels; ++m) {
      for (std::size_t i = 0; i < kRecords; ++i) {
        phi[m * kRecords + i] = columns[i][m];
        keep[m * kRecords + i] = flags[i][m];
      }
    }
  }

  MembershipSignals view() const { return {phi, keep, kModels, kRecords}; }

  std::vector<PatientRisk> compute(std::size_t patients = 2,
                                   std::span<const std::uint32_t> models = {}) const {
    const auto records = compute_record_risk(view(), models);
    return compute_patient_risk(view(), patient_of_record, patients, records, models);
  }
};

TEST(PatientRisk, CountsRecordsAndModels) {
  const auto risk = TwoPatients().compute();
  ASSERT_EQ(risk.size(), 2u);
  EXPECT_EQ(risk[0].records, 2u);
  EXPECT_EQ(risk[1].records, 1u);
  EXPECT_EQ(risk[0].n_in, 3u);
  EXPECT_EQ(risk[0].n_out, 3u);
}

TEST(PatientRisk, MaxAndMeanOfRecordAucs) {
  const auto risk = TwoPatients().compute();
  // scipy 1.10.1 scipy.stats.norm.cdf: record 0 at sqrt(2), record 1 at -1 / sqrt(4/3).
  constexpr double kRecord0 = 0.9213503964748575;
  constexpr double kRecord1 = 0.19323811538561636;
  EXPECT_NEAR(risk[0].max_record_auc, kRecord0, kTolerance);
  EXPECT_NEAR(risk[0].mean_record_auc, (kRecord0 + kRecord1) / 2.0, kTolerance);
}

TEST(PatientRisk, JointMeansAndSds) {
  const auto risk = TwoPatients().compute();
  // numpy 1.24.2 numpy.mean / numpy.std (ddof 0) of IN [2, 4, 0] and OUT [2, 1, 2].
  EXPECT_NEAR(risk[0].joint_mean_in, 2.0, kTolerance);
  EXPECT_NEAR(risk[0].joint_sd_in, 1.632993161855452, kTolerance);
  EXPECT_NEAR(risk[0].joint_mean_out, 1.6666666666666667, kTolerance);
  EXPECT_NEAR(risk[0].joint_sd_out, 0.4714045207910317, kTolerance);
}

TEST(PatientRisk, JointAucs) {
  const auto risk = TwoPatients().compute();
  // (2 - 5/3) / sqrt(8/3 + 2/9) = 1 / sqrt(26); scipy 1.10.1 scipy.stats.norm.cdf.
  EXPECT_NEAR(risk[0].joint_auc_binormal, 0.57774036626353, kTolerance);
  // Hanley-McNeil with that A and n1 = n2 = 3, evaluated in numpy 1.24.2.
  EXPECT_NEAR(risk[0].joint_auc_se, 0.2511041349349662, kTolerance);
  // IN 2 ties two OUT 2s and beats OUT 1; IN 4 beats all; IN 0 beats none: U = 2 + 3 + 0.
  EXPECT_DOUBLE_EQ(risk[0].joint_auc_empirical, 5.0 / 9.0);
}

TEST(PatientRisk, SingleRecordPatientEqualsRecord) {
  const TwoPatients f;
  const auto records = compute_record_risk(f.view(), {});
  const auto risk = compute_patient_risk(f.view(), f.patient_of_record, 2, records, {});
  EXPECT_DOUBLE_EQ(risk[1].max_record_auc, records[2].auc_binormal);
  EXPECT_DOUBLE_EQ(risk[1].mean_record_auc, records[2].auc_binormal);
  EXPECT_DOUBLE_EQ(risk[1].joint_mean_in, records[2].mean_in);
  EXPECT_DOUBLE_EQ(risk[1].joint_sd_out, records[2].sd_out);
  EXPECT_DOUBLE_EQ(risk[1].joint_auc_binormal, records[2].auc_binormal);
  EXPECT_DOUBLE_EQ(risk[1].joint_auc_se, records[2].auc_se);
  EXPECT_DOUBLE_EQ(risk[1].joint_auc_empirical, records[2].auc_empirical);
}

TEST(PatientRisk, ModelSubset) {
  const std::vector<std::uint32_t> subset = {0, 1, 2, 3};
  const auto risk = TwoPatients().compute(2, subset);
  // Patient 0 on models 0..3: S = 2 2 4 1, IN {2, 4}, OUT {2, 1}.
  EXPECT_EQ(risk[0].n_in, 2u);
  EXPECT_EQ(risk[0].n_out, 2u);
  EXPECT_NEAR(risk[0].joint_mean_in, 3.0, kTolerance);
  EXPECT_NEAR(risk[0].joint_sd_in, 1.0, kTolerance);
  EXPECT_NEAR(risk[0].joint_mean_out, 1.5, kTolerance);
  EXPECT_NEAR(risk[0].joint_sd_out, 0.5, kTolerance);
  // scipy 1.10.1 scipy.stats.norm.cdf(1.5 / sqrt(1.25)); Hanley-McNeil in numpy 1.24.2.
  EXPECT_NEAR(risk[0].joint_auc_binormal, 0.9101437525605001, kTolerance);
  EXPECT_NEAR(risk[0].joint_auc_se, 0.17853033809632116, kTolerance);
  EXPECT_DOUBLE_EQ(risk[0].joint_auc_empirical, 3.5 / 4.0);
}

TEST(PatientRisk, MixedMembershipNamesPatientAndModel) {
  TwoPatients f;
  const auto records = compute_record_risk(f.view(), {});
  f.keep[3 * TwoPatients::kRecords + 1] = 1;  // record 1 IN model 3, record 0 OUT
  try {
    compute_patient_risk(f.view(), f.patient_of_record, 2, records, {});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("patient 0"), std::string::npos) << message;
    EXPECT_NE(message.find("model 3"), std::string::npos) << message;
  }
}

TEST(PatientRisk, PatientWithoutRecordsIsInternalError) {
  EXPECT_THROW(TwoPatients().compute(3), InternalError);
}

TEST(PatientRisk, PatientIndexOutOfRangeIsInternalError) {
  TwoPatients f;
  const auto records = compute_record_risk(f.view(), {});
  f.patient_of_record = {0, 0, 2};
  EXPECT_THROW(compute_patient_risk(f.view(), f.patient_of_record, 2, records, {}), InternalError);
  f.patient_of_record = {0, -1, 1};
  EXPECT_THROW(compute_patient_risk(f.view(), f.patient_of_record, 2, records, {}), InternalError);
}

TEST(PatientRisk, RecordRisksFromOtherModelsRejected) {
  const TwoPatients f;
  const auto records = compute_record_risk(f.view(), {});
  const std::vector<std::uint32_t> subset = {0, 1, 2, 3};
  EXPECT_THROW(compute_patient_risk(f.view(), f.patient_of_record, 2, records, subset),
               InternalError);
}

TEST(PatientRisk, NanRecordAucPropagates) {
  // One patient with two records, IN every model: no OUT sample, so every AUC is NaN.
  const std::vector<float> phi = {1.0f, 2.0f, 3.0f, 4.0f};
  const std::vector<std::uint8_t> keep = {1, 1, 1, 1};
  const MembershipSignals signals{phi, keep, 2, 2};
  const std::vector<std::int32_t> patient_of_record = {0, 0};
  const auto records = compute_record_risk(signals, {});
  const auto risk = compute_patient_risk(signals, patient_of_record, 1, records, {});
  EXPECT_TRUE(std::isnan(risk[0].max_record_auc));
  EXPECT_TRUE(std::isnan(risk[0].mean_record_auc));
  EXPECT_TRUE(std::isnan(risk[0].joint_auc_binormal));
  EXPECT_EQ(risk[0].n_out, 0u);
}

// More patients than one tile, records of a patient not adjacent: every patient's joint AUC must
// equal two_sample_risk() on the per-model sums computed directly.
TEST(PatientRisk, TiledMatchesDirect) {
  constexpr std::size_t kModels = 5;
  constexpr std::size_t kPatients = 300;
  constexpr std::size_t kRecords = 2 * kPatients;
  std::vector<std::int32_t> patient_of_record(kRecords);
  for (std::size_t i = 0; i < kRecords; ++i) {
    patient_of_record[i] = static_cast<std::int32_t>(i % kPatients);
  }
  std::vector<float> phi(kModels * kRecords);
  std::vector<std::uint8_t> keep(kModels * kRecords);
  for (std::size_t m = 0; m < kModels; ++m) {
    for (std::size_t i = 0; i < kRecords; ++i) {
      const std::size_t p = i % kPatients;
      phi[m * kRecords + i] = static_cast<float>((m * 13 + i * 7) % 17) - 8.0f;
      keep[m * kRecords + i] = static_cast<std::uint8_t>((m + p) % 2);
    }
  }
  const MembershipSignals signals{phi, keep, kModels, kRecords};
  const auto records = compute_record_risk(signals, {});
  const auto risk = compute_patient_risk(signals, patient_of_record, kPatients, records, {});
  ASSERT_EQ(risk.size(), kPatients);

  for (std::size_t p = 0; p < kPatients; ++p) {
    std::vector<double> in;
    std::vector<double> out;
    for (std::size_t m = 0; m < kModels; ++m) {
      const double sum = static_cast<double>(phi[m * kRecords + p]) +
                         static_cast<double>(phi[m * kRecords + p + kPatients]);
      (keep[m * kRecords + p] != 0 ? in : out).push_back(sum);
    }
    const RecordRisk expected = two_sample_risk(in, out);
    EXPECT_EQ(risk[p].records, 2u) << "patient " << p;
    EXPECT_EQ(risk[p].n_in, expected.n_in) << "patient " << p;
    EXPECT_EQ(risk[p].joint_mean_in, expected.mean_in) << "patient " << p;
    EXPECT_EQ(risk[p].joint_sd_out, expected.sd_out) << "patient " << p;
    EXPECT_EQ(risk[p].joint_auc_binormal, expected.auc_binormal) << "patient " << p;
    EXPECT_EQ(risk[p].joint_auc_empirical, expected.auc_empirical) << "patient " << p;
  }
}

}  // namespace
}  // namespace privaudit::risk
