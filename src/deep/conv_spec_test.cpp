#include "deep/conv_spec.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace privaudit::deep {
namespace {

// Expects UsageError whose message contains every one of `parts`.
void expect_usage_error(const std::function<void()>& action, const std::vector<std::string>& parts) {
  try {
    action();
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& error) {
    const std::string message = error.what();
    for (const std::string& part : parts) {
      EXPECT_NE(message.find(part), std::string::npos) << "\"" << part << "\" missing from: " << message;
    }
  }
}

const InputShape kCifar{3, 32, 32};
const InputShape kEcg{12, 1, 1000};

// Parameter counts below were computed once with Debian python3-torch 1.13.1: torch.nn networks
// of the same layout, sum(p.numel() for p in net.parameters()), with BatchNorm2d and with
// GroupNorm (both give the same counts).
TEST(ParameterCount, WideResNet28x2) {
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(28, 2), kCifar, 10), 1467610u);
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(28, 2), InputShape{1, 28, 28}, 1), 1466161u);
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(28, 2), kCifar, 1), 1466449u);
}

TEST(ParameterCount, WideResNet16x4) {
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(16, 4), kCifar, 10), 2748890u);
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(16, 4), InputShape{1, 28, 28}, 1), 2746289u);
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(16, 4), kCifar, 1), 2746577u);
}

TEST(ParameterCount, WideResNet10x1) {
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(10, 1), kCifar, 10), 77850u);
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(10, 1), InputShape{1, 28, 28}, 1), 76977u);
}

TEST(ParameterCount, ResNet1d) {
  EXPECT_EQ(parameter_count(ConvSpec::resnet1d(3), kEcg, 1), 509057u);
  EXPECT_EQ(parameter_count(ConvSpec::resnet1d(3), kEcg, 5), 509573u);
  EXPECT_EQ(parameter_count(ConvSpec::resnet1d(1), InputShape{2, 1, 32}, 1), 34497u);
  EXPECT_EQ(parameter_count(ConvSpec::resnet1d(2), InputShape{1, 1, 32}, 3), 240067u);
}

TEST(ParameterCount, SmallCnn) {
  EXPECT_EQ(parameter_count(ConvSpec::small_cnn(), kCifar, 10), 20138u);
  EXPECT_EQ(parameter_count(ConvSpec::small_cnn(), InputShape{1, 8, 8}, 1), 18977u);
  EXPECT_EQ(parameter_count(ConvSpec::small_cnn(), kEcg, 1), 17281u);
  EXPECT_EQ(parameter_count(ConvSpec::small_cnn(), kEcg, 5), 17541u);
}

TEST(ParameterCount, ZeroOutputsRejected) {
  expect_usage_error([] { parameter_count(ConvSpec::small_cnn(), kCifar, 0); }, {"output"});
}

TEST(ParameterCount, IndependentOfSpatialSize) {
  EXPECT_EQ(parameter_count(ConvSpec::wide_resnet(16, 4), InputShape{3, 8, 8}, 10),
            parameter_count(ConvSpec::wide_resnet(16, 4), InputShape{3, 224, 224}, 10));
}

TEST(ConvSpecValidate, DefaultsAndFactoriesValid) {
  EXPECT_NO_THROW(ConvSpec{}.validate());
  EXPECT_NO_THROW(ConvSpec::small_cnn().validate());
  EXPECT_NO_THROW(ConvSpec::resnet1d().validate());
  EXPECT_EQ(ConvSpec::resnet1d().depth, 3u);
  EXPECT_NO_THROW(ConvSpec::wide_resnet(16, 4).validate());
  EXPECT_NO_THROW(ConvSpec::wide_resnet(28, 2).validate());
  EXPECT_NO_THROW(ConvSpec::wide_resnet(10, 1).validate());
}

TEST(ConvSpecValidate, WideResNetDepthNot6nPlus4) {
  expect_usage_error([] { ConvSpec::wide_resnet(15, 2).validate(); }, {"depth", "15", "6n + 4"});
  expect_usage_error([] { ConvSpec::wide_resnet(4, 2).validate(); }, {"depth", "4"});
  expect_usage_error([] { ConvSpec::wide_resnet(0, 2).validate(); }, {"depth", "0"});
  expect_usage_error([] { ConvSpec::wide_resnet(106, 2).validate(); }, {"depth", "106", "100"});
}

TEST(ConvSpecValidate, WideResNetWidenOutOfRange) {
  expect_usage_error([] { ConvSpec::wide_resnet(16, 0).validate(); }, {"widen", "0", "[1, 16]"});
  expect_usage_error([] { ConvSpec::wide_resnet(16, 17).validate(); }, {"widen", "17"});
}

TEST(ConvSpecValidate, ResNet1dBlocksOutOfRange) {
  expect_usage_error([] { ConvSpec::resnet1d(0).validate(); }, {"depth", "0", "[1, 16]"});
  expect_usage_error([] { ConvSpec::resnet1d(17).validate(); }, {"depth", "17"});
  expect_usage_error([] { ConvSpec{ConvSpec::Kind::kResNet1d, 3, 2}.validate(); },
                     {"widen", "2", "resnet1d"});
}

