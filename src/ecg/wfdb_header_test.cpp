#include "ecg/wfdb_header.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "ecg/ecg_test_files.h"

namespace privaudit::ecg {
namespace {

using testing::expect_error;

const std::filesystem::path kPath = "rec.hea";

TEST(WfdbHeader, MitBihStyleHeader) {
  // The header of MIT-BIH record 100: no baseline or units, so baseline = ADC zero and units mV.
  const WfdbHeader header = parse_wfdb_header(
      "100 2 360 650000 0:0:0 0/0/0\n"
      "100.dat 212 200 11 1024 995 -22131 0 MLII\n"
      "100.dat 212 200 11 1024 1011 20052 0 V5\n"
      "# 69 M 1085 1629 x1\n",
      kPath);
  EXPECT_EQ(header.record_name, "100");
  EXPECT_EQ(header.sampling_rate_hz, 360.0);
  EXPECT_EQ(header.samples, 650000u);
  ASSERT_EQ(header.signals.size(), 2u);
  const WfdbSignalLine& first = header.signals[0];
  EXPECT_EQ(first.file_name, "100.dat");
  EXPECT_EQ(first.signal.format, WfdbFormat::k212);
  EXPECT_EQ(first.signal.gain, 200.0);
  EXPECT_EQ(first.signal.baseline, 1024);
  EXPECT_EQ(first.signal.adc_zero, 1024);
  EXPECT_EQ(first.signal.adc_resolution, 11);
  EXPECT_EQ(first.signal.units, "mV");
  EXPECT_EQ(first.checksum, -22131);
  EXPECT_EQ(first.signal.description, "MLII");
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(header.signals[1].signal.description, "V5");
  EXPECT_EQ(header.signals[1].line, 3u);
}

TEST(WfdbHeader, DefaultsForMissingFields) {
  const WfdbHeader header = parse_wfdb_header("rec 1\nrec.dat 16\n", kPath);
  EXPECT_EQ(header.sampling_rate_hz, 250.0);
  EXPECT_FALSE(header.samples.has_value());
  const WfdbSignal& signal = header.signals.at(0).signal;
  EXPECT_EQ(signal.gain, 200.0);
  EXPECT_EQ(signal.baseline, 0);
  EXPECT_EQ(signal.adc_zero, 0);
  EXPECT_EQ(signal.adc_resolution, 12);
  EXPECT_EQ(signal.units, "mV");
  EXPECT_EQ(signal.description, "");
  EXPECT_FALSE(header.signals[0].checksum.has_value());
}

TEST(WfdbHeader, ZeroGainMeansDefault) {
  const WfdbHeader header = parse_wfdb_header("rec 1 500 10\nrec.dat 16 0 12 7\n", kPath);
  EXPECT_EQ(header.signals.at(0).signal.gain, 200.0);
  EXPECT_EQ(header.signals[0].signal.baseline, 7);
}

TEST(WfdbHeader, ZeroSampleCountMeansUnknown) {
  EXPECT_FALSE(parse_wfdb_header("rec 1 500 0\nrec.dat 16\n", kPath).samples.has_value());
}

TEST(WfdbHeader, BaselineAndUnitsParsed) {
  const WfdbHeader header =
      parse_wfdb_header("rec 1 500 10\nrec.dat 16 1000.5(-12)/uV 16 3 0 0 0 Lead I (Einthoven)\n", kPath);
  const WfdbSignal& signal = header.signals.at(0).signal;
  EXPECT_EQ(signal.gain, 1000.5);
  EXPECT_EQ(signal.baseline, -12);
  EXPECT_EQ(signal.adc_zero, 3);
  EXPECT_EQ(signal.units, "uV");
  EXPECT_EQ(signal.description, "Lead I (Einthoven)");
}

TEST(WfdbHeader, UnitsWithoutBaseline) {
  const WfdbHeader header = parse_wfdb_header("rec 1\nrec.dat 16 100/mV 12 5\n", kPath);
  EXPECT_EQ(header.signals.at(0).signal.units, "mV");
  EXPECT_EQ(header.signals[0].signal.baseline, 5);
}

TEST(WfdbHeader, FrequencyForms) {
  EXPECT_EQ(parse_wfdb_header("rec 1 3.6e2\nrec.dat 16\n", kPath).sampling_rate_hz, 360.0);
  EXPECT_EQ(parse_wfdb_header("rec 1 360.\nrec.dat 16\n", kPath).sampling_rate_hz, 360.0);
  EXPECT_EQ(parse_wfdb_header("rec 1 360/720(5)\nrec.dat 16\n", kPath).sampling_rate_hz, 360.0);
}

TEST(WfdbHeader, ByteOffsetAndUnitModifiers) {
  const WfdbHeader header = parse_wfdb_header("rec 1\nrec.dat 16x1:0+24\n", kPath);
  EXPECT_EQ(header.signals.at(0).byte_offset, 24u);
  EXPECT_EQ(header.signals[0].signal.format, WfdbFormat::k16);
}

TEST(WfdbHeader, CommentsBlankLinesAndCrLf) {
  const WfdbHeader header = parse_wfdb_header(
      "# made by hand\r\n\r\n  \r\nrec 2 100 3\r\n  # between\r\na.dat 16\r\nb.dat 212 \t 50\r\n", kPath);
  EXPECT_EQ(header.record_line, 4u);
  ASSERT_EQ(header.signals.size(), 2u);
  EXPECT_EQ(header.signals[0].line, 6u);
  EXPECT_EQ(header.signals[1].line, 7u);
  EXPECT_EQ(header.signals[1].file_name, "b.dat");
  EXPECT_EQ(header.signals[1].signal.gain, 50.0);
}

TEST(WfdbHeader, NoRecordLine) {
  expect_error<InputError>([] { parse_wfdb_header("# only a comment\n\n", kPath); },
                           {"'rec.hea'", "no record line"});
}

TEST(WfdbHeader, MissingSignalCount) {
  expect_error<InputError>([] { parse_wfdb_header("rec\n", kPath); }, {"line 1", "no signal count"});
}

TEST(WfdbHeader, ZeroSignalsRejected) {
  expect_error<InputError>([] { parse_wfdb_header("rec 0 360\n", kPath); },
                           {"line 1, column 5", "0 signals"});
}

TEST(WfdbHeader, BadNumbersNamed) {
  expect_error<InputError>([] { parse_wfdb_header("rec two\n", kPath); }, {"'two'", "column 5"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1 360 many\nrec.dat 16\n", kPath); },
                           {"sample count 'many'", "column 11"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\nrec.dat 16 200 12 zero\n", kPath); },
                           {"line 2, column 19", "ADC zero 'zero'"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\nrec.dat 16 200(x)/mV\n", kPath); },
                           {"line 2, column 12", "gain field '200(x)/mV'"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\nrec.dat 16 200/\n", kPath); },
                           {"gain field '200/'"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\nrec.dat 16 200 40\n", kPath); },
                           {"ADC resolution 40"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\nrec.dat 16q\n", kPath); },
                           {"format field '16q'"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\nrec.dat\n", kPath); },
                           {"line 2", "no format field"});
}

TEST(WfdbHeader, FileOutsideFolderRejected) {
  expect_error<InputError>([] { parse_wfdb_header("rec 1\n../other/rec.dat 16\n", kPath); },
                           {"line 2, column 1", "'../other/rec.dat'", "header's folder"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\n/etc/rec.dat 16\n", kPath); },
                           {"'/etc/rec.dat'"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\n- 16\n", kPath); }, {"'-'"});
  expect_error<InputError>([] { parse_wfdb_header("rec 1\n~ 16\n", kPath); }, {"'~'"});
}

TEST(WfdbHeader, FileGroupsMustBeConsecutive) {
  expect_error<InputError>([] { parse_wfdb_header("rec 3\na.dat 16\nb.dat 16\na.dat 16\n", kPath); },
                           {"line 4, column 1", "'a.dat' appears again"});
}

TEST(WfdbHeader, GroupSharesFormat) {
  expect_error<InputError>([] { parse_wfdb_header("rec 2\na.dat 16\na.dat 212\n", kPath); },
                           {"line 3, column 7", "line 2", "'a.dat'"});
  expect_error<InputError>([] { parse_wfdb_header("rec 2\na.dat 16+4\na.dat 16\n", kPath); },
                           {"line 3", "byte offset"});
}

}  // namespace
}  // namespace privaudit::ecg
