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

TEST(TrainOptions, RejectsEachInvalidField) {
  const auto expect_invalid = [](auto mutate, const char* field) {
    TrainOptions options;
    mutate(options);
    try {
      options.validate();
      ADD_FAILURE() << field << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  expect_invalid([](TrainOptions& o) { o.learning_rate = 0; }, "learning_rate");
  expect_invalid([](TrainOptions& o) { o.learning_rate = NAN; }, "learning_rate");
  expect_invalid([](TrainOptions& o) { o.learning_rate = INFINITY; }, "learning_rate");
  expect_invalid([](TrainOptions& o) { o.momentum = 1.0; }, "momentum");
  expect_invalid([](TrainOptions& o) { o.momentum = -0.1; }, "momentum");
  expect_invalid([](TrainOptions& o) { o.weight_decay = -1e-4; }, "weight_decay");
  expect_invalid([](TrainOptions& o) { o.epochs = 0; }, "epochs");
  expect_invalid([](TrainOptions& o) { o.batch_size = 0; }, "batch_size");
  expect_invalid([](TrainOptions& o) { o.warmup_epochs = 21; }, "warmup_epochs");
  expect_invalid([](TrainOptions& o) { o.warmup_epochs = -1; }, "warmup_epochs");
  expect_invalid([](TrainOptions& o) { o.adam_beta1 = 1.0; }, "adam_beta1");
  expect_invalid([](TrainOptions& o) { o.adam_beta2 = -0.5; }, "adam_beta2");
  expect_invalid([](TrainOptions& o) { o.adam_eps = 0; }, "adam_eps");
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
  EXPECT_NE(usage_message({{"batch_size", 0}}).find("batch_size"), std::string::npos);
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
