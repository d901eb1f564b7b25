#include "risk/membership_signals.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::risk {
namespace {

// 2 models x 3 records, all finite and all flags 0 or 1.
struct Fixture {
  std::vector<float> phi = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
  std::vector<std::uint8_t> keep = {1, 0, 1, 0, 1, 0};

  MembershipSignals view() const { return {phi, keep, 2, 3}; }
};

TEST(MembershipSignals, ValidAcceptsConsistentView) {
  const Fixture f;
  EXPECT_NO_THROW(f.view().validate());
}

TEST(MembershipSignals, PhiSizeMismatchIsInternalError) {
  Fixture f;
  f.phi.pop_back();
  EXPECT_THROW(f.view().validate(), InternalError);
}

TEST(MembershipSignals, KeepSizeMismatchIsInternalError) {
  Fixture f;
  f.keep.push_back(1);
  EXPECT_THROW(f.view().validate(), InternalError);
}

TEST(MembershipSignals, ZeroModelsIsInternalError) {
  const MembershipSignals empty{{}, {}, 0, 0};
  EXPECT_THROW(empty.validate(), InternalError);
}

TEST(MembershipSignals, NanSignalNamesModelAndRecord) {
  Fixture f;
  f.phi[1 * 3 + 2] = std::numeric_limits<float>::quiet_NaN();
  try {
    f.view().validate();
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("model 1, record 2"), std::string::npos) << message;
  }
}

TEST(MembershipSignals, InfiniteSignalIsInputError) {
  Fixture f;
  f.phi[0] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(f.view().validate(), InputError);
}

TEST(MembershipSignals, KeepAboveOneIsInputError) {
  Fixture f;
  f.keep[4] = 2;
  EXPECT_THROW(f.view().validate(), InputError);
}

TEST(MembershipSignals, EmptySubsetMeansAllModels) {
  const Fixture f;
  EXPECT_EQ(f.view().resolve_models({}), (std::vector<std::uint32_t>{0, 1}));
}

TEST(MembershipSignals, SubsetKeptInGivenOrder) {
  const Fixture f;
  const std::vector<std::uint32_t> subset = {1, 0};
  EXPECT_EQ(f.view().resolve_models(subset), subset);
}

TEST(MembershipSignals, SubsetOutOfRangeIsInternalError) {
  const Fixture f;
  const std::vector<std::uint32_t> subset = {0, 2};
  EXPECT_THROW(f.view().resolve_models(subset), InternalError);
}

TEST(MembershipSignals, SubsetDuplicateIsInternalError) {
  const Fixture f;
  const std::vector<std::uint32_t> subset = {1, 1};
  EXPECT_THROW(f.view().resolve_models(subset), InternalError);
}

}  // namespace
}  // namespace privaudit::risk
