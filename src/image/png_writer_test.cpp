#include "image/png_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "core/error.h"
#include "image/image_testing.h"
#include "image/png_reader.h"

namespace privaudit::image {
namespace {

using testing::expect_error;
using testing::TempDir;
using testing::unit8;

Image make_image(std::size_t channels, std::size_t height, std::size_t width,
                 std::vector<float> values) {
  Image image;
  image.channels = channels;
  image.height = height;
  image.width = width;
  image.values = std::move(values);
  return image;
}

TEST(WritePng, GrayRoundTripExact) {
  const Image image = make_image(1, 2, 3, {unit8(0), unit8(1), unit8(2), unit8(127), unit8(254), unit8(255)});
  TempDir dir;
  write_png(dir.path() / "g.png", image);
  const Image back = read_png(dir.path() / "g.png");
  EXPECT_EQ(back.channels, 1u);
  EXPECT_EQ(back.height, 2u);
  EXPECT_EQ(back.width, 3u);
  EXPECT_EQ(back.values, image.values);
}

TEST(WritePng, RgbRoundTripExact) {
  std::vector<float> values;
  for (unsigned v = 0; v < 3 * 4 * 5; ++v) values.push_back(unit8(v * 4));
  const Image image = make_image(3, 4, 5, values);
  TempDir dir;
  write_png(dir.path() / "rgb.png", image);
  const Image back = read_png(dir.path() / "rgb.png");
  EXPECT_EQ(back.channels, 3u);
  EXPECT_EQ(back.height, 4u);
  EXPECT_EQ(back.width, 5u);
  EXPECT_EQ(back.values, image.values);
}

TEST(WritePng, ClampsAndRounds) {
  // 100.4 / 255 rounds down to 100, 100.6 / 255 up to 101, 0.5 * 255 = 127.5 rounds to 128.
  const Image image = make_image(1, 1, 6, {-0.5f, 1.7f, 100.4f / 255.0f, 100.6f / 255.0f, 0.5f,
                                           std::numeric_limits<float>::infinity()});
  TempDir dir;
  write_png(dir.path() / "clamp.png", image);
  const Image back = read_png(dir.path() / "clamp.png");
  ASSERT_EQ(back.values.size(), 6u);
  EXPECT_EQ(back.values[0], 0.0f);
  EXPECT_EQ(back.values[1], 1.0f);
  EXPECT_EQ(back.values[2], unit8(100));
  EXPECT_EQ(back.values[3], unit8(101));
  EXPECT_EQ(back.values[4], unit8(128));
  EXPECT_EQ(back.values[5], 1.0f);
}

TEST(WritePng, OverwritesAtomically) {
  TempDir dir;
  write_png(dir.path() / "a.png", make_image(1, 1, 1, {0.0f}));
  write_png(dir.path() / "a.png", make_image(1, 1, 2, {1.0f, 1.0f}));
  EXPECT_EQ(read_png(dir.path() / "a.png").width, 2u);
  // No temporary file is left beside the target.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(WritePng, NanIsUsageError) {
  const Image image = make_image(1, 1, 2, {0.0f, std::nanf("")});
  TempDir dir;
  expect_error<UsageError>([&] { write_png(dir.path() / "nan.png", image); },
                           {"NaN", "row 0, column 1"});
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "nan.png"));
}

TEST(WritePng, TwoChannelsIsUsageError) {
  const Image image = make_image(2, 1, 1, {0.0f, 0.0f});
  TempDir dir;
  expect_error<UsageError>([&] { write_png(dir.path() / "two.png", image); }, {"2 channels"});
}

TEST(WritePng, SizeMismatchIsUsageError) {
  const Image image = make_image(1, 2, 2, {0.0f, 0.0f, 0.0f});
  TempDir dir;
  expect_error<UsageError>([&] { write_png(dir.path() / "short.png", image); }, {"3 values", "= 4"});
}

TEST(WritePng, EmptyImageIsUsageError) {
  const Image image = make_image(1, 0, 3, {});
  TempDir dir;
  expect_error<UsageError>([&] { write_png(dir.path() / "empty.png", image); }, {"0 x 3"});
}

TEST(WritePng, MissingFolderIsIoError) {
  TempDir dir;
  EXPECT_THROW(write_png(dir.path() / "absent" / "x.png", make_image(1, 1, 1, {0.0f})), IoError);
}

TEST(EncodePng, StartsWithSignature) {
  const std::vector<unsigned char> bytes = encode_png(make_image(1, 1, 1, {0.5f}));
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(bytes[0], 0x89);
  EXPECT_EQ(bytes[1], 'P');
  EXPECT_EQ(bytes[2], 'N');
  EXPECT_EQ(bytes[3], 'G');
}

}  // namespace
}  // namespace privaudit::image
