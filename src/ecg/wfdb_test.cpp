#include "ecg/wfdb.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"
#include "ecg/ecg_test_files.h"

namespace privaudit::ecg {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::TempDir;

// MIT-BIH record 208 (one lead, 108,000 samples at 360 Hz) with its database calibration:
// 200 ADC units per mV around 1024.
WfdbSignals mitbih_signals(WfdbFormat format) {
  const testing::IntegerTable table = testing::read_ecg_csv("ecg_scipy_mitbih208.csv");
  WfdbSignals signals;
  signals.sampling_rate_hz = 360.0;
  signals.samples = table.columns.at(0).size();
  WfdbSignal signal;
  signal.format = format;
  signal.gain = 200.0;
  signal.baseline = 1024;
  signal.adc_zero = 1024;
  signal.adc_resolution = 11;
  signal.description = "MLII";
  signals.signals.push_back(signal);
  signals.digital = table.columns[0];
  return signals;
}

// The 12-lead ECG (10,000 samples per lead at 1000 Hz), 1.25 uV per ADC unit: 800 units per mV.
WfdbSignals twelve_lead_signals(WfdbFormat format) {
  const testing::IntegerTable table = testing::read_ecg_csv("ecg_pydicom_12lead.csv");
  WfdbSignals signals;
  signals.sampling_rate_hz = 1000.0;
  signals.samples = table.columns.at(0).size();
  for (std::size_t lead = 0; lead < table.columns.size(); ++lead) {
    WfdbSignal signal;
    signal.format = format;
    signal.gain = 800.0;
    signal.description = table.names[lead];
    signals.signals.push_back(signal);
    signals.digital.insert(signals.digital.end(), table.columns[lead].begin(), table.columns[lead].end());
  }
  return signals;
}

void expect_same_signals(const WfdbSignals& read, const WfdbSignals& written) {
  EXPECT_EQ(read.sampling_rate_hz, written.sampling_rate_hz);
  EXPECT_EQ(read.samples, written.samples);
  ASSERT_EQ(read.signals.size(), written.signals.size());
  for (std::size_t s = 0; s < read.signals.size(); ++s) {
    EXPECT_EQ(read.signals[s].format, written.signals[s].format) << "signal " << s;
    EXPECT_EQ(read.signals[s].gain, written.signals[s].gain) << "signal " << s;
    EXPECT_EQ(read.signals[s].baseline, written.signals[s].baseline) << "signal " << s;
    EXPECT_EQ(read.signals[s].adc_zero, written.signals[s].adc_zero) << "signal " << s;
    EXPECT_EQ(read.signals[s].units, written.signals[s].units) << "signal " << s;
    EXPECT_EQ(read.signals[s].description, written.signals[s].description) << "signal " << s;
  }
  EXPECT_TRUE(read.digital == written.digital) << "digital samples differ";
}

// Checks read_wfdb's values against (digital - baseline) / gain for every sample.
void expect_physical_values(const EcgRecord& record, const WfdbSignals& written) {
  ASSERT_EQ(record.leads, written.signals.size());
  ASSERT_EQ(record.samples, written.samples);
  EXPECT_EQ(record.sampling_rate_hz, written.sampling_rate_hz);
  std::size_t mismatches = 0;
  for (std::size_t lead = 0; lead < record.leads; ++lead) {
    EXPECT_EQ(record.lead_names[lead], written.signals[lead].description);
    const WfdbSignal& signal = written.signals[lead];
    for (std::size_t i = 0; i < record.samples; ++i) {
      const auto expected = static_cast<float>((written.at(lead, i) - signal.baseline) / signal.gain);
      if (record.at(lead, i) != expected) ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

void round_trip(const WfdbSignals& written, const std::string& name) {
  const TempDir folder;
  const fs::path header = folder.path() / (name + ".hea");
  write_wfdb(header, written);
  expect_same_signals(read_wfdb_digital(header), written);
  expect_physical_values(read_wfdb(header), written);
}

TEST(Wfdb, MitBihFormat212RoundTrip) { round_trip(mitbih_signals(WfdbFormat::k212), "mitdb208"); }

TEST(Wfdb, MitBihFormat16RoundTrip) { round_trip(mitbih_signals(WfdbFormat::k16), "mitdb208"); }

TEST(Wfdb, TwelveLeadFormat16RoundTrip) { round_trip(twelve_lead_signals(WfdbFormat::k16), "ecg12"); }

TEST(Wfdb, TwelveLeadFormat212RoundTrip) {
  // The 12-lead values lie in [-900, 1570], so they fit 12 bits too.
  round_trip(twelve_lead_signals(WfdbFormat::k212), "ecg12");
}

TEST(Wfdb, MitBihPhysicalValuesByHand) {
  const TempDir folder;
  const fs::path header = folder.path() / "mitdb208.hea";
  write_wfdb(header, mitbih_signals(WfdbFormat::k212));
  const EcgRecord record = read_wfdb(header);
  // The first raw values are 975 and 981: (975 - 1024) / 200 = -0.245, (981 - 1024) / 200 = -0.215.
  EXPECT_FLOAT_EQ(record.at(0, 0), -0.245f);
  EXPECT_FLOAT_EQ(record.at(0, 1), -0.215f);
  EXPECT_EQ(record.lead_names, std::vector<std::string>{"MLII"});
}

TEST(Wfdb, TinyFormat212ByHand) {
  // Two signals, three frames: the sample stream a0 b0 a1 b1 a2 b2 = 10 100 -5 -2048 2047 -1.
  // Pairs: (10, 100) -> 0A 00 64; (-5 = 0xFFB, -2048 = 0x800) -> FB 8F 00;
  // (2047 = 0x7FF, -1 = 0xFFF) -> FF F7 FF. Checksums: 10 - 5 + 2047 = 2052; 100 - 2048 - 1 = -1949.
  const TempDir folder;
  folder.write("tiny.dat", std::string("\x0A\x00\x64\xFB\x8F\x00\xFF\xF7\xFF", 9));
  const fs::path header = folder.write("tiny.hea",
                                       "tiny 2 100 3\n"
                                       "tiny.dat 212 100(10)/mV 12 0 10 2052 0 I\n"
                                       "tiny.dat 212 50/uV 12 0 100 -1949 0 II\n");
  const WfdbSignals signals = read_wfdb_digital(header);
  EXPECT_EQ(signals.digital, (std::vector<std::int32_t>{10, -5, 2047, 100, -2048, -1}));

  const EcgRecord record = read_wfdb(header);
  EXPECT_EQ(record.leads, 2u);
  EXPECT_EQ(record.samples, 3u);
  EXPECT_EQ(record.sampling_rate_hz, 100.0);
  EXPECT_EQ(record.lead_names, (std::vector<std::string>{"I", "II"}));
  EXPECT_FLOAT_EQ(record.at(0, 0), 0.0f);     // (10 - 10) / 100
  EXPECT_FLOAT_EQ(record.at(0, 1), -0.15f);   // (-5 - 10) / 100
  EXPECT_FLOAT_EQ(record.at(0, 2), 20.37f);   // (2047 - 10) / 100
  EXPECT_FLOAT_EQ(record.at(1, 0), 0.002f);   // 100 / 50 uV = 2 uV
  EXPECT_TRUE(std::isnan(record.at(1, 1)));   // -2048 marks an invalid sample
  EXPECT_FLOAT_EQ(record.at(1, 2), -2e-5f);   // -1 / 50 uV
}

TEST(Wfdb, UnpairedLastSampleNeedsTwoBytes) {
  // One signal of three samples: 1 2 -> 01 00 02, then 3 in two bytes 03 00.
  const TempDir folder;
  folder.write("odd.dat", std::string("\x01\x00\x02\x03\x00", 5));
  const fs::path header = folder.write("odd.hea", "odd 1 100 3\nodd.dat 212\n");
  EXPECT_EQ(read_wfdb_digital(header).digital, (std::vector<std::int32_t>{1, 2, 3}));
}

TEST(Wfdb, Format16InvalidSampleIsNan) {
  const TempDir folder;
  folder.write("gap.dat", std::string("\x00\x80\x10\x00", 4));  // -32768, 16
  const fs::path header = folder.write("gap.hea", "gap 1 100 2\ngap.dat 16 8 16\n");
  const EcgRecord record = read_wfdb(header);
  EXPECT_TRUE(std::isnan(record.at(0, 0)));
  EXPECT_FLOAT_EQ(record.at(0, 1), 2.0f);
}

TEST(Wfdb, ThreeSignalsInterleavedIn212) {
  WfdbSignals signals;
  signals.sampling_rate_hz = 250.0;
  signals.samples = 2;
  for (int s = 0; s < 3; ++s) {
    WfdbSignal signal;
    signal.format = WfdbFormat::k212;
    signal.description = "S" + std::to_string(s);
    signals.signals.push_back(signal);
  }
  // [signals, samples]: S0 = 1 2, S1 = 3 4, S2 = 5 6, so the frames are 1 3 5 | 2 4 6.
  signals.digital = {1, 2, 3, 4, 5, 6};
  const TempDir folder;
  const fs::path header = folder.path() / "three.hea";
  write_wfdb(header, signals);
  // Stream 1 3 5 2 4 6 in pairs: (1, 3) -> 01 00 03; (5, 2) -> 05 00 02; (4, 6) -> 04 00 06.
  EXPECT_EQ(read_file(folder.path() / "three.dat"), std::string("\x01\x00\x03\x05\x00\x02\x04\x00\x06", 9));
  expect_same_signals(read_wfdb_digital(header), signals);
}

TEST(Wfdb, TwoSignalsInterleavedIn16) {
  WfdbSignals signals;
  signals.sampling_rate_hz = 500.0;
  signals.samples = 2;
  signals.signals.resize(2);
  signals.digital = {1, -1, 256, 2};  // S0 = 1 -1, S1 = 256 2
  const TempDir folder;
  write_wfdb(folder.path() / "pair.hea", signals);
  EXPECT_EQ(read_file(folder.path() / "pair.dat"),
            std::string("\x01\x00\x00\x01\xFF\xFF\x02\x00", 8));  // frames 1 256 | -1 2
}

TEST(Wfdb, WrittenHeaderText) {
  WfdbSignals signals;
  signals.sampling_rate_hz = 360.0;
  signals.samples = 3;
  WfdbSignal signal;
  signal.format = WfdbFormat::k212;
  signal.gain = 200.0;
  signal.baseline = 1024;
  signal.adc_zero = 1024;
  signal.adc_resolution = 11;
  signal.description = "MLII";
  signals.signals = {signal, signal};
  signals.signals[1].description = "";
  signals.signals[1].gain = 0.5;
  signals.signals[1].units = "uV";
  signals.signals[1].adc_resolution = 0;
  signals.digital = {995, 1000, 1010, -3, 0, 0};
  const TempDir folder;
  write_wfdb(folder.path() / "rec_1.hea", signals);
  // Checksums: 995 + 1000 + 1010 = 3005; -3 + 0 + 0 = -3. Resolution 0 becomes 12 in format 212.
  EXPECT_EQ(read_file(folder.path() / "rec_1.hea"),
            "rec_1 2 360 3\n"
            "rec_1.dat 212 200(1024)/mV 11 1024 995 3005 0 MLII\n"
            "rec_1.dat 212 0.5(1024)/uV 12 1024 -3 -3 0\n");
}

TEST(Wfdb, WriterLeavesOnlyTwoFiles) {
  const TempDir folder;
  write_wfdb(folder.path() / "mitdb208.hea", mitbih_signals(WfdbFormat::k212));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder.path())) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"mitdb208.dat", "mitdb208.hea"}));
  // 108,000 samples in format 212 take 1.5 bytes each.
  EXPECT_EQ(fs::file_size(folder.path() / "mitdb208.dat"), 162000u);
}

