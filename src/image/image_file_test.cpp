#include "image/image_file.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/random.h"
#include "image/image_testing.h"

namespace privaudit::image {
namespace {

using testing::encode_raw_png;
using testing::encode_test_jpeg;
using testing::expect_error;
using testing::RawPng;
using testing::TempDir;
using testing::unit8;

std::span<const unsigned char> as_bytes(const std::string& text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

TEST(DetectImageFormat, Signatures) {
  EXPECT_EQ(detect_image_format(as_bytes(std::string("\x89PNG\r\n\x1a\n", 8))), ImageFormat::kPng);
  EXPECT_EQ(detect_image_format(as_bytes(std::string("\xFF\xD8\xFF\xE0", 4))), ImageFormat::kJpeg);
  EXPECT_EQ(detect_image_format(as_bytes("GIF89a")), std::nullopt);
  // A signature cut short is no signature.
  EXPECT_EQ(detect_image_format(as_bytes(std::string("\x89PNG\r\n", 6))), std::nullopt);
  EXPECT_EQ(detect_image_format(as_bytes(std::string("\xFF\xD8", 2))), std::nullopt);
  EXPECT_EQ(detect_image_format({}), std::nullopt);
}

TEST(ReadImageFile, PngWithJpegExtension) {
  RawPng png;
  png.width = 2;
  png.height = 1;
  png.rows = {{7, 9}};
  TempDir dir;
  const Image image = read_image_file(dir.write("really_png.jpg", encode_raw_png(png)));
  EXPECT_EQ(image.channels, 1u);
  ASSERT_EQ(image.values.size(), 2u);
  EXPECT_EQ(image.values[0], unit8(7));
  EXPECT_EQ(image.values[1], unit8(9));
}

TEST(ReadImageFile, JpegWithPngExtension) {
  const std::vector<unsigned char> samples(8 * 8 * 3, 90);
  TempDir dir;
  const Image image = read_image_file(dir.write("really_jpeg.png", encode_test_jpeg(8, 8, 3, samples, 100)));
  EXPECT_EQ(image.channels, 3u);
  EXPECT_EQ(image.height, 8u);
  EXPECT_EQ(image.width, 8u);
  ASSERT_EQ(image.values.size(), 192u);
  EXPECT_NEAR(image.values[0], unit8(90), 2.0f / 255.0f);
}

TEST(ReadImageFile, UnknownFormatNamesBytes) {
  TempDir dir;
  const auto path = dir.write("page.png", "<!DOCTYPE html>");
  expect_error<InputError>([&] { read_image_file(path); },
                           {path.string(), "not a PNG or JPEG", "3c 21 44 4f"});
}

TEST(ReadImageFile, EmptyFileIsInputError) {
  TempDir dir;
  const auto path = dir.write("empty.jpg", "");
  expect_error<InputError>([&] { read_image_file(path); }, {path.string(), "empty"});
}

TEST(ReadImageFile, MissingFileIsInputError) {
  TempDir dir;
  const std::string path = (dir.path() / "absent.png").string();
  expect_error<InputError>([&] { read_image_file(path); }, {path, "not found"});
}

TEST(ReadImageFile, CorruptPngNamesFile) {
  RawPng png;
  png.width = 2;
  png.height = 1;
  png.rows = {{7, 9}};
  std::string bytes = encode_raw_png(png);
  bytes[bytes.size() - 13] = static_cast<char>(bytes[bytes.size() - 13] ^ 1);  // IDAT CRC
  TempDir dir;
  const auto path = dir.write("bad.png", bytes);
  expect_error<InputError>([&] { read_image_file(path); }, {path.string(), "CRC"});
}

// A 9 x 7 RGB PNG and JPEG with varied samples, as bytes.
std::string sample_png() {
  RawPng png;
  png.width = 9;
  png.height = 7;
  png.color_type = testing::kPngRgb;
  for (std::size_t y = 0; y < png.height; ++y) {
    std::vector<unsigned char> row;
    for (std::size_t x = 0; x < png.width * 3; ++x) row.push_back(static_cast<unsigned char>(x * 9 + y * 31));
    png.rows.push_back(row);
  }
  return encode_raw_png(png);
}

std::string sample_jpeg() {
  std::vector<unsigned char> samples;
  for (std::size_t i = 0; i < 9 * 7 * 3; ++i) samples.push_back(static_cast<unsigned char>(i * 13));
  return encode_test_jpeg(9, 7, 3, samples, 90);
}

// Decodes `bytes` and reports a failure unless it succeeds or throws InputError.
void expect_decoded_or_input_error(const std::string& bytes, const std::string& label) {
  try {
    decode_image(as_bytes(bytes), label);
  } catch (const InputError&) {
  } catch (const std::exception& error) {
    ADD_FAILURE() << label << ": threw a different exception type: " << error.what();
  }
}

TEST(DecodeImage, EveryPrefixIsInputError) {
  for (const std::string& bytes : {sample_png(), sample_jpeg()}) {
    for (std::size_t length = 0; length < bytes.size(); ++length) {
      EXPECT_THROW(decode_image(as_bytes(bytes.substr(0, length)), "prefix"), InputError)
          << "prefix of " << length << " of " << bytes.size() << " bytes";
    }
  }
}

TEST(DecodeImage, MutatedBytesNeverCrash) {
  // Each trial overwrites 1 to 4 random bytes; decoding must succeed or throw InputError. Run
  // under PRIVAUDIT_SANITIZE to check memory safety as well.
  Rng rng(2024);
  for (const std::string& original : {sample_png(), sample_jpeg()}) {
    for (int trial = 0; trial < 300; ++trial) {
      std::string bytes = original;
      const auto changes = 1 + rng.below(4);
      for (std::uint64_t k = 0; k < changes; ++k) {
        bytes[rng.below(bytes.size())] = static_cast<char>(rng.below(256));
      }
      expect_decoded_or_input_error(bytes, "trial " + std::to_string(trial));
    }
  }
}

TEST(ReadImageBytes, ReturnsWholeFile) {
  std::string text(200000, 'x');
  text[199999] = 'y';
  TempDir dir;
  const std::vector<unsigned char> bytes = read_image_bytes(dir.write("big.bin", text));
  ASSERT_EQ(bytes.size(), 200000u);
  EXPECT_EQ(bytes.back(), 'y');
}

}  // namespace
}  // namespace privaudit::image
