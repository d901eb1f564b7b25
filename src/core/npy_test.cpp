#include "core/npy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"

namespace privaudit {
namespace {

namespace fs = std::filesystem;

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("privaudit_npy_" + name + "_" + std::to_string(::getpid()));
}

TEST(Npy, RoundTripFloat2d) {
  const std::vector<float> data = {1.5f, -2.0f, 3.25f, 0.0f, 1e-30f, 7.0f};
  const std::vector<std::size_t> shape = {2, 3};
  const fs::path path = temp_path("f32.npy");
  write_npy(path, NpyType::kFloat32, shape, std::span<const float>(data));
  const NpyArray array = read_npy(path);
  EXPECT_EQ(array.type, NpyType::kFloat32);
  ASSERT_EQ(array.shape.size(), 2u);
  EXPECT_EQ(array.shape[0], 2u);
  EXPECT_EQ(array.shape[1], 3u);
  const auto values = array.as<float>();
  ASSERT_EQ(values.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(values[i], data[i]);
}

TEST(Npy, HeaderMatchesNumpyLayout) {
  const std::vector<std::uint8_t> data = {1, 0, 1};
  const std::vector<std::size_t> shape = {3};
  const fs::path path = temp_path("u8.npy");
  write_npy(path, NpyType::kUint8, shape, std::span<const std::uint8_t>(data));
  const std::string bytes = read_file(path);
  // numpy 1.24 numpy.save(f, numpy.array([1, 0, 1], numpy.uint8)) writes 131 bytes: a 128-byte
  // header padded with spaces, then the data.
  ASSERT_EQ(bytes.size(), 131u);
  EXPECT_EQ(bytes.substr(0, 10), std::string("\x93NUMPY\x01\x00v\x00", 10));
  EXPECT_EQ(bytes.substr(10, 57), "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }");
  EXPECT_EQ(bytes[127], '\n');
  EXPECT_EQ(bytes.substr(128), std::string("\x01\x00\x01", 3));
}

TEST(Npy, TruncatedFileRejected) {
  const std::vector<float> data(10, 1.0f);
  const std::vector<std::size_t> shape = {10};
  const fs::path path = temp_path("trunc.npy");
  write_npy(path, NpyType::kFloat32, shape, std::span<const float>(data));
  std::string bytes = read_file(path);
  bytes.resize(bytes.size() - 4);
  write_file_atomic(path, bytes);
  EXPECT_THROW(read_npy(path), InputError);
}

TEST(Npy, GarbageRejected) {
  const fs::path path = temp_path("garbage.npy");
  write_file_atomic(path, "not a numpy file at all");
  EXPECT_THROW(read_npy(path), InputError);
}

TEST(Npy, WrongElementTypeIsInternalError) {
  const std::vector<float> data = {1.0f};
  const std::vector<std::size_t> shape = {1};
  const fs::path path = temp_path("type.npy");
  write_npy(path, NpyType::kFloat32, shape, std::span<const float>(data));
  const NpyArray array = read_npy(path);
  EXPECT_THROW(array.as<std::uint8_t>(), InternalError);
}

}  // namespace
}  // namespace privaudit