TEST(Wfdb, SignalsInSeparateFiles) {
  // Signal 0 in format 16 after a 4-byte preamble, signal 1 in format 212 in its own file.
  const TempDir folder;
  folder.write("a.dat", std::string("HEAD\x05\x00\xFB\xFF", 8));  // 5, -5
  folder.write("b.dat", std::string("\x07\x00\x09", 3));          // 7, 9
  const fs::path header = folder.write("two.hea", "two 2 128 2\na.dat 16+4 10 16 0 5 0 0 A\nb.dat 212 20 12 0 7 16 0 B\n");
  const WfdbSignals signals = read_wfdb_digital(header);
  EXPECT_EQ(signals.digital, (std::vector<std::int32_t>{5, -5, 7, 9}));
  const EcgRecord record = read_wfdb(header);
  EXPECT_FLOAT_EQ(record.at(0, 1), -0.5f);
  EXPECT_FLOAT_EQ(record.at(1, 1), 0.45f);
  EXPECT_EQ(record.lead_names, (std::vector<std::string>{"A", "B"}));
}

TEST(Wfdb, SampleCountFromFileSize) {
  // No sample count on the record line: 10 bytes of format 16 with 2 signals are 2 whole frames.
  const TempDir folder;
  folder.write("n.dat", std::string("\x01\x00\x02\x00\x03\x00\x04\x00\x05\x00", 10));
  const fs::path header = folder.write("n.hea", "n 2 100\nn.dat 16\nn.dat 16\n");
  const WfdbSignals signals = read_wfdb_digital(header);
  EXPECT_EQ(signals.samples, 2u);
  EXPECT_EQ(signals.digital, (std::vector<std::int32_t>{1, 3, 2, 4}));
}

