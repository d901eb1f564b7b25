#include "training/train_options.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.h"

namespace privaudit::training {
namespace {

std::string usage_message(const nlohmann::json& json) {
  try {
    TrainOptions::from_json(json);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(TrainOptions, DefaultsAreValid) { EXPECT_NO_THROW(TrainOptions{}.validate()); }

// The message of the UsageError that validate() throws for `options`, or "" when it accepts them.
std::string validate_message(const TrainOptions& options) {
  try {
    options.validate();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(TrainOptions, RejectsEachInvalidField) {
  // Each case names the command-line option (or, without one, the field) and the value.
  const auto expect_invalid = [](auto mutate, const char* fragment) {
    TrainOptions options;
    mutate(options);
    const std::string message = validate_message(options);
    EXPECT_NE(message.find(fragment), std::string::npos)
        << "expected \"" << fragment << "\" in: " << message;
  };
  expect_invalid([](TrainOptions& o) { o.learning_rate = 0; }, "--lr 0 is invalid");
  expect_invalid([](TrainOptions& o) { o.learning_rate = NAN; }, "--lr nan is invalid");
  expect_invalid([](TrainOptions& o) { o.learning_rate = INFINITY; }, "--lr inf is invalid");
  expect_invalid([](TrainOptions& o) { o.momentum = 1.0; }, "--momentum 1 is invalid");
  expect_invalid([](TrainOptions& o) { o.momentum = -0.1; }, "--momentum -0.1 is invalid");
  expect_invalid([](TrainOptions& o) { o.weight_decay = -1e-4; },
                 "--weight-decay -0.0001 is invalid");
  expect_invalid([](TrainOptions& o) { o.epochs = 0; }, "--epochs 0 is invalid");
  expect_invalid([](TrainOptions& o) { o.batch_size = 0; }, "--batch-size 0 is invalid");
  expect_invalid([](TrainOptions& o) { o.warmup_epochs = 21; }, "--warmup-epochs 21");
  expect_invalid([](TrainOptions& o) { o.warmup_epochs = -1; }, "--warmup-epochs -1 is invalid");
  expect_invalid([](TrainOptions& o) { o.warmup_epochs = NAN; }, "--warmup-epochs nan");
  expect_invalid([](TrainOptions& o) { o.adam_beta1 = 1.0; }, "adam_beta1 1 is invalid");
  expect_invalid([](TrainOptions& o) { o.adam_beta2 = -0.5; }, "adam_beta2 -0.5 is invalid");
  expect_invalid([](TrainOptions& o) { o.adam_eps = 0; }, "adam_eps 0 is invalid");
}

TEST(TrainOptions, RejectsInvalidPrivacySettings) {
  // Each case names the option, the value and the valid range.
  const auto expect_invalid = [](auto mutate, const char* fragment, const char* range) {
    TrainOptions options;
    options.privacy = TrainOptions::Privacy::kPatient;
    mutate(options);
    const std::string message = validate_message(options);
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
    EXPECT_NE(message.find(range), std::string::npos) << message;
  };
  expect_invalid([](TrainOptions& o) { o.dp_clip = 0; }, "--dp-clip 0 is invalid", "> 0");
  expect_invalid([](TrainOptions& o) { o.dp_clip = -2; }, "--dp-clip -2 is invalid", "> 0");
  expect_invalid([](TrainOptions& o) { o.dp_clip = NAN; }, "--dp-clip nan is invalid", "> 0");
  expect_invalid([](TrainOptions& o) { o.dp_noise = -1; }, "--dp-noise -1 is invalid", ">= 0");
  expect_invalid([](TrainOptions& o) { o.dp_noise = INFINITY; }, "--dp-noise inf", ">= 0");
  expect_invalid([](TrainOptions& o) { o.dp_sampling_rate = 0.0; },
                 "--dp-sampling-rate 0 is invalid", "(0, 1]");
  expect_invalid([](TrainOptions& o) { o.dp_sampling_rate = 1.5; },
                 "--dp-sampling-rate 1.5 is invalid", "(0, 1]");
  expect_invalid([](TrainOptions& o) { o.dp_target_epsilon = 0.0; },
                 "--target-epsilon 0 is invalid", "> 0");
  expect_invalid([](TrainOptions& o) { o.dp_target_epsilon = -3.0; },
                 "--target-epsilon -3 is invalid", "> 0");
  expect_invalid([](TrainOptions& o) { o.dp_target_epsilon = INFINITY; },
                 "--target-epsilon inf is invalid", "finite");
  expect_invalid([](TrainOptions& o) { o.dp_delta = 0.0; }, "--delta 0 is invalid", "(0, 1)");
  expect_invalid([](TrainOptions& o) { o.dp_delta = 1.0; }, "--delta 1 is invalid", "(0, 1)");
  expect_invalid(
      [](TrainOptions& o) { o.class_weighting = TrainOptions::ClassWeighting::kBalanced; },
      "--class-weighting balanced cannot be combined with --dp", "none");
}

TEST(TrainOptions, PrivacyLimitsAccepted) {
  TrainOptions options;
  options.privacy = TrainOptions::Privacy::kRecord;
  options.dp_clip = INFINITY;
  options.dp_noise = 0.0;
  options.dp_sampling_rate = 1.0;
  options.dp_delta = 1e-9;
  EXPECT_EQ(validate_message(options), "");
}

TEST(TrainOptions, PrivacyJsonRoundTrip) {
  TrainOptions options;
  options.privacy = TrainOptions::Privacy::kPatient;
  options.dp_clip = INFINITY;
  options.dp_noise = 0.7;
  options.dp_sampling_rate = 0.02;
  options.dp_target_epsilon = 10.0;
  const nlohmann::json json = options.to_json();
  EXPECT_EQ(json.at("privacy"), "patient");
  EXPECT_EQ(json.at("dp_clip"), "inf");
  EXPECT_TRUE(json.at("dp_delta").is_null());
  const TrainOptions back = TrainOptions::from_json(json);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_TRUE(std::isinf(back.dp_clip));
  EXPECT_EQ(back.dp_sampling_rate, 0.02);
  EXPECT_EQ(back.dp_target_epsilon, 10.0);
  EXPECT_FALSE(back.dp_delta.has_value());
  // A recipe written before DP-SGD existed reads as privacy off.
  EXPECT_EQ(TrainOptions::from_json({{"epochs", 3}}).privacy, TrainOptions::Privacy::kOff);
  EXPECT_NE(usage_message({{"privacy", "patients"}}).find("off, patient, record"),
            std::string::npos);
}

TEST(TrainOptions, MessageGivesRangeAndExample) {
  TrainOptions options;
  options.learning_rate = -1;
  EXPECT_EQ(validate_message(options),
            "--lr -1 is invalid: expected a finite learning rate > 0, such as 0.001");
  options = {};
  options.batch_size = 0;
  EXPECT_EQ(validate_message(options),
            "--batch-size 0 is invalid: expected an integer in [1, 1048576], such as 256");
  // No message uses a field name where a command-line option exists.
  for (const char* field : {"learning_rate", "batch_size", "weight_decay", "warmup_epochs"}) {
    options = {};
    options.learning_rate = -1;
    options.batch_size = 0;
    options.weight_decay = -1;
    options.warmup_epochs = -1;
    EXPECT_EQ(validate_message(options).find(field), std::string::npos) << field;
  }
}

TEST(TrainOptions, UpperBounds) {
  TrainOptions options;
  options.epochs = TrainOptions::kMaxEpochs;
  EXPECT_EQ(validate_message(options), "");
  options.epochs = TrainOptions::kMaxEpochs + 1;
  EXPECT_EQ(validate_message(options),
            "--epochs 100001 is invalid: expected an integer in [1, 100000], such as 20");

  options = {};
  options.batch_size = std::size_t{1} << 20;
  EXPECT_EQ(validate_message(options), "");
  options.batch_size = (std::size_t{1} << 20) + 1;
  EXPECT_NE(validate_message(options).find("--batch-size 1048577 is invalid"), std::string::npos)
      << validate_message(options);
}

TEST(TrainOptions, WarmupLongerThanTraining) {
  TrainOptions options;
  options.epochs = 20;
  options.warmup_epochs = 50;
  const std::string message = validate_message(options);
  EXPECT_NE(message.find("--warmup-epochs 50"), std::string::npos) << message;
  EXPECT_NE(message.find("--epochs 20"), std::string::npos) << message;
  EXPECT_NE(message.find("Lower --warmup-epochs or raise --epochs"), std::string::npos) << message;
  // A warm-up as long as the training is allowed.
  options.warmup_epochs = 20;
  EXPECT_EQ(validate_message(options), "");
}

TEST(TrainOptions, JsonRoundTrip) {
  TrainOptions options;
  options.optimizer = TrainOptions::Optimizer::kSgd;
  options.learning_rate = 0.0123;
  options.momentum = 0.5;
  options.weight_decay = 1e-4;
  options.epochs = 7;
  options.batch_size = 64;
  options.warmup_epochs = 1.5;
  options.schedule = TrainOptions::Schedule::kConstant;
  options.class_weighting = TrainOptions::ClassWeighting::kBalanced;
  options.adam_beta1 = 0.8;
  options.adam_beta2 = 0.99;
  options.adam_eps = 1e-6;
  const nlohmann::json json = options.to_json();
  EXPECT_EQ(json.at("optimizer"), "sgd");
  EXPECT_EQ(json.at("schedule"), "constant");
  EXPECT_EQ(json.at("class_weighting"), "balanced");
  const TrainOptions back = TrainOptions::from_json(json);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_EQ(back.learning_rate, 0.0123);
  EXPECT_EQ(back.epochs, 7u);
}

TEST(TrainOptions, MissingKeysKeepDefaults) {
  const TrainOptions options = TrainOptions::from_json({{"epochs", 3}});
  EXPECT_EQ(options.epochs, 3u);
  EXPECT_EQ(options.batch_size, 256u);
  EXPECT_EQ(options.optimizer, TrainOptions::Optimizer::kAdam);
  EXPECT_EQ(options.schedule, TrainOptions::Schedule::kCosine);
}

TEST(TrainOptions, UnknownKeySuggestsNearest) {
  const std::string message = usage_message({{"lerning_rate", 0.1}});
  EXPECT_NE(message.find("\"lerning_rate\""), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean \"learning_rate\""), std::string::npos) << message;
}

TEST(TrainOptions, UnrelatedKeyHasNoSuggestion) {
  const std::string message = usage_message({{"dropout_probability", 0.1}});
  EXPECT_NE(message.find("dropout_probability"), std::string::npos) << message;
  EXPECT_EQ(message.find("did you mean"), std::string::npos) << message;
}

TEST(TrainOptions, WrongTypesRejected) {
  EXPECT_NE(usage_message({{"epochs", -3}}).find("non-negative integer"), std::string::npos);
  EXPECT_NE(usage_message({{"epochs", 2.5}}).find("epochs"), std::string::npos);
  EXPECT_NE(usage_message({{"learning_rate", "fast"}}).find("expected a number"),
            std::string::npos);
  EXPECT_NE(usage_message({{"optimizer", 1}}).find("expected a string"), std::string::npos);
  EXPECT_NE(usage_message(nlohmann::json::array()).find("JSON object"), std::string::npos);
}

TEST(TrainOptions, InvalidValueFromJsonRejected) {
  EXPECT_NE(usage_message({{"batch_size", 0}}).find("--batch-size 0"), std::string::npos);
  EXPECT_NE(usage_message({{"optimizer", "adamw"}}).find("adam, sgd"), std::string::npos);
}

TEST(TrainOptions, EnumStringsRoundTrip) {
  for (const auto o : {TrainOptions::Optimizer::kAdam, TrainOptions::Optimizer::kSgd}) {
    EXPECT_EQ(parse_optimizer(to_string(o)), o);
  }
  for (const auto s : {TrainOptions::Schedule::kConstant, TrainOptions::Schedule::kCosine}) {
    EXPECT_EQ(parse_schedule(to_string(s)), s);
  }
  for (const auto w :
       {TrainOptions::ClassWeighting::kNone, TrainOptions::ClassWeighting::kBalanced}) {
    EXPECT_EQ(parse_class_weighting(to_string(w)), w);
  }
}

TEST(TrainOptions, ParseListsValidValues) {
  try {
    parse_schedule("linear");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("constant, cosine"), std::string::npos) << e.what();
  }
  try {
    parse_class_weighting("inverse");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("none, balanced"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace privaudit::training
