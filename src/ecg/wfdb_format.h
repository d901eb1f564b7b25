// Sample codecs for the WFDB signal file formats that privaudit supports (16 and 212). A signal
// file contains one sample stream: the samples of all signals in the file, frame by frame
// (interleaved), packed back to back in the file's format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ecg/wfdb.h"

namespace privaudit::ecg {

// Returns the format for a header's format code, or nullopt when privaudit does not support it.
std::optional<WfdbFormat> wfdb_format_from_code(long code);

// Smallest and largest sample value that `format` stores. The WFDB library reads the smallest
// value (-32768 in format 16, -2048 in format 212) as an invalid sample.
std::int32_t wfdb_min_sample(WfdbFormat format);
std::int32_t wfdb_max_sample(WfdbFormat format);
// Bits per sample: 16 or 12.
int wfdb_sample_bits(WfdbFormat format);

// Bytes a reader needs for the first `count` samples of a stream. Format 212 needs 2 bytes for
// a final unpaired sample. Returns nullopt when the count overflows std::size_t.
std::optional<std::size_t> wfdb_bytes_for_samples(WfdbFormat format, std::size_t count);
// Number of whole samples that `bytes` bytes of a stream hold.
std::size_t wfdb_samples_in_bytes(WfdbFormat format, std::size_t bytes);

// Decodes the first out.size() samples of a stream. `bytes` contains at least
// wfdb_bytes_for_samples(format, out.size()) bytes.
void decode_wfdb_samples(WfdbFormat format, std::span<const std::byte> bytes,
                         std::span<std::int32_t> out);

// Encodes a sample stream. Every value lies in [wfdb_min_sample, wfdb_max_sample]. Format 212
// pads an odd count with a zero sample, so the output has 3 * ceil(count / 2) bytes.
std::vector<std::byte> encode_wfdb_samples(WfdbFormat format, std::span<const std::int32_t> samples);

}  // namespace privaudit::ecg
