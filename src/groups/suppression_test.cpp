#include "groups/suppression.h"

#include <string>

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
