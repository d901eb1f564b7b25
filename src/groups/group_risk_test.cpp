#include "groups/group_risk.h"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/random.h"

namespace privaudit::groups {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// 12 records of 6 patients (record i belongs to patient i mod 6). Patients 0-2 form group 0 and
// patients 3-5 group 1.
struct SmallCohort {
  std::vector<double> record_auc = {0.51, 0.62, 0.55, 0.97, 0.73, 0.88,
                                    0.61, 0.99, 0.70, 0.66, 0.58, 0.93};
  std::vector<std::int32_t> patient_of_record = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5};
  std::vector<double> patient_auc = {0.62, 0.99, 0.70, 0.97, 0.73, 0.93};
  std::vector<std::int32_t> group_of_patient = {0, 0, 0, 1, 1, 1};
};

std::vector<GroupRisk> small_cohort_risk(const BootstrapOptions& options = {}) {
  const SmallCohort cohort;
  return group_risk(cohort.record_auc, cohort.patient_of_record, cohort.patient_auc,
                    cohort.group_of_patient, 2, options);
}

// Reference values: numpy 1.24.2 numpy.mean and numpy.quantile(values, 0.99) on each group's
// record and patient AUCs.
TEST(GroupRisk, PointEstimatesGroupZero) {
  const GroupRisk risk = small_cohort_risk()[0];
  EXPECT_EQ(risk.patients, 3u);
  EXPECT_EQ(risk.records, 6u);
  EXPECT_NEAR(risk.record_auc_mean.value, 0.6633333333333334, 1e-15);
  EXPECT_NEAR(risk.record_auc_p99.value, 0.9755, 1e-15);
  EXPECT_NEAR(risk.patient_auc_mean.value, 0.7699999999999999, 1e-15);
  EXPECT_NEAR(risk.patient_auc_p99.value, 0.9842, 1e-15);
  EXPECT_DOUBLE_EQ(risk.share_above_0_9.value, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(risk.share_above_0_95.value, 1.0 / 3.0);
}

TEST(GroupRisk, PointEstimatesGroupOne) {
  const GroupRisk risk = small_cohort_risk()[1];
  EXPECT_NEAR(risk.record_auc_mean.value, 0.7916666666666666, 1e-15);
  EXPECT_NEAR(risk.record_auc_p99.value, 0.968, 1e-15);
  EXPECT_NEAR(risk.patient_auc_mean.value, 0.8766666666666666, 1e-15);
  EXPECT_NEAR(risk.patient_auc_p99.value, 0.9692, 1e-15);
  EXPECT_DOUBLE_EQ(risk.share_above_0_9.value, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(risk.share_above_0_95.value, 1.0 / 3.0);
}

TEST(GroupRisk, SameSeedSameBytes) {
  const GroupRisk first = small_cohort_risk()[1];
  const GroupRisk second = small_cohort_risk()[1];
  EXPECT_EQ(first.record_auc_mean.ci_low, second.record_auc_mean.ci_low);
  EXPECT_EQ(first.patient_auc_p99.ci_high, second.patient_auc_p99.ci_high);
}

TEST(GroupRisk, GroupReproducibleAlone) {
  // Changing group 0's AUCs and adding a third group leaves group 1's intervals unchanged.
  SmallCohort cohort;
  const GroupRisk before = small_cohort_risk()[1];
  cohort.patient_auc[0] = 0.1;
  cohort.record_auc[0] = 0.2;
  cohort.group_of_patient[2] = 2;
  const GroupRisk after = group_risk(cohort.record_auc, cohort.patient_of_record,
                                     cohort.patient_auc, cohort.group_of_patient, 3, {})[1];
  EXPECT_EQ(before.record_auc_mean.ci_low, after.record_auc_mean.ci_low);
  EXPECT_EQ(before.record_auc_mean.ci_high, after.record_auc_mean.ci_high);
  EXPECT_EQ(before.patient_auc_mean.ci_high, after.patient_auc_mean.ci_high);
}

// A group of `patients` patients, each with two records, with AUCs uniform in [0.4, 1).
std::vector<GroupRisk> uniform_group(std::size_t patients, std::uint64_t seed,
                                     const BootstrapOptions& options = {}) {
  Rng rng(seed);
  std::vector<double> record_auc;
  std::vector<std::int32_t> patient_of_record;
  std::vector<double> patient_auc;
  for (std::size_t p = 0; p < patients; ++p) {
    const double first = 0.4 + 0.6 * rng.uniform();
    const double second = 0.4 + 0.6 * rng.uniform();
    record_auc.push_back(first);
    record_auc.push_back(second);
    patient_of_record.push_back(static_cast<std::int32_t>(p));
    patient_of_record.push_back(static_cast<std::int32_t>(p));
    patient_auc.push_back(std::max(first, second));
  }
  const std::vector<std::int32_t> group_of_patient(patients, 0);
  return group_risk(record_auc, patient_of_record, patient_auc, group_of_patient, 1, options);
}

// Regression pin: the C++ output for 30 patients, bootstrap seed 1 and 1,000 replicates, recorded
// when the bootstrap was written. A Python port of core's Rng with numpy 1.24.2 numpy.mean and
// numpy.quantile gave the same four values. The pin changes if the random stream, the resampling
// order or the percentile rule changes.
TEST(GroupRisk, BootstrapPinned) {
  const GroupRisk risk = uniform_group(30, 3)[0];
  EXPECT_DOUBLE_EQ(risk.patient_auc_mean.value, 0.8029174680542798);
  EXPECT_DOUBLE_EQ(risk.patient_auc_mean.ci_low, 0.7593507041448043);
  EXPECT_DOUBLE_EQ(risk.patient_auc_mean.ci_high, 0.8439940881965009);
  EXPECT_DOUBLE_EQ(risk.record_auc_p99.ci_low, 0.9481520313247872);
  EXPECT_DOUBLE_EQ(risk.record_auc_p99.ci_high, 0.988437937142026);
}

TEST(GroupRisk, SeedChangesInterval) {
  BootstrapOptions options;
  options.seed = 2;
  const GroupRisk seed_one = uniform_group(30, 3)[0];
  const GroupRisk seed_two = uniform_group(30, 3, options)[0];
  EXPECT_EQ(seed_one.patient_auc_mean.value, seed_two.patient_auc_mean.value);
  EXPECT_NE(seed_one.patient_auc_mean.ci_low, seed_two.patient_auc_mean.ci_low);
}

void expect_contains(const Estimate& estimate, const char* name) {
  EXPECT_LE(estimate.ci_low, estimate.value) << name;
  EXPECT_GE(estimate.ci_high, estimate.value) << name;
}

TEST(GroupRisk, IntervalsContainEstimate) {
  const GroupRisk risk = uniform_group(200, 11)[0];
  expect_contains(risk.record_auc_mean, "record_auc_mean");
  expect_contains(risk.record_auc_p99, "record_auc_p99");
  expect_contains(risk.patient_auc_mean, "patient_auc_mean");
  expect_contains(risk.patient_auc_p99, "patient_auc_p99");
  expect_contains(risk.share_above_0_9, "share_above_0_9");
  expect_contains(risk.share_above_0_95, "share_above_0_95");
}

TEST(GroupRisk, IntervalNarrowsWithPatients) {
  // The width of a mean's interval shrinks like 1 / sqrt(patients): 10x the patients gives about
  // 0.32x the width.
  const GroupRisk small = uniform_group(40, 12)[0];
  const GroupRisk large = uniform_group(400, 12)[0];
  const double small_width = small.patient_auc_mean.ci_high - small.patient_auc_mean.ci_low;
  const double large_width = large.patient_auc_mean.ci_high - large.patient_auc_mean.ci_low;
  EXPECT_LT(large_width, 0.5 * small_width);
  const double small_share = small.share_above_0_9.ci_high - small.share_above_0_9.ci_low;
  const double large_share = large.share_above_0_9.ci_high - large.share_above_0_9.ci_low;
  EXPECT_LT(large_share, 0.5 * small_share);
}

TEST(GroupRisk, EmptyGroupIsNaN) {
  const SmallCohort cohort;
  const GroupRisk risk = group_risk(cohort.record_auc, cohort.patient_of_record,
                                    cohort.patient_auc, cohort.group_of_patient, 3, {})[2];
  EXPECT_EQ(risk.patients, 0u);
  EXPECT_EQ(risk.records, 0u);
  EXPECT_TRUE(std::isnan(risk.record_auc_mean.value));
  EXPECT_TRUE(std::isnan(risk.record_auc_mean.ci_low));
  EXPECT_TRUE(std::isnan(risk.patient_auc_p99.ci_high));
  EXPECT_TRUE(std::isnan(risk.share_above_0_9.value));
}

TEST(GroupRisk, NaNAucsLeftOut) {
  // Patient 1 has a NaN patient AUC and one NaN record AUC, and both are left out.
  const std::vector<double> record_auc = {0.6, kNaN, 0.8};
  const std::vector<std::int32_t> patient_of_record = {0, 1, 1};
  const std::vector<double> patient_auc = {0.6, kNaN};
  const std::vector<std::int32_t> group_of_patient = {0, 0};
  const GroupRisk risk =
      group_risk(record_auc, patient_of_record, patient_auc, group_of_patient, 1, {})[0];
  EXPECT_EQ(risk.patients, 2u);
  EXPECT_EQ(risk.records, 3u);
  EXPECT_DOUBLE_EQ(risk.record_auc_mean.value, 0.7);
  EXPECT_DOUBLE_EQ(risk.patient_auc_mean.value, 0.6);
  EXPECT_EQ(risk.share_above_0_9.value, 0.0);
  EXPECT_FALSE(std::isnan(risk.patient_auc_mean.ci_low));
}

TEST(GroupRisk, AllNaNGroupIsNaN) {
  const std::vector<double> record_auc = {kNaN};
  const std::vector<std::int32_t> patient_of_record = {0};
  const std::vector<double> patient_auc = {kNaN};
  const std::vector<std::int32_t> group_of_patient = {0};
  const GroupRisk risk =
      group_risk(record_auc, patient_of_record, patient_auc, group_of_patient, 1, {})[0];
  EXPECT_EQ(risk.patients, 1u);
  EXPECT_TRUE(std::isnan(risk.record_auc_mean.value));
  EXPECT_TRUE(std::isnan(risk.patient_auc_mean.ci_high));
}

TEST(GroupRisk, LengthMismatchThrows) {
  const SmallCohort cohort;
  const std::vector<std::int32_t> short_patients(5, 0);
  EXPECT_THROW(group_risk(cohort.record_auc, short_patients, cohort.patient_auc,
                          cohort.group_of_patient, 2, {}),
               InternalError);
  EXPECT_THROW(group_risk(cohort.record_auc, cohort.patient_of_record, cohort.patient_auc,
                          short_patients, 2, {}),
               InternalError);
}

TEST(GroupRisk, IndexOutOfRangeThrows) {
  SmallCohort cohort;
  cohort.patient_of_record[3] = 6;
  EXPECT_THROW(group_risk(cohort.record_auc, cohort.patient_of_record, cohort.patient_auc,
                          cohort.group_of_patient, 2, {}),
               InternalError);
  const SmallCohort valid;
  EXPECT_THROW(group_risk(valid.record_auc, valid.patient_of_record, valid.patient_auc,
                          valid.group_of_patient, 1, {}),
               InternalError);
}

TEST(BootstrapOptions, TooFewReplicatesThrows) {
  BootstrapOptions options;
  options.replicates = 99;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(BootstrapOptions, LevelOutOfRangeThrows) {
  BootstrapOptions options;
  options.level = 1.0;
  EXPECT_THROW(options.validate(), UsageError);
  options.level = 0.0;
  EXPECT_THROW(options.validate(), UsageError);
  options.level = kNaN;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(BootstrapOptions, DefaultsValid) { EXPECT_NO_THROW(BootstrapOptions{}.validate()); }

}  // namespace
}  // namespace privaudit::groups
