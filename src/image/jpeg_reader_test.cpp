#include "image/jpeg_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "image/image_testing.h"

namespace privaudit::image {
namespace {

using testing::encode_test_jpeg;
using testing::expect_error;
using testing::TempDir;
using testing::unit8;

constexpr std::size_t kSide = 16;

// A smooth gray ramp, [kSide, kSide]: JPEG at quality 100 keeps it within a few levels.
std::vector<unsigned char> gray_ramp() {
  std::vector<unsigned char> samples;
  for (std::size_t y = 0; y < kSide; ++y) {
    for (std::size_t x = 0; x < kSide; ++x) samples.push_back(static_cast<unsigned char>(40 + 6 * x + 4 * y));
  }
  return samples;
}

// Smooth RGB ramps, [kSide, kSide * 3] interleaved.
std::vector<unsigned char> rgb_ramp() {
  std::vector<unsigned char> samples;
  for (std::size_t y = 0; y < kSide; ++y) {
    for (std::size_t x = 0; x < kSide; ++x) {
      samples.push_back(static_cast<unsigned char>(30 + 8 * x));
      samples.push_back(static_cast<unsigned char>(200 - 6 * y));
      samples.push_back(static_cast<unsigned char>(100 + 3 * x + 3 * y));
    }
  }
  return samples;
}

// Quality 100 still quantizes (every step is 1) and rounds through YCbCr for RGB; 3 levels of 255
// is a bound with margin for these smooth ramps.
constexpr float kTolerance = 3.0f / 255.0f;

TEST(ReadJpeg, GrayQuality100) {
  const std::vector<unsigned char> samples = gray_ramp();
  TempDir dir;
  const auto path = dir.write("gray.jpg", encode_test_jpeg(kSide, kSide, 1, samples, 100));
  const Image image = read_jpeg(path);
  EXPECT_EQ(image.channels, 1u);
  EXPECT_EQ(image.height, kSide);
  EXPECT_EQ(image.width, kSide);
  ASSERT_EQ(image.values.size(), kSide * kSide);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_NEAR(image.values[i], unit8(samples[i]), kTolerance) << "pixel " << i;
  }
}

TEST(ReadJpeg, RgbQuality100) {
  const std::vector<unsigned char> samples = rgb_ramp();
  TempDir dir;
  const auto path = dir.write("rgb.jpg", encode_test_jpeg(kSide, kSide, 3, samples, 100));
  const Image image = read_jpeg(path);
  EXPECT_EQ(image.channels, 3u);
  EXPECT_EQ(image.height, kSide);
  EXPECT_EQ(image.width, kSide);
  ASSERT_EQ(image.values.size(), 3 * kSide * kSide);
  for (std::size_t y = 0; y < kSide; ++y) {
    for (std::size_t x = 0; x < kSide; ++x) {
      for (std::size_t c = 0; c < 3; ++c) {
        EXPECT_NEAR(image.at(c, y, x), unit8(samples[(y * kSide + x) * 3 + c]), kTolerance)
            << "channel " << c << ", row " << y << ", column " << x;
      }
    }
  }
}

TEST(ReadJpeg, CmykRejected) {
  const std::vector<unsigned char> samples(8 * 8 * 4, 100);
  TempDir dir;
  const auto path = dir.write("cmyk.jpg", encode_test_jpeg(8, 8, 4, samples, 90));
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "CMYK", "Convert"});
}

TEST(ReadJpeg, TruncatedIsInputError) {
  const std::string bytes = encode_test_jpeg(kSide, kSide, 3, rgb_ramp(), 100);
  TempDir dir;
  const auto path = dir.write("cut.jpg", bytes.substr(0, bytes.size() * 2 / 3));
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "invalid JPEG"});
}

TEST(ReadJpeg, HeaderOnlyIsInputError) {
  const std::string bytes = encode_test_jpeg(kSide, kSide, 1, gray_ramp(), 100);
  TempDir dir;
  const auto path = dir.write("header.jpg", bytes.substr(0, 20));
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "invalid JPEG"});
}

// Offset of the first byte of entropy-coded data: after the SOS marker segment.
std::size_t scan_data_offset(const std::string& bytes) {
  const std::size_t sos = bytes.find("\xFF\xDA");
  EXPECT_NE(sos, std::string::npos);
  const auto length = static_cast<std::size_t>((static_cast<unsigned char>(bytes[sos + 2]) << 8) |
                                               static_cast<unsigned char>(bytes[sos + 3]));
  return sos + 2 + length;
}

TEST(ReadJpeg, CorruptScanIsInputError) {
  std::string bytes = encode_test_jpeg(kSide, kSide, 1, gray_ramp(), 100);
  // Fills the entropy-coded data (all but the final EOI marker) with 0xFF bytes.
  for (std::size_t i = scan_data_offset(bytes); i + 2 < bytes.size(); ++i) bytes[i] = static_cast<char>(0xFF);
  TempDir dir;
  const auto path = dir.write("corrupt.jpg", bytes);
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "invalid JPEG", "Corrupt JPEG data"});
}

TEST(ReadJpeg, MisplacedMarkerIsInputError) {
  std::string bytes = encode_test_jpeg(kSide, kSide, 1, gray_ramp(), 100);
  // An RST3 marker inside the scan of a JPEG that declares no restart interval.
  const std::size_t data = scan_data_offset(bytes);
  bytes[data + 4] = static_cast<char>(0xFF);
  bytes[data + 5] = static_cast<char>(0xD3);
  TempDir dir;
  const auto path = dir.write("marker.jpg", bytes);
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "invalid JPEG"});
}

TEST(ReadJpeg, TwelveBitIsInputError) {
  std::string bytes = encode_test_jpeg(kSide, kSide, 1, gray_ramp(), 100);
  const std::size_t frame = bytes.find("\xFF\xC0");
  ASSERT_NE(frame, std::string::npos);
  bytes[frame + 4] = 12;  // sample precision in the SOF0 segment
  TempDir dir;
  const auto path = dir.write("twelve.jpg", bytes);
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "precision 12"});
}

TEST(ReadJpeg, RandomBytesNotJpeg) {
  TempDir dir;
  const auto path = dir.write("noise.jpg", "GIF89a and some other bytes");
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "not a JPEG"});
}

TEST(ReadJpeg, SignatureThenJunkIsInputError) {
  TempDir dir;
  const auto path = dir.write("junk.jpg", std::string("\xFF\xD8\xFF", 3) + "junk junk junk junk");
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "invalid JPEG"});
}

TEST(ReadJpeg, WidthOverLimitRejected) {
  const std::vector<unsigned char> samples(20000, 128);
  TempDir dir;
  const auto path = dir.write("wide.jpg", encode_test_jpeg(20000, 1, 1, samples, 75));
  expect_error<InputError>([&] { read_jpeg(path); }, {path.string(), "20000 x 1", "16384"});
}

TEST(ReadJpeg, MissingFileNamesPath) {
  TempDir dir;
  const std::string path = (dir.path() / "absent.jpg").string();
  expect_error<InputError>([&] { read_jpeg(path); }, {path, "not found"});
}

}  // namespace
}  // namespace privaudit::image
