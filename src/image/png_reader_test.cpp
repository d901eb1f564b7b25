#include "image/png_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "image/image_testing.h"

namespace privaudit::image {
namespace {

using testing::encode_raw_png;
using testing::expect_error;
using testing::kPngGray;
using testing::kPngGrayAlpha;
using testing::kPngPalette;
using testing::kPngRgb;
using testing::kPngRgba;
using testing::png_chunk;
using testing::RawPng;
using testing::TempDir;
using testing::unit8;

float unit16(unsigned value) { return static_cast<float>(value) / 65535.0f; }

// A 3 x 2 gray 8-bit image (width x height) covering both ends of the range.
RawPng gray8_png() {
  RawPng png;
  png.width = 3;
  png.height = 2;
  png.rows = {{0, 1, 127}, {128, 254, 255}};
  return png;
}

TEST(ReadPng, Gray8ExactValues) {
  TempDir dir;
  const Image image = read_png(dir.write("g.png", encode_raw_png(gray8_png())));
  EXPECT_EQ(image.channels, 1u);
  EXPECT_EQ(image.height, 2u);
  EXPECT_EQ(image.width, 3u);
  ASSERT_EQ(image.values.size(), 6u);
  EXPECT_EQ(image.at(0, 0, 0), 0.0f);
  EXPECT_EQ(image.at(0, 0, 1), unit8(1));
  EXPECT_EQ(image.at(0, 0, 2), unit8(127));
  EXPECT_EQ(image.at(0, 1, 0), unit8(128));
  EXPECT_EQ(image.at(0, 1, 1), unit8(254));
  EXPECT_EQ(image.at(0, 1, 2), 1.0f);
}

TEST(ReadPng, Rgb8ChannelFirst) {
  RawPng png;
  png.width = 2;
  png.height = 1;
  png.color_type = kPngRgb;
  png.rows = {{10, 20, 30, 40, 50, 60}};
  TempDir dir;
  const Image image = read_png(dir.write("rgb.png", encode_raw_png(png)));
  EXPECT_EQ(image.channels, 3u);
  ASSERT_EQ(image.values.size(), 6u);
  // [channels, height, width]: all red samples first.
  EXPECT_EQ(image.values[0], unit8(10));
  EXPECT_EQ(image.values[1], unit8(40));
  EXPECT_EQ(image.values[2], unit8(20));
  EXPECT_EQ(image.values[3], unit8(50));
  EXPECT_EQ(image.values[4], unit8(30));
  EXPECT_EQ(image.values[5], unit8(60));
}

TEST(ReadPng, Gray16Values) {
  RawPng png;
  png.width = 4;
  png.height = 1;
  png.bit_depth = 16;
  // Big-endian samples 0, 1, 32768 and 65535.
  png.rows = {{0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0xFF, 0xFF}};
  TempDir dir;
  const Image image = read_png(dir.write("g16.png", encode_raw_png(png)));
  EXPECT_EQ(image.channels, 1u);
  ASSERT_EQ(image.values.size(), 4u);
  EXPECT_EQ(image.values[0], 0.0f);
  EXPECT_EQ(image.values[1], unit16(1));
  EXPECT_EQ(image.values[2], unit16(32768));
  EXPECT_EQ(image.values[3], 1.0f);
}

TEST(ReadPng, Rgb16Values) {
  RawPng png;
  png.width = 1;
  png.height = 1;
  png.bit_depth = 16;
  png.color_type = kPngRgb;
  png.rows = {{0x01, 0x02, 0x12, 0x34, 0xFF, 0xFE}};
  TempDir dir;
  const Image image = read_png(dir.write("rgb16.png", encode_raw_png(png)));
  EXPECT_EQ(image.channels, 3u);
  ASSERT_EQ(image.values.size(), 3u);
  EXPECT_EQ(image.values[0], unit16(0x0102));
  EXPECT_EQ(image.values[1], unit16(0x1234));
  EXPECT_EQ(image.values[2], unit16(0xFFFE));
}

TEST(ReadPng, GrayAlphaDropsAlpha) {
  RawPng png;
  png.width = 2;
  png.height = 1;
  png.color_type = kPngGrayAlpha;
  png.rows = {{100, 0, 200, 255}};
  TempDir dir;
  const Image image = read_png(dir.write("ga.png", encode_raw_png(png)));
  EXPECT_EQ(image.channels, 1u);
  ASSERT_EQ(image.values.size(), 2u);
  EXPECT_EQ(image.values[0], unit8(100));
  EXPECT_EQ(image.values[1], unit8(200));
}

TEST(ReadPng, RgbaDropsAlpha) {
  RawPng png;
  png.width = 1;
  png.height = 2;
  png.color_type = kPngRgba;
  png.rows = {{1, 2, 3, 0}, {4, 5, 6, 128}};
  TempDir dir;
  const Image image = read_png(dir.write("rgba.png", encode_raw_png(png)));
  EXPECT_EQ(image.channels, 3u);
  ASSERT_EQ(image.values.size(), 6u);
  EXPECT_EQ(image.at(0, 0, 0), unit8(1));
  EXPECT_EQ(image.at(1, 0, 0), unit8(2));
  EXPECT_EQ(image.at(2, 0, 0), unit8(3));
  EXPECT_EQ(image.at(0, 1, 0), unit8(4));
  EXPECT_EQ(image.at(1, 1, 0), unit8(5));
  EXPECT_EQ(image.at(2, 1, 0), unit8(6));
}

TEST(ReadPng, Rgba16DropsAlpha) {
  RawPng png;
  png.width = 1;
  png.height = 1;
  png.bit_depth = 16;
  png.color_type = kPngRgba;
  png.rows = {{0x00, 0x10, 0x20, 0x00, 0xFF, 0xFF, 0x00, 0x00}};
  TempDir dir;
  const Image image = read_png(dir.write("rgba16.png", encode_raw_png(png)));
  EXPECT_EQ(image.channels, 3u);
  ASSERT_EQ(image.values.size(), 3u);
  EXPECT_EQ(image.values[0], unit16(0x0010));
  EXPECT_EQ(image.values[1], unit16(0x2000));
  EXPECT_EQ(image.values[2], 1.0f);
}

TEST(ReadPng, PaletteExpandsToRgb) {
  RawPng png;
  png.width = 3;
  png.height = 1;
  png.color_type = kPngPalette;
  png.palette = {255, 0, 0, 0, 128, 255, 7, 8, 9};
  png.transparency = {0, 255, 128};  // dropped, like an alpha channel
  png.rows = {{2, 0, 1}};
  TempDir dir;
  const Image image = read_png(dir.write("pal.png", encode_raw_png(png)));
  EXPECT_EQ(image.channels, 3u);
  ASSERT_EQ(image.values.size(), 9u);
  EXPECT_EQ(image.at(0, 0, 0), unit8(7));
  EXPECT_EQ(image.at(1, 0, 0), unit8(8));
  EXPECT_EQ(image.at(2, 0, 0), unit8(9));
  EXPECT_EQ(image.at(0, 0, 1), 1.0f);
  EXPECT_EQ(image.at(1, 0, 1), 0.0f);
  EXPECT_EQ(image.at(2, 0, 1), 0.0f);
  EXPECT_EQ(image.at(0, 0, 2), 0.0f);
  EXPECT_EQ(image.at(1, 0, 2), unit8(128));
  EXPECT_EQ(image.at(2, 0, 2), 1.0f);
}

TEST(ReadPng, Palette4BitIndices) {
  RawPng png;
  png.width = 3;
  png.height = 1;
  png.bit_depth = 4;
  png.color_type = kPngPalette;
  png.palette = {10, 10, 10, 20, 20, 20};
  png.rows = {{0x10, 0x10}};  // indices 1, 0, 1 and a padding nibble
  TempDir dir;
  const Image image = read_png(dir.write("pal4.png", encode_raw_png(png)));
  ASSERT_EQ(image.values.size(), 9u);
  EXPECT_EQ(image.at(0, 0, 0), unit8(20));
  EXPECT_EQ(image.at(0, 0, 1), unit8(10));
  EXPECT_EQ(image.at(2, 0, 2), unit8(20));
}

TEST(ReadPng, Gray1BitExpands) {
  RawPng png;
  png.width = 10;
  png.height = 1;
  png.bit_depth = 1;
  png.rows = {{0b10110000, 0b01000000}};  // 1 0 1 1 0 0 0 0 | 0 1
  TempDir dir;
  const Image image = read_png(dir.write("g1.png", encode_raw_png(png)));
  ASSERT_EQ(image.values.size(), 10u);
  const float expected[] = {1, 0, 1, 1, 0, 0, 0, 0, 0, 1};
  for (std::size_t x = 0; x < 10; ++x) EXPECT_EQ(image.values[x], expected[x]) << "column " << x;
}

TEST(ReadPng, Gray2BitExpands) {
  RawPng png;
  png.width = 4;
  png.height = 1;
  png.bit_depth = 2;
  png.rows = {{0b00011011}};  // 0 1 2 3
  TempDir dir;
  const Image image = read_png(dir.write("g2.png", encode_raw_png(png)));
  ASSERT_EQ(image.values.size(), 4u);
  // libpng replicates the bits: 2-bit v becomes 85 v.
  EXPECT_EQ(image.values[0], 0.0f);
  EXPECT_EQ(image.values[1], unit8(85));
  EXPECT_EQ(image.values[2], unit8(170));
  EXPECT_EQ(image.values[3], 1.0f);
}

TEST(ReadPng, Gray4BitExpands) {
  RawPng png;
  png.width = 3;
  png.height = 1;
  png.bit_depth = 4;
  png.rows = {{0x0F, 0x70}};  // 0 15 7 and a padding nibble
  TempDir dir;
  const Image image = read_png(dir.write("g4.png", encode_raw_png(png)));
  ASSERT_EQ(image.values.size(), 3u);
  // 4-bit v becomes 17 v.
  EXPECT_EQ(image.values[0], 0.0f);
  EXPECT_EQ(image.values[1], 1.0f);
  EXPECT_EQ(image.values[2], unit8(119));
}

TEST(ReadPng, InterlacedMatchesPlain) {
  RawPng png;
  png.width = 9;
  png.height = 10;
  png.color_type = kPngRgb;
  for (std::size_t y = 0; y < png.height; ++y) {
    std::vector<unsigned char> row;
    for (std::size_t x = 0; x < png.width * 3; ++x) row.push_back(static_cast<unsigned char>((y * 27 + x) % 256));
    png.rows.push_back(row);
  }
  TempDir dir;
  const Image plain = read_png(dir.write("plain.png", encode_raw_png(png)));
  png.interlaced = true;
  const Image interlaced = read_png(dir.write("adam7.png", encode_raw_png(png)));
  EXPECT_EQ(interlaced.channels, 3u);
  EXPECT_EQ(interlaced.height, 10u);
  EXPECT_EQ(interlaced.width, 9u);
  EXPECT_EQ(interlaced.values, plain.values);
  EXPECT_EQ(plain.at(1, 9, 8), unit8((9 * 27 + 8 * 3 + 1) % 256));
}

TEST(ReadPng, MissingFileNamesPath) {
  TempDir dir;
  const std::string path = (dir.path() / "absent.png").string();
  expect_error<InputError>([&] { read_png(path); }, {path, "not found"});
}

TEST(ReadPng, EmptyFileIsInputError) {
  TempDir dir;
  const auto path = dir.write("empty.png", "");
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "empty"});
}

