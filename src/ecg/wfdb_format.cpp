#include "ecg/wfdb_format.h"

#include <fmt/format.h>

#include <limits>

#include "core/error.h"

namespace privaudit::ecg {

namespace {

std::uint8_t byte_at(std::span<const std::byte> bytes, std::size_t index) {
  return std::to_integer<std::uint8_t>(bytes[index]);
}

// Sign-extends the low 12 bits of `value`.
std::int32_t sign_extend_12(std::uint32_t value) {
  const std::int32_t low = static_cast<std::int32_t>(value & 0xFFFu);
  return low >= 0x800 ? low - 0x1000 : low;
}

}  // namespace

std::optional<WfdbFormat> wfdb_format_from_code(long code) {
  if (code == 16) return WfdbFormat::k16;
  if (code == 212) return WfdbFormat::k212;
  return std::nullopt;
}

std::int32_t wfdb_min_sample(WfdbFormat format) {
  return format == WfdbFormat::k16 ? -32768 : -2048;
}

std::int32_t wfdb_max_sample(WfdbFormat format) {
  return format == WfdbFormat::k16 ? 32767 : 2047;
}

int wfdb_sample_bits(WfdbFormat format) { return format == WfdbFormat::k16 ? 16 : 12; }

std::optional<std::size_t> wfdb_bytes_for_samples(WfdbFormat format, std::size_t count) {
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  if (format == WfdbFormat::k16) {
    if (count > kMax / 2) return std::nullopt;
    return count * 2;
  }
  // Format 212 uses 3 bytes per pair. An unpaired last sample uses its pair's first 2 bytes.
  const std::size_t pairs = count / 2;
  if (pairs > (kMax - 2) / 3) return std::nullopt;
  return pairs * 3 + (count % 2 == 1 ? 2 : 0);
}

std::size_t wfdb_samples_in_bytes(WfdbFormat format, std::size_t bytes) {
  if (format == WfdbFormat::k16) return bytes / 2;
  return bytes / 3 * 2 + (bytes % 3 == 2 ? 1 : 0);
}

void decode_wfdb_samples(WfdbFormat format, std::span<const std::byte> bytes,
                         std::span<std::int32_t> out) {
  const std::optional<std::size_t> needed = wfdb_bytes_for_samples(format, out.size());
  PRIVAUDIT_CHECK(needed && bytes.size() >= *needed,
                  fmt::format("decoding {} samples needs more than {} bytes", out.size(), bytes.size()));
  if (format == WfdbFormat::k16) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::uint32_t unsigned_value = byte_at(bytes, 2 * i) | (byte_at(bytes, 2 * i + 1) << 8);
      out[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(unsigned_value));
    }
    return;
  }

  // Format 212 packs each pair of samples into bytes b0 b1 b2. The first sample is b0 with the low
  // nibble of b1 as its top 4 bits. The second sample is b2 with the high nibble of b1 on top.
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t base = i / 2 * 3;
    const std::uint32_t middle = byte_at(bytes, base + 1);
    if (i % 2 == 0) {
      out[i] = sign_extend_12(byte_at(bytes, base) | ((middle & 0x0Fu) << 8));
    } else {
      out[i] = sign_extend_12(byte_at(bytes, base + 2) | ((middle & 0xF0u) << 4));
    }
  }
}

std::vector<std::byte> encode_wfdb_samples(WfdbFormat format, std::span<const std::int32_t> samples) {
  for (std::size_t i = 0; i < samples.size(); ++i) {
    PRIVAUDIT_CHECK(samples[i] >= wfdb_min_sample(format) && samples[i] <= wfdb_max_sample(format),
                    fmt::format("sample {} = {} does not fit format {}", i, samples[i],
                                static_cast<int>(format)));
  }
  std::vector<std::byte> bytes;
  if (format == WfdbFormat::k16) {
    bytes.reserve(samples.size() * 2);
    for (const std::int32_t sample : samples) {
      const auto bits = static_cast<std::uint16_t>(sample);
      bytes.push_back(static_cast<std::byte>(bits & 0xFFu));
      bytes.push_back(static_cast<std::byte>(bits >> 8));
    }
    return bytes;
  }

  bytes.reserve((samples.size() + 1) / 2 * 3);
  for (std::size_t i = 0; i < samples.size(); i += 2) {
    const std::uint32_t first = static_cast<std::uint32_t>(samples[i]) & 0xFFFu;
    const std::uint32_t second =
        i + 1 < samples.size() ? static_cast<std::uint32_t>(samples[i + 1]) & 0xFFFu : 0u;
    bytes.push_back(static_cast<std::byte>(first & 0xFFu));
    bytes.push_back(static_cast<std::byte>((first >> 8) | ((second >> 8) << 4)));
    bytes.push_back(static_cast<std::byte>(second & 0xFFu));
  }
  return bytes;
}

}  // namespace privaudit::ecg
