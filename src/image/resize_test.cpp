#include "image/resize.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"
#include "image/image_testing.h"

namespace privaudit::image {
namespace {

using testing::expect_error;

Image make_image(std::size_t channels, std::size_t height, std::size_t width,
                 std::vector<float> values) {
  Image image;
  image.channels = channels;
  image.height = height;
  image.width = width;
  image.values = std::move(values);
  return image;
}

// Float results of double sums: a few float ulps from the double reference.
constexpr float kTolerance = 1e-6f;

void expect_values_near(const Image& image, const std::vector<double>& expected) {
  ASSERT_EQ(image.values.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(image.values[i], expected[i], kTolerance) << "value " << i;
  }
}

TEST(Resize, ShrinkBlockMeans) {
  const Image image = make_image(1, 4, 4, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  const Image small = resize(image, 2, 2);
  EXPECT_EQ(small.channels, 1u);
  EXPECT_EQ(small.height, 2u);
  EXPECT_EQ(small.width, 2u);
  ASSERT_EQ(small.values.size(), 4u);
  // Means of the 2 x 2 blocks, by hand: (1 + 2 + 5 + 6) / 4 and so on.
  EXPECT_EQ(small.at(0, 0, 0), 3.5f);
  EXPECT_EQ(small.at(0, 0, 1), 5.5f);
  EXPECT_EQ(small.at(0, 1, 0), 11.5f);
  EXPECT_EQ(small.at(0, 1, 1), 13.5f);
}

TEST(Resize, ShrinkNonIntegerFactor) {
  // 3 -> 2 columns: output 0 covers [0, 1.5), so 2/3 of column 0 and 1/3 of column 1.
  const Image image = make_image(1, 1, 3, {0.3f, 0.6f, 0.9f});
  const Image small = resize(image, 1, 2);
  ASSERT_EQ(small.values.size(), 2u);
  EXPECT_NEAR(small.values[0], (2 * 0.3 + 0.6) / 3, kTolerance);
  EXPECT_NEAR(small.values[1], (0.6 + 2 * 0.9) / 3, kTolerance);
}

TEST(Resize, ShrinkAreaMatchesTorch) {
  // Pinned: torch 1.13 (Debian python3-torch) torch.nn.functional.interpolate(
  // (torch.arange(36.).reshape(1, 1, 6, 6) / 35), size=(3, 2), mode="area"), float64.
  std::vector<float> values;
  for (int i = 0; i < 36; ++i) values.push_back(static_cast<float>(i / 35.0));
  const Image small = resize(make_image(1, 6, 6, values), 3, 2);
  EXPECT_EQ(small.height, 3u);
  EXPECT_EQ(small.width, 2u);
  expect_values_near(small, {0.11428571428571428, 0.19999999999999998, 0.45714285714285713,
                             0.5428571428571428, 0.7999999999999999, 0.8857142857142858});
}

TEST(Resize, EnlargeMatchesTorch) {
  // Pinned: torch 1.13 torch.nn.functional.interpolate(x, size=(5, 4), mode="bilinear",
  // align_corners=False) on x = [[0.1, 0.5, 0.9], [0.3, 0.2, 0.7]], float64. Formula: input
  // coordinate (o + 0.5) * in / out - 0.5 clamped at 0, linear between its two neighbours.
  const Image image = make_image(1, 2, 3, {0.1f, 0.5f, 0.9f, 0.3f, 0.2f, 0.7f});
  const Image large = resize(image, 5, 4);
  EXPECT_EQ(large.height, 5u);
  EXPECT_EQ(large.width, 4u);
  expect_values_near(large, {0.1, 0.35, 0.65, 0.9,                          //
                             0.12, 0.33875, 0.62375, 0.88,                  //
                             0.2, 0.29375, 0.51875, 0.8,                    //
                             0.28, 0.24875, 0.41375, 0.72,                  //
                             0.3, 0.2375, 0.3875, 0.7});
}

TEST(Resize, MixedAxesMatchesTorch) {
  // Rows shrink 4 -> 2 (area), columns grow 2 -> 5 (bilinear). Pinned: torch 1.13
  // interpolate(interpolate(x, size=(2, 2), mode="area"), size=(2, 5), mode="bilinear",
  // align_corners=False), float64; each call leaves the other axis unchanged.
  const Image image = make_image(1, 4, 2, {0.0f, 1.0f, 0.25f, 0.5f, 0.75f, 0.125f, 1.0f, 0.0f});
  const Image result = resize(image, 2, 5);
  EXPECT_EQ(result.height, 2u);
  EXPECT_EQ(result.width, 5u);
  expect_values_near(result, {0.125, 0.1875, 0.4375, 0.6875, 0.75,  //
                              0.875, 0.79375, 0.46875, 0.14375, 0.0625});
}

TEST(Resize, SameSizeIsIdentity) {
  const Image image = make_image(1, 2, 3, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f});
  const Image same = resize(image, 2, 3);
  EXPECT_EQ(same.values, image.values);
}

TEST(Resize, ConstantStaysConstant) {
  const Image image = make_image(1, 7, 5, std::vector<float>(35, 0.3f));
  for (const auto& [height, width] : std::vector<std::pair<std::size_t, std::size_t>>{
           {3, 11}, {13, 2}, {1, 1}, {7, 6}}) {
    const Image result = resize(image, height, width);
    ASSERT_EQ(result.values.size(), height * width);
    for (float value : result.values) EXPECT_NEAR(value, 0.3f, kTolerance) << height << " x " << width;
  }
}

TEST(Resize, RgbChannelsIndependent) {
  std::vector<float> values;
  for (int i = 0; i < 3 * 3 * 4; ++i) values.push_back(static_cast<float>((i * 7) % 11) / 10.0f);
  const Image rgb = make_image(3, 3, 4, values);
  const Image result = resize(rgb, 5, 2);
  ASSERT_EQ(result.channels, 3u);
  for (std::size_t c = 0; c < 3; ++c) {
    const std::vector<float> plane(values.begin() + static_cast<std::ptrdiff_t>(c * 12),
                                   values.begin() + static_cast<std::ptrdiff_t>((c + 1) * 12));
    const Image single = resize(make_image(1, 3, 4, plane), 5, 2);
    for (std::size_t i = 0; i < 10; ++i) {
      EXPECT_EQ(result.values[c * 10 + i], single.values[i]) << "channel " << c << ", value " << i;
    }
  }
}

TEST(Resize, ZeroTargetIsUsageError) {
  const Image image = make_image(1, 2, 2, {0, 0, 0, 0});
  expect_error<UsageError>([&] { resize(image, 0, 2); }, {"height 0"});
  expect_error<UsageError>([&] { resize(image, 2, 0); }, {"width 0"});
}

TEST(Resize, TargetOverLimitIsUsageError) {
  const Image image = make_image(1, 2, 2, {0, 0, 0, 0});
  expect_error<UsageError>([&] { resize(image, 2, kMaxImageSide + 1); }, {"width 16385", "16384"});
}

TEST(Resize, MalformedImageIsUsageError) {
  const Image image = make_image(1, 2, 2, {0, 0, 0});
  expect_error<UsageError>([&] { resize(image, 1, 1); }, {"resize", "3 values"});
}

}  // namespace
}  // namespace privaudit::image