TEST(Wfdb, LongerSignalFileAccepted) {
  // The record line's count decides; trailing bytes are ignored.
  const TempDir folder;
  folder.write("long.dat", std::string("\x01\x00\x02\x00\x03\x00", 6));
  const fs::path header = folder.write("long.hea", "long 1 100 2\nlong.dat 16\n");
  EXPECT_EQ(read_wfdb_digital(header).digital, (std::vector<std::int32_t>{1, 2}));
}

TEST(Wfdb, VoltsAndMicrovoltsScaledToMillivolts) {
  const TempDir folder;
  folder.write("u.dat", std::string("\x0A\x00\x0A\x00\x0A\x00", 6));
  const fs::path header = folder.write("u.hea",
                                       "u 3 100 1\nu.dat 16 1/V\nu.dat 16 1/uV\nu.dat 16 1/\xC2\xB5V\n");
  const EcgRecord record = read_wfdb(header);
  EXPECT_FLOAT_EQ(record.at(0, 0), 10000.0f);
  EXPECT_FLOAT_EQ(record.at(1, 0), 0.01f);
  EXPECT_FLOAT_EQ(record.at(2, 0), 0.01f);
}

TEST(WfdbWriter, ValueOutsideFormatRejected) {
  WfdbSignals signals = mitbih_signals(WfdbFormat::k212);
  signals.digital[7] = 2048;
  const TempDir folder;
  expect_error<UsageError>([&] { write_wfdb(folder.path() / "x.hea", signals); },
                           {"sample 7 = 2048", "format 212", "[-2048, 2047]", "use format 16"});
  EXPECT_FALSE(fs::exists(folder.path() / "x.dat"));
  EXPECT_FALSE(fs::exists(folder.path() / "x.hea"));
}

