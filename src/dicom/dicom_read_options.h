// Options of the DICOM image reader.
#pragma once

#include <cstddef>
#include <cstdint>

namespace privaudit::dicom {

struct DicomReadOptions {
  // Zero-based frame of a multi-frame object to read. Range 0 to Number of Frames - 1; a frame
  // outside the file's frames is rejected when the file is read.
  std::size_t frame = 0;
  // Maximum Rows x Columns of one frame, checked before any pixel is decoded so that a small
  // damaged or hostile file cannot make the reader allocate gigabytes. Default 16384 x 16384,
  // above the largest digital radiography and mammography detectors. Range >= 1.
  std::uint64_t max_frame_pixels = std::uint64_t{16384} * 16384;
  // Maximum Rows x Columns x Number of Frames of the whole object, checked before decoding.
  // Default 2^32, as large as the 32-bit length field of uncompressed Pixel Data allows for 8-bit
  // samples. Range >= 1.
  std::uint64_t max_total_pixels = std::uint64_t{1} << 32;

  // Throws UsageError naming the field, its value and the constraint when a field is out of range.
  void validate() const;
};

}  // namespace privaudit::dicom
