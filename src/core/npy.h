// NumPy .npy files (format version 1.0), so that users can load signals and membership with
// numpy.load. Only C-order arrays of the dtypes privaudit writes are supported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace privaudit {

enum class NpyType { kFloat32, kFloat64, kUint8, kInt32, kInt16 };

// Returns the NumPy descr string ("<f4", "<f8", "|u1", "<i4", "<i2").
std::string npy_descr(NpyType type);
std::size_t npy_item_size(NpyType type);

// A loaded array: raw little-endian bytes plus dtype and shape.
struct NpyArray {
  NpyType type = NpyType::kFloat32;
  std::vector<std::size_t> shape;
  std::vector<std::byte> bytes;

  std::size_t elements() const;
  // Views the bytes as T. Throws InternalError when T does not match the stored dtype.
  template <typename T>
  std::span<const T> as() const;
};

// Writes an array atomically. `data` contains the product of `shape` elements of the given type.
void write_npy(const std::filesystem::path& path, NpyType type, std::span<const std::size_t> shape,
               std::span<const std::byte> data);

template <typename T>
void write_npy(const std::filesystem::path& path, NpyType type, std::span<const std::size_t> shape,
               std::span<const T> data) {
  write_npy(path, type, shape, std::as_bytes(data));
}

// Reads and validates an array. Throws InputError naming the file and the problem (bad magic,
// unsupported dtype or order, size mismatch) and IoError when the file cannot be read.
NpyArray read_npy(const std::filesystem::path& path);

}  // namespace privaudit