TEST(WfdbWriter, BadInputRejected) {
  const TempDir folder;
  const fs::path header = folder.path() / "x.hea";
  const WfdbSignals good = mitbih_signals(WfdbFormat::k16);

  expect_error<UsageError>([&] { write_wfdb(folder.path() / "x.txt", good); }, {"'", ".hea"});
  expect_error<UsageError>([&] { write_wfdb(folder.path() / "rec-1.hea", good); },
                           {"'rec-1'", "letters, digits and underscores"});
  WfdbSignals bad = good;
  bad.sampling_rate_hz = 0.0;
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"sampling_rate_hz 0"});
  bad = good;
  bad.signals[0].gain = 0.0;
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"gain 0"});
  bad = good;
  bad.signals[0].gain = std::nan("");
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"gain nan"});
  bad = good;
  bad.signals[0].units = "m V";
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"units 'm V'"});
  bad = good;
  bad.signals[0].description = "two\nlines";
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"description", "control characters"});
  bad = good;
  bad.signals[0].adc_resolution = 17;
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"adc_resolution 17", "0 to 16"});
  bad = good;
  bad.digital.pop_back();
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"107999 values", "108000"});
  bad = good;
  bad.signals.push_back(bad.signals[0]);
  bad.signals[1].format = WfdbFormat::k212;
  bad.digital.insert(bad.digital.end(), good.digital.begin(), good.digital.end());
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"signal 1 has format 212", "format 16"});
  bad = good;
  bad.samples = 0;
  bad.digital.clear();
  expect_error<UsageError>([&] { write_wfdb(header, bad); }, {"0 samples"});
  EXPECT_FALSE(fs::exists(header));
}

}  // namespace
}  // namespace privaudit::ecg
