#include "models/model_spec.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace privaudit::models {
namespace {

TEST(ModelSpec, DefaultsAreValid) { EXPECT_NO_THROW(ModelSpec{}.validate()); }

TEST(ModelSpec, RejectsZeroWidth) {
  ModelSpec spec;
  spec.width = 0;
  EXPECT_THROW(spec.validate(), UsageError);
}

TEST(ModelSpec, RejectsZeroDepth) {
  ModelSpec spec;
  spec.kind = ModelSpec::Kind::kResNet;
  spec.depth = 0;
  EXPECT_THROW(spec.validate(), UsageError);
}

TEST(ModelSpec, RejectsHugeWidth) {
  ModelSpec spec;
  spec.width = ModelSpec::kMaxWidth + 1;
  EXPECT_THROW(spec.validate(), UsageError);
}

TEST(ModelSpec, LogisticIgnoresWidthAndDepth) {
  ModelSpec spec;
  spec.kind = ModelSpec::Kind::kLogistic;
  spec.width = 0;
  spec.depth = 0;
  EXPECT_NO_THROW(spec.validate());
}

TEST(ModelSpec, KindRoundTrip) {
  for (const auto kind :
       {ModelSpec::Kind::kLogistic, ModelSpec::Kind::kMlp, ModelSpec::Kind::kResNet}) {
    EXPECT_EQ(parse_kind(to_string(kind)), kind);
  }
}

TEST(ModelSpec, ParseKindListsValidValues) {
  try {
    parse_kind("transformer");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("transformer"), std::string::npos);
    EXPECT_NE(message.find("logistic, mlp, resnet"), std::string::npos);
  }
}

TEST(ParameterCount, HandCounted) {
  ModelSpec logistic;
  logistic.kind = ModelSpec::Kind::kLogistic;
  EXPECT_EQ(parameter_count(logistic, 25, 1), 26u);
  EXPECT_EQ(parameter_count(logistic, 4, 3), 15u);

  // 25 x 128 + 128, then 128 x 1 + 1.
  ModelSpec mlp;
  EXPECT_EQ(parameter_count(mlp, 25, 1), 3457u);

  // Two hidden layers of 8: (4 x 8 + 8) + (8 x 8 + 8) + (8 x 3 + 3).
  mlp.width = 8;
  mlp.depth = 2;
  EXPECT_EQ(parameter_count(mlp, 4, 3), 139u);

  // Input 4 x 8 + 8 = 40, each block LayerNorm 16 + 2 x 72 = 160, final LayerNorm 16, output
  // 8 x 3 + 3 = 27. Total 40 + 320 + 16 + 27.
  ModelSpec resnet{ModelSpec::Kind::kResNet, 8, 2};
  EXPECT_EQ(parameter_count(resnet, 4, 3), 403u);
}

}  // namespace
}  // namespace privaudit::models
