// Records that read_wfdb must reject, each with a message naming the file, the line and the fix.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "ecg/ecg_test_files.h"
#include "ecg/wfdb.h"
#include "ecg/wfdb_header.h"

namespace privaudit::ecg {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::TempDir;

// Four format 16 samples: 1 2 3 4.
const std::string kFourSamples("\x01\x00\x02\x00\x03\x00\x04\x00", 8);

TEST(WfdbErrors, UnsupportedFormatsNamed) {
  for (const std::string code : {"80", "310", "311", "8", "24"}) {
    const TempDir folder;
    folder.write("rec.dat", kFourSamples);
    const fs::path header = folder.write("rec.hea", "rec 1 100 4\nrec.dat " + code + " 200\n");
    expect_error<InputError>([&] { read_wfdb(header); },
                             {header.string(), "line 2, column 9", "format " + code + " is not supported",
                              "formats 16 and 212", "convert the record"});
  }
}

TEST(WfdbErrors, MoreSignalsDeclaredThanLines) {
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  const fs::path header = folder.write("rec.hea", "rec 3 100 2\nrec.dat 16\nrec.dat 16\n");
  expect_error<InputError>([&] { read_wfdb(header); },
                           {header.string(), "line 1, column 5", "declares 3 signals",
                            "has 2 signal lines", "correct the signal count"});
}

TEST(WfdbErrors, FewerSignalsDeclaredThanLines) {
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  const fs::path header = folder.write("rec.hea", "rec 1 100 2\nrec.dat 16\nrec.dat 16\n");
  expect_error<InputError>([&] { read_wfdb(header); }, {"declares 1 signals", "has 2 signal lines"});
}

TEST(WfdbErrors, SignalFileShorterThanSampleCount) {
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  const fs::path header = folder.write("rec.hea", "rec 1 100 5\nrec.dat 16\n");
  expect_error<InputError>([&] { read_wfdb(header); },
                           {header.string(), "line 2, column 1", "has 8 bytes", "5 frames of 1 signals",
                            "format 16", "truncated"});
}

TEST(WfdbErrors, Format212FileShorterThanSampleCount) {
  // Two signals of two samples need 6 bytes in format 212.
  const TempDir folder;
  folder.write("rec.dat", std::string("\x01\x02\x03\x04\x05", 5));
  const fs::path header = folder.write("rec.hea", "rec 2 100 2\nrec.dat 212\nrec.dat 212\n");
  expect_error<InputError>([&] { read_wfdb(header); }, {"has 5 bytes", "2 frames of 2 signals"});
}

TEST(WfdbErrors, ByteOffsetPastEndOfFile) {
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  const fs::path header = folder.write("rec.hea", "rec 1 100 1\nrec.dat 16+100\n");
  expect_error<InputError>([&] { read_wfdb(header); }, {"has 8 bytes", "1 frames"});
}

TEST(WfdbErrors, LyingSampleCountRejectedWithoutAllocating) {
  // 10^15 frames of 12 signals would need 24 PB of samples, so the size check must run first.
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  std::string text = "rec 12 500 1000000000000000\n";
  for (int i = 0; i < 12; ++i) text += "rec.dat 16\n";
  const fs::path header = folder.write("rec.hea", text);
  expect_error<InputError>([&] { read_wfdb(header); }, {"has 8 bytes", "1000000000000000 frames"});
}

TEST(WfdbErrors, OverflowingSampleCountRejected) {
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  const fs::path header = folder.write("rec.hea", "rec 3 500 18446744073709551615\nrec.dat 212\nrec.dat 212\nrec.dat 212\n");
  expect_error<InputError>([&] { read_wfdb(header); }, {"has 8 bytes", "18446744073709551615 frames"});
  const fs::path too_long = folder.write("long.hea", "long 1 500 18446744073709551616\nrec.dat 16\n");
  expect_error<InputError>([&] { read_wfdb(too_long); }, {"sample count '18446744073709551616'"});
}

TEST(WfdbErrors, MissingSignalFile) {
  const TempDir folder;
  const fs::path header = folder.write("rec.hea", "rec 1 100 4\nrec.dat 16\n");
  expect_error<InputError>([&] { read_wfdb(header); },
                           {header.string(), "line 2, column 1", (folder.path() / "rec.dat").string(),
                            "not found", "beside its header"});
}

TEST(WfdbErrors, SignalFileIsFolder) {
  const TempDir folder;
  fs::create_directory(folder.path() / "rec.dat");
  const fs::path header = folder.write("rec.hea", "rec 1 100 4\nrec.dat 16\n");
  expect_error<InputError>([&] { read_wfdb(header); }, {"not a regular file"});
}

TEST(WfdbErrors, SamplingFrequencyNotPositive) {
  for (const std::string rate : {"0", "-360", "0.0", "nan", "inf", "abc"}) {
    const TempDir folder;
    folder.write("rec.dat", kFourSamples);
    const fs::path header = folder.write("rec.hea", "rec 1 " + rate + " 4\nrec.dat 16\n");
    expect_error<InputError>([&] { read_wfdb(header); },
                             {header.string(), "line 1, column 7", "sampling frequency '" + rate + "'",
                              "> 0", "correct the record line"});
  }
}

TEST(WfdbErrors, GainNotFinite) {
  for (const std::string gain : {"nan", "inf", "-inf", "1e999"}) {
    const TempDir folder;
    folder.write("rec.dat", kFourSamples);
    const fs::path header = folder.write("rec.hea", "rec 1 100 4\nrec.dat 16 " + gain + "(0)/mV\n");
    expect_error<InputError>([&] { read_wfdb(header); },
                             {header.string(), "line 2, column 12", "gain '" + gain + "' is not finite",
                              "such as 200"});
  }
}

TEST(WfdbErrors, MultiSegmentRecord) {
  const TempDir folder;
  const fs::path header = folder.write("multi.hea",
                                       "multi/2 1 125 2000\n"
                                       "multi_0001 1000\n"
                                       "multi_0002 1000\n");
  expect_error<InputError>([&] { read_wfdb(header); },
                           {header.string(), "line 1, column 1", "'multi/2'", "multi-segment",
                            "single-segment"});
}

TEST(WfdbErrors, BinaryFileAsHeader) {
  const TempDir folder;
  const fs::path header = folder.write("rec.hea", std::string("rec 1 100\n\x01\x00\x02\x00", 14));
  expect_error<InputError>([&] { read_wfdb(header); },
                           {header.string(), "line 2, column 1", "0x01", "not a WFDB header",
                            "not its .dat"});
}

TEST(WfdbErrors, NulInRecordLine) {
  const TempDir folder;
  const fs::path header = folder.write("rec.hea", std::string("rec\0 1 100\n", 11));
  expect_error<InputError>([&] { read_wfdb(header); }, {"line 1, column 4", "0x00"});
}

TEST(WfdbErrors, OversizedHeaderRejected) {
  const TempDir folder;
  const fs::path header = folder.write("big.hea", std::string(kMaxWfdbHeaderBytes + 1, '#'));
  expect_error<InputError>([&] { read_wfdb(header); }, {header.string(), "1048577 bytes", ".hea"});
}

TEST(WfdbErrors, MissingHeaderIsIoError) {
  const TempDir folder;
  expect_error<IoError>([&] { read_wfdb(folder.path() / "none.hea"); }, {"none.hea"});
}

TEST(WfdbErrors, ChecksumMismatch) {
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);  // sum 10
  const fs::path header = folder.write("rec.hea", "rec 1 100 4\nrec.dat 16 200 12 0 1 11 0 I\n");
  expect_error<InputError>([&] { read_wfdb(header); },
                           {header.string(), "line 2", "checksum of signal 0 is 11", "but 10",
                            "damaged"});
}

