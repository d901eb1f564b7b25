#include "attacks/loss_attack.h"

#include <vector>

#include <gtest/gtest.h>

#include "attacks/signal_matrix_testing.h"
#include "core/error.h"

namespace privaudit::attacks {
namespace {

TEST(LossAttack, ReturnsTargetRow) {
  testing::OwnedSignals data(2, 3);
  data.phi = {0.5f, -1.0f, 2.0f, 1.5f, 0.0f, -2.5f};
  EXPECT_EQ(loss_attack(data.view(), 1), (std::vector<double>{1.5, 0.0, -2.5}));
}

TEST(LossAttack, RejectsTargetOutOfRange) {
  const testing::OwnedSignals data(2, 3);
  EXPECT_THROW(loss_attack(data.view(), 2), UsageError);
}

TEST(LossAttack, RejectsBadShape) {
  const testing::OwnedSignals data(2, 3);
  SignalView view = data.view();
  view.models = 3;
  EXPECT_THROW(loss_attack(view, 0), InputError);
}

}  // namespace
}  // namespace privaudit::attacks