TEST(ReadPng, FolderIsInputError) {
  TempDir dir;
  expect_error<InputError>([&] { read_png(dir.path()); }, {dir.path().string(), "folder"});
}

TEST(ReadPng, RandomBytesNotPng) {
  TempDir dir;
  const auto path = dir.write("noise.png", "\x13\x97\xfe\x01 random bytes, not an image \x7f");
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "not a PNG"});
}

TEST(ReadPng, JunkAfterSignatureIsInputError) {
  TempDir dir;
  const auto path = dir.write("junk.png", std::string("\x89PNG\r\n\x1a\n", 8) + "junk junk junk junk");
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "invalid PNG"});
}

TEST(ReadPng, TruncatedNamesFile) {
  const std::string bytes = encode_raw_png(gray8_png());
  TempDir dir;
  // Cuts inside IDAT: the signature (8) and IHDR (25) stay whole.
  const auto path = dir.write("cut.png", bytes.substr(0, 45));
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "truncated"});
}

TEST(ReadPng, MissingIendIsInputError) {
  const std::string bytes = encode_raw_png(gray8_png());
  TempDir dir;
  const auto path = dir.write("no_iend.png", bytes.substr(0, bytes.size() - 12));
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "invalid PNG"});
}

TEST(ReadPng, BadIdatCrcIsInputError) {
  std::string bytes = encode_raw_png(gray8_png());
  // The IDAT CRC is the 4 bytes before IEND (12 bytes).
  bytes[bytes.size() - 13] = static_cast<char>(bytes[bytes.size() - 13] ^ 0x55);
  TempDir dir;
  const auto path = dir.write("crc.png", bytes);
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "CRC"});
}