TEST(WfdbErrors, ChecksumModulo16Bits) {
  // 30000 + 30000 = 60000, which is -5536 as a signed 16-bit number.
  const TempDir folder;
  folder.write("rec.dat", std::string("\x30\x75\x30\x75", 4));  // 0x7530 = 30000, twice
  const fs::path wrapped = folder.write("rec.hea", "rec 1 100 2\nrec.dat 16 200 16 0 0 -5536 0\n");
  EXPECT_EQ(read_wfdb_digital(wrapped).digital, (std::vector<std::int32_t>{30000, 30000}));
  // A header may also give the checksum as an unsigned 16-bit number: 60000 itself.
  const fs::path unsigned_sum = folder.write("u.hea", "u 1 100 2\nrec.dat 16 200 16 0 0 60000 0\n");
  EXPECT_EQ(read_wfdb_digital(unsigned_sum).digital, (std::vector<std::int32_t>{30000, 30000}));
}

TEST(WfdbErrors, NoChecksumWithoutSampleCount) {
  // Without a sample count the WFDB format disables checksum verification.
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  const fs::path header = folder.write("rec.hea", "rec 1 100\nrec.dat 16 200 12 0 1 999 0\n");
  EXPECT_EQ(read_wfdb_digital(header).samples, 4u);
}

TEST(WfdbErrors, MultiFrequencyAndSkewRejected) {
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  const fs::path frames = folder.write("frames.hea", "frames 1 100 2\nrec.dat 16x2\n");
  expect_error<InputError>([&] { read_wfdb(frames); }, {"line 2, column 9", "2 samples per frame"});
  const fs::path skew = folder.write("skew.hea", "skew 1 100 2\nrec.dat 16:3\n");
  expect_error<InputError>([&] { read_wfdb(skew); }, {"line 2, column 9", "skew 3"});
}

TEST(WfdbErrors, NonVoltageUnitsRejectedForEcg) {
  const TempDir folder;
  folder.write("rec.dat", kFourSamples);
  const fs::path header = folder.write("rec.hea", "rec 2 100 2\nrec.dat 16 1/mV 16 0 1 4 0 II\nrec.dat 16 1/mmHg 16 0 2 6 0 ABP\n");
  expect_error<InputError>([&] { read_wfdb(header); },
                           {header.string(), "line 3, column 12", "units 'mmHg'", "'ABP'", "voltage"});
  // The digital reader has no unit requirement.
  EXPECT_EQ(read_wfdb_digital(header).signals.at(1).units, "mmHg");
}

TEST(WfdbErrors, NoCompleteFrameWithoutSampleCount) {
  const TempDir folder;
  folder.write("rec.dat", std::string("\x01", 1));
  const fs::path header = folder.write("rec.hea", "rec 1 100\nrec.dat 16\n");
  expect_error<InputError>([&] { read_wfdb(header); }, {"no complete frame"});
}

}  // namespace
}  // namespace privaudit::ecg
