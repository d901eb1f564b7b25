#include "run/privacy_account.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.h"
#include "privacy/auc_bound.h"
#include "privacy/rdp_accountant.h"

namespace privaudit::run {
namespace {

using training::TrainOptions;

TrainOptions patient_recipe() {
  TrainOptions train;
  train.privacy = TrainOptions::Privacy::kPatient;
  train.batch_size = 64;
  train.epochs = 30;
  train.dp_noise = 1.0;
  return train;
}

// 1000 pool patients: a model trains on about 500, so q = 64 / 500 = 0.128, round(1 / q) = 8
// steps per epoch, 240 steps in all, and delta = 1 / 1000.
TEST(PrivacyAccount, DefaultsFromBatchAndPool) {
  const PrivacyAccount account = account_privacy(patient_recipe(), 1000);
  EXPECT_DOUBLE_EQ(account.sampling_rate, 0.128);
  EXPECT_EQ(account.steps, 240);
  EXPECT_DOUBLE_EQ(account.delta, 1e-3);
  EXPECT_EQ(account.noise_multiplier, 1.0);
  EXPECT_EQ(account.target_epsilon, 0.0);
  const privacy::EpsilonAtOrder expected = privacy::dp_sgd_epsilon(0.128, 1.0, 240, 1e-3);
  EXPECT_EQ(account.epsilon, expected.epsilon);
  EXPECT_EQ(account.order, expected.order);
  const double profile = privacy::rdp_profile_auc_bound(privacy::compute_rdp(0.128, 1.0, 240));
  EXPECT_EQ(account.auc_bound, profile);
  EXPECT_EQ(account.auc_bound_single_pair, privacy::dp_auc_bound(expected.epsilon, 1e-3));
  EXPECT_LE(account.auc_bound, account.auc_bound_single_pair);
}

TEST(PrivacyAccount, ExplicitRateAndDelta) {
  TrainOptions train = patient_recipe();
  train.dp_sampling_rate = 0.01;
  train.dp_delta = 1e-5;
  const PrivacyAccount account = account_privacy(train, 1000);
  EXPECT_EQ(account.sampling_rate, 0.01);
  EXPECT_EQ(account.steps, 3000);  // 30 epochs of 100 steps
  EXPECT_EQ(account.delta, 1e-5);
}

TEST(PrivacyAccount, TargetEpsilonCalibratesNoise) {
  TrainOptions train = patient_recipe();
  train.dp_target_epsilon = 2.0;
  const PrivacyAccount account = account_privacy(train, 1000);
  EXPECT_LE(account.epsilon, 2.0);
  EXPECT_GT(account.epsilon, 1.999);
  EXPECT_EQ(account.target_epsilon, 2.0);
  const TrainOptions resolved = resolved_train_options(train, account);
  EXPECT_EQ(resolved.dp_noise, account.noise_multiplier);
  EXPECT_EQ(resolved.dp_sampling_rate, account.sampling_rate);
  EXPECT_FALSE(resolved.dp_target_epsilon.has_value());
}

TEST(PrivacyAccount, NoNoiseOrNoClipGivesNoGuarantee) {
  TrainOptions train = patient_recipe();
  train.dp_noise = 0.0;
  PrivacyAccount account = account_privacy(train, 1000);
  EXPECT_TRUE(std::isinf(account.epsilon));
  EXPECT_TRUE(std::isnan(account.order));
  EXPECT_EQ(account.auc_bound, 1.0);
  train = patient_recipe();
  train.dp_clip = INFINITY;
  account = account_privacy(train, 1000);
  EXPECT_TRUE(std::isinf(account.epsilon));
  EXPECT_EQ(account.auc_bound, 1.0);
  const nlohmann::json json = account.to_json();
  EXPECT_EQ(json.at("epsilon"), "inf");
  EXPECT_EQ(json.at("clip_norm"), "inf");
  EXPECT_TRUE(json.at("order").is_null());
}

TEST(PrivacyAccount, RejectsInvalidRequests) {
  EXPECT_THROW(account_privacy(TrainOptions{}, 1000), UsageError);  // privacy off
  EXPECT_THROW(account_privacy(patient_recipe(), 1), UsageError);
  // Every unit in each of 30000 steps: even sigma 1e4 gives epsilon of about 0.03.
  TrainOptions train = patient_recipe();
  train.epochs = 30000;
  train.dp_sampling_rate = 1.0;
  train.dp_delta = 1e-10;
  train.dp_target_epsilon = 1e-6;
  try {
    account_privacy(train, 1000);
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("not reachable"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace privaudit::run
