#include "ecg/wfdb_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace privaudit::ecg {
namespace {

std::vector<std::byte> bytes_of(std::initializer_list<unsigned> values) {
  std::vector<std::byte> bytes;
  for (const unsigned value : values) bytes.push_back(static_cast<std::byte>(value));
  return bytes;
}

TEST(WfdbFormat, CodesMapToFormats) {
  EXPECT_EQ(wfdb_format_from_code(16), WfdbFormat::k16);
  EXPECT_EQ(wfdb_format_from_code(212), WfdbFormat::k212);
  EXPECT_FALSE(wfdb_format_from_code(80).has_value());
  EXPECT_FALSE(wfdb_format_from_code(310).has_value());
  EXPECT_FALSE(wfdb_format_from_code(311).has_value());
  EXPECT_FALSE(wfdb_format_from_code(0).has_value());
}

TEST(WfdbFormat, Decode16ByHand) {
  // 0x1234 = 4660, 0xFFFE = -2, 0x8000 = -32768, low byte first.
  const std::vector<std::byte> bytes = bytes_of({0x34, 0x12, 0xFE, 0xFF, 0x00, 0x80});
  std::vector<std::int32_t> samples(3);
  decode_wfdb_samples(WfdbFormat::k16, bytes, samples);
  EXPECT_EQ(samples[0], 4660);
  EXPECT_EQ(samples[1], -2);
  EXPECT_EQ(samples[2], -32768);
}

TEST(WfdbFormat, Decode212ByHand) {
  // Pair 1 in 01 23 45: first = 0x01 + (0x3 << 8) = 0x301 = 769, second = 0x45 + (0x2 << 8) =
  // 0x245 = 581. Pair 2 in FF FF 00: first = 0xFFF = -1, second = 0x000 + (0xF << 8) = 0xF00 =
  // -256. Unpaired 5th sample in 00 08: 0x800 = -2048.
  const std::vector<std::byte> bytes = bytes_of({0x01, 0x23, 0x45, 0xFF, 0xFF, 0x00, 0x00, 0x08});
  std::vector<std::int32_t> samples(5);
  decode_wfdb_samples(WfdbFormat::k212, bytes, samples);
  EXPECT_EQ(samples[0], 769);
  EXPECT_EQ(samples[1], 581);
  EXPECT_EQ(samples[2], -1);
  EXPECT_EQ(samples[3], -256);
  EXPECT_EQ(samples[4], -2048);
}

TEST(WfdbFormat, Encode212ByHand) {
  const std::vector<std::int32_t> samples = {769, 581, -1, -256, -2048};
  // The unpaired last sample is padded with a zero sample to a whole 3-byte pair.
  EXPECT_EQ(encode_wfdb_samples(WfdbFormat::k212, samples),
            bytes_of({0x01, 0x23, 0x45, 0xFF, 0xFF, 0x00, 0x00, 0x08, 0x00}));
}

TEST(WfdbFormat, Encode16ByHand) {
  const std::vector<std::int32_t> samples = {4660, -2, -32768, 32767};
  EXPECT_EQ(encode_wfdb_samples(WfdbFormat::k16, samples),
            bytes_of({0x34, 0x12, 0xFE, 0xFF, 0x00, 0x80, 0xFF, 0x7F}));
}

TEST(WfdbFormat, Format212RoundTripsFullRange) {
  std::vector<std::int32_t> samples;
  for (std::int32_t value = -2048; value <= 2047; ++value) samples.push_back(value);
  samples.push_back(5);  // odd count
  const std::vector<std::byte> bytes = encode_wfdb_samples(WfdbFormat::k212, samples);
  std::vector<std::int32_t> decoded(samples.size());
  decode_wfdb_samples(WfdbFormat::k212, bytes, decoded);
  EXPECT_EQ(decoded, samples);
}

TEST(WfdbFormat, Format16RoundTripsExtremes) {
  const std::vector<std::int32_t> samples = {-32768, -32767, -1, 0, 1, 32766, 32767};
  const std::vector<std::byte> bytes = encode_wfdb_samples(WfdbFormat::k16, samples);
  std::vector<std::int32_t> decoded(samples.size());
  decode_wfdb_samples(WfdbFormat::k16, bytes, decoded);
  EXPECT_EQ(decoded, samples);
}

TEST(WfdbFormat, BytesForSamples) {
  EXPECT_EQ(wfdb_bytes_for_samples(WfdbFormat::k212, 0), 0u);
  EXPECT_EQ(wfdb_bytes_for_samples(WfdbFormat::k212, 1), 2u);
  EXPECT_EQ(wfdb_bytes_for_samples(WfdbFormat::k212, 2), 3u);
  EXPECT_EQ(wfdb_bytes_for_samples(WfdbFormat::k212, 3), 5u);
  EXPECT_EQ(wfdb_bytes_for_samples(WfdbFormat::k16, 3), 6u);
  EXPECT_FALSE(wfdb_bytes_for_samples(WfdbFormat::k16, std::numeric_limits<std::size_t>::max()));
  EXPECT_FALSE(wfdb_bytes_for_samples(WfdbFormat::k212, std::numeric_limits<std::size_t>::max()));
}

TEST(WfdbFormat, SamplesInBytes) {
  EXPECT_EQ(wfdb_samples_in_bytes(WfdbFormat::k212, 1), 0u);
  EXPECT_EQ(wfdb_samples_in_bytes(WfdbFormat::k212, 2), 1u);
  EXPECT_EQ(wfdb_samples_in_bytes(WfdbFormat::k212, 3), 2u);
  EXPECT_EQ(wfdb_samples_in_bytes(WfdbFormat::k212, 4), 2u);
  EXPECT_EQ(wfdb_samples_in_bytes(WfdbFormat::k212, 5), 3u);
  EXPECT_EQ(wfdb_samples_in_bytes(WfdbFormat::k16, 5), 2u);
}

TEST(WfdbFormat, Ranges) {
  EXPECT_EQ(wfdb_min_sample(WfdbFormat::k212), -2048);
  EXPECT_EQ(wfdb_max_sample(WfdbFormat::k212), 2047);
  EXPECT_EQ(wfdb_min_sample(WfdbFormat::k16), -32768);
  EXPECT_EQ(wfdb_max_sample(WfdbFormat::k16), 32767);
  EXPECT_EQ(wfdb_sample_bits(WfdbFormat::k212), 12);
  EXPECT_EQ(wfdb_sample_bits(WfdbFormat::k16), 16);
}

}  // namespace
}  // namespace privaudit::ecg
