#include "plan/plan.h"

#include <gtest/gtest.h>

#include <set>

#include "core/error.h"

namespace privaudit::plan {
namespace {

// 30 patients; patient p owns (p % 3) + 1 records.
std::vector<std::int32_t> multi_record_patients() {
  std::vector<std::int32_t> patient_of_record;
  for (int p = 0; p < 30; ++p) {
    for (int r = 0; r <= p % 3; ++r) patient_of_record.push_back(p);
  }
  return patient_of_record;
}

TEST(Plan, EveryPatientInHalfTheModels) {
  const auto patients = multi_record_patients();
  PlanOptions options;
  options.models = 8;
  const Plan plan = make_plan(patients, 30, options);
  const std::size_t pool = plan.pool_size();
  for (std::size_t j = 0; j < pool; ++j) {
    int in = 0;
    for (std::size_t m = 0; m < plan.models; ++m) in += plan.membership[m * pool + j];
    EXPECT_EQ(in, 4) << "pool record " << j;
  }
  EXPECT_NO_THROW(plan.validate(patients));
}

TEST(Plan, RecordsFollowTheirPatient) {
  const auto patients = multi_record_patients();
  PlanOptions options;
  options.models = 6;
  const Plan plan = make_plan(patients, 30, options);
  const std::size_t pool = plan.pool_size();
  for (std::size_t a = 0; a < pool; ++a) {
    for (std::size_t b = a + 1; b < pool; ++b) {
      if (patients[plan.pool_records[a]] != patients[plan.pool_records[b]]) continue;
      for (std::size_t m = 0; m < plan.models; ++m) {
        EXPECT_EQ(plan.membership[m * pool + a], plan.membership[m * pool + b]);
      }
    }
  }
}

TEST(Plan, TestSplitDisjointAndSized) {
  const auto patients = multi_record_patients();
  PlanOptions options;
  options.test_fraction = 0.2;
  const Plan plan = make_plan(patients, 30, options);
  EXPECT_EQ(plan.test_patients.size(), 6u);
  EXPECT_EQ(plan.pool_patients.size(), 24u);
  std::set<std::uint32_t> test(plan.test_patients.begin(), plan.test_patients.end());
  for (std::uint32_t p : plan.pool_patients) EXPECT_EQ(test.count(p), 0u);
  EXPECT_EQ(plan.pool_records.size() + plan.test_records.size(), patients.size());
  for (std::uint32_t record : plan.test_records) {
    EXPECT_EQ(test.count(static_cast<std::uint32_t>(patients[record])), 1u);
  }
  // Test records never train any model.
  for (std::size_t m = 0; m < plan.models; ++m) {
    for (std::uint32_t row : plan.training_records(m)) {
      EXPECT_EQ(test.count(static_cast<std::uint32_t>(patients[row])), 0u);
    }
  }
}

TEST(Plan, SameSeedSamePlan) {
  const auto patients = multi_record_patients();
  PlanOptions options;
  options.seed = 77;
  const Plan a = make_plan(patients, 30, options);
  const Plan b = make_plan(patients, 30, options);
  EXPECT_EQ(a.membership, b.membership);
  EXPECT_EQ(a.test_patients, b.test_patients);
  options.seed = 78;
  const Plan c = make_plan(patients, 30, options);
  EXPECT_NE(a.membership, c.membership);
}

TEST(PlanOptions, OddOrSmallModelCountRejected) {
  PlanOptions options;
  options.models = 7;
  EXPECT_THROW(options.validate(), UsageError);
  options.models = 2;
  EXPECT_THROW(options.validate(), UsageError);
  options.models = 4;
  EXPECT_NO_THROW(options.validate());
}

TEST(PlanOptions, OddModelCountMessageSuggestsFix) {
  PlanOptions options;
  options.models = 7;
  try {
    options.validate();
    FAIL() << "expected UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("--models 7"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("try --models 8"), std::string::npos);
  }
}

TEST(PlanOptions, TestFractionRange) {
  PlanOptions options;
  options.test_fraction = 0.95;
  EXPECT_THROW(options.validate(), UsageError);
  options.test_fraction = -0.1;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(Plan, TooFewPatientsRejected) {
  const std::vector<std::int32_t> patients = {0, 1, 2, 3};
  PlanOptions options;
  options.test_fraction = 0.5;
  EXPECT_THROW(make_plan(patients, 4, options), InputError);
}

TEST(Plan, ValidateCatchesUnbalancedMatrix) {
  const auto patients = multi_record_patients();
  Plan plan = make_plan(patients, 30, PlanOptions{});
  plan.membership[0] = plan.membership[0] ? 0 : 1;
  EXPECT_THROW(plan.validate(patients), InputError);
}

}  // namespace
}  // namespace privaudit::plan
