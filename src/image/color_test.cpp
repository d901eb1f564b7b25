#include "image/color.h"

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

TEST(ToGrayscale, Bt601Weights) {
  // Columns: pure red, pure green, pure blue, white, and (0.2, 0.4, 0.6).
  const Image rgb = make_image(3, 1, 5, {1, 0, 0, 1, 0.2f,    // red plane
                                         0, 1, 0, 1, 0.4f,    // green plane
                                         0, 0, 1, 1, 0.6f});  // blue plane
  const Image gray = to_grayscale(rgb);
  EXPECT_EQ(gray.channels, 1u);
  EXPECT_EQ(gray.height, 1u);
  EXPECT_EQ(gray.width, 5u);
  ASSERT_EQ(gray.values.size(), 5u);
  EXPECT_FLOAT_EQ(gray.values[0], 0.299f);
  EXPECT_FLOAT_EQ(gray.values[1], 0.587f);
  EXPECT_FLOAT_EQ(gray.values[2], 0.114f);
  EXPECT_FLOAT_EQ(gray.values[3], 1.0f);
  // 0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6 = 0.0598 + 0.2348 + 0.0684.
  EXPECT_FLOAT_EQ(gray.values[4], 0.363f);
}

TEST(ToGrayscale, GrayUnchanged) {
  const Image gray = make_image(1, 1, 2, {0.25f, 0.75f});
  const Image result = to_grayscale(gray);
  EXPECT_EQ(result.channels, 1u);
  EXPECT_EQ(result.values, gray.values);
}

TEST(ToRgb, ReplicatesGray) {
  const Image gray = make_image(1, 2, 1, {0.25f, 0.75f});
  const Image rgb = to_rgb(gray);
  EXPECT_EQ(rgb.channels, 3u);
  EXPECT_EQ(rgb.height, 2u);
  EXPECT_EQ(rgb.width, 1u);
  EXPECT_EQ(rgb.values, (std::vector<float>{0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f}));
}

TEST(ToRgb, RgbUnchanged) {
  const Image rgb = make_image(3, 1, 1, {0.1f, 0.2f, 0.3f});
  EXPECT_EQ(to_rgb(rgb).values, rgb.values);
}

TEST(ToRgb, RoundTripThroughGrayKeepsGray) {
  const Image gray = make_image(1, 1, 3, {0.0f, 0.5f, 1.0f});
  const Image back = to_grayscale(to_rgb(gray));
  ASSERT_EQ(back.values.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(back.values[i], gray.values[i]);
}

TEST(ToGrayscale, FourChannelsIsUsageError) {
  const Image image = make_image(4, 1, 1, {0, 0, 0, 0});
  expect_error<UsageError>([&] { to_grayscale(image); }, {"to_grayscale", "4 channels"});
  expect_error<UsageError>([&] { to_rgb(image); }, {"to_rgb", "4 channels"});
}

}  // namespace
}  // namespace privaudit::image