TEST(ConvSpecValidate, SmallCnnFixedLayout) {
  expect_usage_error([] { ConvSpec{ConvSpec::Kind::kSmallCnn, 3, 1}.validate(); },
                     {"depth", "3", "small-cnn"});
  expect_usage_error([] { ConvSpec{ConvSpec::Kind::kSmallCnn, 2, 4}.validate(); },
                     {"widen", "4", "small-cnn"});
}

TEST(InputShapeValidate, ZeroDimension) {
  expect_usage_error([] { InputShape{0, 8, 8}.validate(); }, {"channels"});
  expect_usage_error([] { InputShape{1, 0, 8}.validate(); }, {"height"});
  expect_usage_error([] { InputShape{1, 8, 0}.validate(); }, {"width"});
}

TEST(InputShapeValidate, TooLarge) {
  expect_usage_error([] { InputShape{3, 1u << 14, 1u << 14}.validate(); }, {"3x16384x16384"});
  // A product that would overflow 64 bits is rejected too.
  expect_usage_error([] { InputShape{std::size_t{1} << 40, std::size_t{1} << 40, 2}.validate(); },
                     {"values per record"});
  EXPECT_NO_THROW((InputShape{1, 1u << 14, 1u << 14}.validate()));
}

TEST(ValidateInputShape, ArchitectureAndShapeMismatch) {
  expect_usage_error([] { validate_input_shape(ConvSpec::resnet1d(), kCifar); },
                     {"resnet1d", "height is 32"});
  expect_usage_error([] { validate_input_shape(ConvSpec::wide_resnet(16, 4), kEcg); },
                     {"wrn-16-4", "images", "height is 1"});
  EXPECT_NO_THROW(validate_input_shape(ConvSpec::resnet1d(), kEcg));
  EXPECT_NO_THROW(validate_input_shape(ConvSpec::wide_resnet(16, 4), kCifar));
}

TEST(ValidateInputShape, SmallCnnTooSmall) {
  expect_usage_error([] { validate_input_shape(ConvSpec::small_cnn(), InputShape{1, 3, 8}); },
                     {"1x3x8", "small-cnn"});
  expect_usage_error([] { validate_input_shape(ConvSpec::small_cnn(), InputShape{1, 8, 3}); },
                     {"1x8x3"});
  expect_usage_error([] { validate_input_shape(ConvSpec::small_cnn(), InputShape{12, 1, 3}); },
                     {"12x1x3"});
  EXPECT_NO_THROW(validate_input_shape(ConvSpec::small_cnn(), InputShape{1, 4, 4}));
  EXPECT_NO_THROW(validate_input_shape(ConvSpec::small_cnn(), InputShape{12, 1, 4}));
}

TEST(GroupNormGroups, LargestDivisorUpTo32) {
  EXPECT_EQ(group_norm_groups(1), 1u);
  EXPECT_EQ(group_norm_groups(3), 3u);
  EXPECT_EQ(group_norm_groups(16), 16u);
  EXPECT_EQ(group_norm_groups(32), 32u);
  EXPECT_EQ(group_norm_groups(64), 32u);
  EXPECT_EQ(group_norm_groups(640), 32u);
  EXPECT_EQ(group_norm_groups(48), 24u);
  EXPECT_EQ(group_norm_groups(33), 11u);
  EXPECT_EQ(group_norm_groups(37), 1u);
}

TEST(ConvSpecName, RoundTrip) {
  EXPECT_EQ(to_string(ConvSpec::small_cnn()), "small-cnn");
  EXPECT_EQ(to_string(ConvSpec::resnet1d(3)), "resnet1d-3");
  EXPECT_EQ(to_string(ConvSpec::wide_resnet(28, 2)), "wrn-28-2");
  for (const ConvSpec& spec :
       {ConvSpec::small_cnn(), ConvSpec::resnet1d(5), ConvSpec::wide_resnet(16, 4)}) {
    const ConvSpec parsed = parse_conv_spec(to_string(spec));
    EXPECT_EQ(parsed.kind, spec.kind) << to_string(spec);
    EXPECT_EQ(parsed.depth, spec.depth) << to_string(spec);
    EXPECT_EQ(parsed.widen, spec.widen) << to_string(spec);
  }
  EXPECT_EQ(parse_conv_spec("resnet1d").depth, 3u);
}

TEST(ConvSpecName, ParseErrors) {
  expect_usage_error([] { parse_conv_spec("vgg16"); }, {"vgg16", "wrn-<depth>-<widen>"});
  expect_usage_error([] { parse_conv_spec("wrn-28"); }, {"wrn-28"});
  expect_usage_error([] { parse_conv_spec("wrn-x-2"); }, {"\"x\" is not a whole number"});
  expect_usage_error([] { parse_conv_spec("resnet1d-"); }, {"\"\" is not a whole number"});
  expect_usage_error([] { parse_conv_spec("wrn-27-2"); }, {"depth", "27"});
  expect_usage_error([] { parse_conv_spec("small-cnn-2"); }, {"small-cnn-2"});
  expect_usage_error([] { parse_conv_spec(""); }, {"unknown architecture"});
}

}  // namespace
}  // namespace privaudit::deep
