#include "ecg/npy_ecg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/error.h"
#include "core/npy.h"
#include "ecg/ecg_test_files.h"

namespace privaudit::ecg {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::TempDir;

// Bytes of a .npy file (format 1.0) with the given dtype descr, order and shape text, as
// numpy.save writes them: header padded with spaces to a multiple of 64 bytes.
std::string npy_bytes(const std::string& descr, bool fortran, const std::string& shape,
                      const std::string& data) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size() & 0xFF);
  bytes += static_cast<char>(header.size() >> 8);
  return bytes + header + data;
}

template <typename T>
fs::path write_array(const TempDir& folder, const std::string& name, NpyType type,
                     std::vector<std::size_t> shape, const std::vector<T>& values) {
  const fs::path path = folder.path() / name;
  write_npy(path, type, shape, std::span<const T>(values));
  return path;
}

TEST(EcgNpy, SamplesLeadsTransposed) {
  const TempDir folder;
  // [samples = 3, leads = 2]: lead 0 = 1 2 3, lead 1 = 10 20 30.
  const fs::path path =
      write_array<float>(folder, "a.npy", NpyType::kFloat32, {3, 2}, {1, 10, 2, 20, 3, 30});
  const EcgRecord record = read_ecg_npy(path, NpyLayout::kSamplesLeads, 500.0);
  EXPECT_EQ(record.leads, 2u);
  EXPECT_EQ(record.samples, 3u);
  EXPECT_EQ(record.sampling_rate_hz, 500.0);
  EXPECT_EQ(record.lead_names, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(record.values, (std::vector<float>{1, 2, 3, 10, 20, 30}));
}

TEST(EcgNpy, LeadsSamplesKeptInOrder) {
  const TempDir folder;
  const fs::path path =
      write_array<double>(folder, "a.npy", NpyType::kFloat64, {2, 3}, {0.5, -1.25, 2, 3, 4, 5});
  const EcgRecord record = read_ecg_npy(path, NpyLayout::kLeadsSamples, 100.0);
  EXPECT_EQ(record.leads, 2u);
  EXPECT_EQ(record.samples, 3u);
  EXPECT_EQ(record.values, (std::vector<float>{0.5f, -1.25f, 2, 3, 4, 5}));
}

TEST(EcgNpy, Int32ValuesTakenAsPhysical) {
  const TempDir folder;
  const fs::path path =
      write_array<std::int32_t>(folder, "a.npy", NpyType::kInt32, {2, 1}, {-900, 1570});
  const EcgRecord record = read_ecg_npy(path, NpyLayout::kSamplesLeads, 1000.0);
  EXPECT_EQ(record.leads, 1u);
  EXPECT_EQ(record.samples, 2u);
  EXPECT_EQ(record.values, (std::vector<float>{-900.0f, 1570.0f}));
}

TEST(EcgNpy, RealTwelveLeadShape) {
  const testing::IntegerTable table = testing::read_ecg_csv("ecg_pydicom_12lead.csv");
  std::vector<float> rows;  // [samples, leads]
  for (std::size_t i = 0; i < table.columns[0].size(); ++i) {
    for (const auto& column : table.columns) rows.push_back(static_cast<float>(column[i]) * 1.25e-3f);
  }
  const TempDir folder;
  const fs::path path = write_array<float>(folder, "ecg.npy", NpyType::kFloat32, {10000, 12}, rows);
  const EcgRecord record = read_ecg_npy(path, NpyLayout::kSamplesLeads, 1000.0);
  EXPECT_EQ(record.leads, 12u);
  EXPECT_EQ(record.samples, 10000u);
  EXPECT_EQ(record.at(0, 0), 80 * 1.25e-3f);   // lead I, first row of the CSV
  EXPECT_EQ(record.at(3, 1), -75 * 1.25e-3f);  // aVR, second row
  EXPECT_EQ(record.at(11, 9999), rows.back());
}

TEST(EcgNpy, Uint8Rejected) {
  const TempDir folder;
  const fs::path path = write_array<std::uint8_t>(folder, "a.npy", NpyType::kUint8, {2, 1}, {1, 2});
  expect_error<InputError>([&] { read_ecg_npy(path, NpyLayout::kSamplesLeads, 100.0); },
                           {path.string(), "dtype |u1", "float32, float64, int32 or int16", "astype"});
}

// NOTE: int16 arrays need read_npy in core to support the dtype '<i2'. Until it does, they are
// rejected with read_npy's message plus the supported dtypes.
// int16 samples, the storage of most raw ECG exports: [2 samples, 1 lead] = {1, -1}.
TEST(EcgNpy, Int16Read) {
  const TempDir folder;
  const fs::path path =
      folder.write("a.npy", npy_bytes("<i2", false, "(2, 1)", std::string("\x01\x00\xFF\xFF", 4)));
  const EcgRecord record = read_ecg_npy(path, NpyLayout::kSamplesLeads, 100.0);
  ASSERT_EQ(record.leads, 1u);
  ASSERT_EQ(record.samples, 2u);
  EXPECT_EQ(record.values[0], 1.0f);
  EXPECT_EQ(record.values[1], -1.0f);
}

TEST(EcgNpy, FortranOrderRejected) {
  const TempDir folder;
  const fs::path path = folder.write("a.npy", npy_bytes("<f4", true, "(1, 1)", std::string(4, '\0')));
  expect_error<InputError>([&] { read_ecg_npy(path, NpyLayout::kSamplesLeads, 100.0); },
                           {"Fortran order", "C-order"});
}

TEST(EcgNpy, GarbageRejected) {
  const TempDir folder;
  const fs::path path = folder.write("a.npy", "not numpy");
  expect_error<InputError>([&] { read_ecg_npy(path, NpyLayout::kSamplesLeads, 100.0); },
                           {path.string(), "magic", "numpy.save"});
}

TEST(EcgNpy, MissingFileIsIoError) {
  const TempDir folder;
  EXPECT_THROW(read_ecg_npy(folder.path() / "none.npy", NpyLayout::kSamplesLeads, 100.0), IoError);
}

TEST(EcgNpy, WrongDimensionsRejected) {
  const TempDir folder;
  const fs::path flat = write_array<float>(folder, "flat.npy", NpyType::kFloat32, {3}, {1, 2, 3});
  expect_error<InputError>([&] { read_ecg_npy(flat, NpyLayout::kSamplesLeads, 100.0); },
                           {flat.string(), "1 dimensions", "2-D", "(samples, 1)"});
  const fs::path cube =
      write_array<float>(folder, "cube.npy", NpyType::kFloat32, {1, 2, 2}, {1, 2, 3, 4});
  expect_error<InputError>([&] { read_ecg_npy(cube, NpyLayout::kSamplesLeads, 100.0); },
                           {"3 dimensions"});
}

TEST(EcgNpy, EmptyAxisRejected) {
  const TempDir folder;
  const fs::path path = write_array<float>(folder, "a.npy", NpyType::kFloat32, {0, 12}, {});
  expect_error<InputError>([&] { read_ecg_npy(path, NpyLayout::kSamplesLeads, 100.0); },
                           {"shape (0, 12)", "12 leads of 0 samples"});
}

TEST(EcgNpy, NonFiniteValueRejected) {
  const TempDir folder;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const fs::path path = write_array<float>(folder, "a.npy", NpyType::kFloat32, {2, 2}, {1, 2, 3, nan});
  expect_error<InputError>([&] { read_ecg_npy(path, NpyLayout::kSamplesLeads, 100.0); },
                           {path.string(), "lead 1, sample 1", "not finite"});
  const fs::path big = write_array<double>(folder, "big.npy", NpyType::kFloat64, {1, 1}, {1e300});
  expect_error<InputError>([&] { read_ecg_npy(big, NpyLayout::kLeadsSamples, 100.0); },
                           {"lead 0, sample 0", "float32"});
}

TEST(EcgNpy, BadRateIsUsageError) {
  const TempDir folder;
  const fs::path path = write_array<float>(folder, "a.npy", NpyType::kFloat32, {1, 1}, {1});
  expect_error<UsageError>([&] { read_ecg_npy(path, NpyLayout::kSamplesLeads, 0.0); },
                           {"sampling rate 0 Hz", "> 0"});
  EXPECT_THROW(read_ecg_npy(path, NpyLayout::kSamplesLeads, std::numeric_limits<double>::infinity()),
               UsageError);
}

}  // namespace
}  // namespace privaudit::ecg