TEST(ReadPng, BadIhdrCrcIsInputError) {
  std::string bytes = encode_raw_png(gray8_png());
  bytes[8 + 8 + 3] = 4;  // width 3 -> 4 without updating the CRC
  TempDir dir;
  const auto path = dir.write("ihdr.png", bytes);
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "CRC"});
}

TEST(ReadPng, ZeroWidthIsInputError) {
  RawPng png = gray8_png();
  png.width = 0;
  png.rows = {{}, {}};
  TempDir dir;
  const auto path = dir.write("zero.png", encode_raw_png(png));
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "invalid PNG"});
}

TEST(ReadPng, WidthOverLimitRejected) {
  // The header declares 20000 x 2 but IDAT contains two rows of 3 pixels, so only a size check
  // before decoding gives this message.
  RawPng png = gray8_png();
  png.width = 20000;
  TempDir dir;
  const auto path = dir.write("wide.png", encode_raw_png(png));
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "20000 x 2", "16384"});
}

TEST(ReadPng, HeightOverLimitRejected) {
  RawPng png = gray8_png();
  png.height = 16385;
  TempDir dir;
  const auto path = dir.write("tall.png", encode_raw_png(png));
  expect_error<InputError>([&] { read_png(path); }, {path.string(), "3 x 16385", "16384"});
}

TEST(ReadPng, AncillaryBadCrcIgnored) {
  std::string bytes = encode_raw_png(gray8_png());
  // An ancillary private chunk ("prVt") with a wrong CRC right after IHDR: libpng warns and
  // skips it.
  std::string chunk = png_chunk("prVt", "hello");
  chunk.back() = static_cast<char>(chunk.back() ^ 1);
  bytes.insert(8 + 25, chunk);
  TempDir dir;
  const Image image = read_png(dir.write("ancillary.png", bytes));
  EXPECT_EQ(image.at(0, 1, 2), 1.0f);
}

TEST(DecodePng, MatchesReadPng) {
  const std::string bytes = encode_raw_png(gray8_png());
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const Image image = decode_png({data, bytes.size()}, "memory");
  EXPECT_EQ(image.height, 2u);
  EXPECT_EQ(image.at(0, 0, 2), unit8(127));
}

}  // namespace
}  // namespace privaudit::image
