#include "attacks/signal_matrix.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "attacks/signal_matrix_testing.h"
#include "core/error.h"

namespace privaudit::attacks {
namespace {

using testing::OwnedSignals;

OwnedSignals two_by_three() {
  OwnedSignals data(2, 3);
  data.phi = {0.5f, -1.0f, 2.0f, 1.5f, 0.0f, -2.5f};
  data.keep = {1, 0, 1, 0, 1, 0};
  return data;
}

TEST(SignalView, AccessorsReadRowMajor) {
  const OwnedSignals data = two_by_three();
  const SignalView view = data.view();
  EXPECT_DOUBLE_EQ(view.signal(0, 2), 2.0);
  EXPECT_DOUBLE_EQ(view.signal(1, 0), 1.5);
  EXPECT_TRUE(view.member(0, 0));
  EXPECT_FALSE(view.member(1, 2));
  ASSERT_EQ(view.model_signals(1).size(), 3u);
  EXPECT_FLOAT_EQ(view.model_signals(1)[2], -2.5f);
  ASSERT_EQ(view.model_membership(1).size(), 3u);
  EXPECT_EQ(view.model_membership(1)[1], 1);
}

TEST(SignalView, ValidateAcceptsWellFormed) {
  const OwnedSignals data = two_by_three();
  EXPECT_NO_THROW(data.view().validate());
}

TEST(SignalView, ValidateRejectsZeroModels) {
  const SignalView view{{}, {}, 0, 3};
  EXPECT_THROW(view.validate_shape(), InputError);
}

TEST(SignalView, ValidateRejectsZeroRecords) {
  const SignalView view{{}, {}, 2, 0};
  EXPECT_THROW(view.validate_shape(), InputError);
}

TEST(SignalView, ValidateRejectsShortPhi) {
  const OwnedSignals data = two_by_three();
  SignalView view = data.view();
  view.phi = view.phi.first(5);
  EXPECT_THROW(view.validate_shape(), InputError);
}

TEST(SignalView, ValidateRejectsShortKeep) {
  const OwnedSignals data = two_by_three();
  SignalView view = data.view();
  view.keep = view.keep.first(5);
  EXPECT_THROW(view.validate(), InputError);
}

TEST(SignalView, ValidateRejectsKeepTwo) {
  OwnedSignals data = two_by_three();
  data.member(1, 1) = 2;
  EXPECT_THROW(data.view().validate(), InputError);
}

TEST(SignalView, ValidateRejectsNaNSignal) {
  OwnedSignals data = two_by_three();
  data.signal(0, 1) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(data.view().validate(), InputError);
}

TEST(SignalView, ValidateRejectsInfiniteSignal) {
  OwnedSignals data = two_by_three();
  data.signal(1, 2) = -std::numeric_limits<float>::infinity();
  EXPECT_THROW(data.view().validate(), InputError);
}

TEST(SignalView, ValidateMessageNamesCell) {
  OwnedSignals data = two_by_three();
  data.member(1, 2) = 7;
  try {
    data.view().validate();
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("model 1, record 2 is 7"), std::string::npos)
        << error.what();
  }
}

TEST(References, AcceptsDistinctInRange) {
  const OwnedSignals data = two_by_three();
  const std::vector<std::uint32_t> references = {1, 0};
  EXPECT_NO_THROW(validate_references(data.view(), references));
}

TEST(References, RejectsEmpty) {
  const OwnedSignals data = two_by_three();
  EXPECT_THROW(validate_references(data.view(), {}), UsageError);
}

TEST(References, RejectsOutOfRange) {
  const OwnedSignals data = two_by_three();
  const std::vector<std::uint32_t> references = {0, 2};
  EXPECT_THROW(validate_references(data.view(), references), UsageError);
}

TEST(References, RejectsDuplicate) {
  const OwnedSignals data = two_by_three();
  const std::vector<std::uint32_t> references = {1, 1};
  EXPECT_THROW(validate_references(data.view(), references), UsageError);
}

TEST(Target, RejectsOutOfRange) {
  const OwnedSignals data = two_by_three();
  const std::vector<std::uint32_t> references = {0};
  EXPECT_THROW(validate_target(data.view(), 2, references), UsageError);
}

TEST(Target, RejectsTargetAmongReferences) {
  const OwnedSignals data = two_by_three();
  const std::vector<std::uint32_t> references = {0, 1};
  EXPECT_THROW(validate_target(data.view(), 1, references), UsageError);
}

TEST(Target, AcceptsDisjointTarget) {
  const OwnedSignals data = two_by_three();
  const std::vector<std::uint32_t> references = {1};
  EXPECT_NO_THROW(validate_target(data.view(), 0, references));
}

}  // namespace
}  // namespace privaudit::attacks
