#include "groups/suppression.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::groups {
namespace {

TEST(Suppression, BelowMinimumSuppressed) {
  const SuppressionOptions options;  // 10 patients
  EXPECT_TRUE(is_suppressed(0, options));
  EXPECT_TRUE(is_suppressed(9, options));
}

TEST(Suppression, AtMinimumReported) {
  const SuppressionOptions options;
  EXPECT_FALSE(is_suppressed(10, options));
  EXPECT_FALSE(is_suppressed(1000, options));
}

TEST(SuppressionOptions, FloorAccepted) {
  SuppressionOptions options;
  options.min_group_patients = 5;
  EXPECT_NO_THROW(options.validate());
}

TEST(SuppressionOptions, BelowFloorMessage) {
  SuppressionOptions options;
  options.min_group_patients = 3;
  try {
    options.validate();
    FAIL() << "expected UsageError";
  } catch (const UsageError& error) {
    EXPECT_EQ(std::string(error.what()),
              "--min-group-patients 3 is invalid: small-cell suppression needs at least 5 "
              "patients per reported group");
  }
}

}  // namespace
}  // namespace privaudit::groups

namespace privaudit::groups {
namespace {

TEST(SuppressGroups, NothingSmallNothingHidden) {
  const std::vector<std::size_t> patients = {40, 12, 10};
  EXPECT_EQ(suppress_groups(patients, SuppressionOptions{}), (std::vector<bool>{false, false, false}));
}

TEST(SuppressGroups, OneSmallGroupHidesNextSmallest) {
  // Hiding only the 3-patient group would let 100 - 40 - 30 - 27 = 3 be recovered.
  const std::vector<std::size_t> patients = {40, 3, 30, 27};
  EXPECT_EQ(suppress_groups(patients, SuppressionOptions{}), (std::vector<bool>{false, true, false, true}));
}

TEST(SuppressGroups, TwoSmallGroupsBelowKHideMore) {
  // 3 + 4 = 7 < 10, so the smallest visible group (12) is hidden too.
  const std::vector<std::size_t> patients = {3, 50, 4, 12};
  EXPECT_EQ(suppress_groups(patients, SuppressionOptions{}), (std::vector<bool>{true, false, true, true}));
}

TEST(SuppressGroups, TwoGroupsAttributeFullyHidden) {
  const std::vector<std::size_t> patients = {500, 6};
  EXPECT_EQ(suppress_groups(patients, SuppressionOptions{}), (std::vector<bool>{true, true}));
}

TEST(SuppressGroups, EmptyGroupsIgnored) {
  const std::vector<std::size_t> patients = {0, 20, 30};
  EXPECT_EQ(suppress_groups(patients, SuppressionOptions{}), (std::vector<bool>{false, false, false}));
}

}  // namespace
}  // namespace privaudit::groups
