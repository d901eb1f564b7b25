#include "dicom/dicom_waveform.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "dcmtk/dcmdata/dcdatset.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcelem.h"
#include "dcmtk/dcmdata/dcitem.h"
#include "dicom/dicom_test_files.h"

namespace privaudit::dicom {
namespace {

using testing::dicom_file;
using testing::DicomCopy;
using testing::expect_error;
using testing::TempDir;

// ecg_pydicom_12lead.csv: group 0 of waveform_ecg.dcm exported by pydicom 2.3.1 (see
// tests/data/ecg/README.md). A header of lead names, then [samples, leads] raw signed 16-bit values.
struct RawExport {
  std::vector<std::string> lead_names;
  std::vector<std::vector<std::int32_t>> rows;  // [samples][leads]
};

RawExport read_raw_export() {
  std::istringstream in(testing::read_bytes(testing::ecg_file("ecg_pydicom_12lead.csv")));
  RawExport result;
  std::string line;
  std::getline(in, line);
  std::istringstream header(line);
  for (std::string name; std::getline(header, name, ',');) {
    result.lead_names.push_back(name);
  }
  while (std::getline(in, line)) {
    if (line.empty()) {
      continue;
    }
    std::istringstream fields(line);
    std::vector<std::int32_t> row;
    for (std::string field; std::getline(fields, field, ',');) {
      row.push_back(std::stoi(field));
    }
    result.rows.push_back(row);
  }
  return result;
}

// Every channel of waveform_ecg.dcm: 1.25 uV per unit, correction 1, baseline 0.
float expected_mv(std::int32_t raw) { return static_cast<float>(raw * 1.25 / 1000.0); }

DcmItem& waveform_group(DicomCopy& copy, long index) {
  DcmItem* group = nullptr;
  EXPECT_TRUE(copy.dataset().findAndGetSequenceItem(DCM_WaveformSequence, group, index).good());
  return *group;
}

DcmItem& channel_definition(DcmItem& group, long index) {
  DcmItem* channel = nullptr;
  EXPECT_TRUE(group.findAndGetSequenceItem(DCM_ChannelDefinitionSequence, channel, index).good());
  return *channel;
}

TEST(DicomWaveform, GroupZeroMatchesPydicomExport) {
  const RawExport expected = read_raw_export();
  const ecg::EcgRecord record = read_dicom_waveform(dicom_file("waveform_ecg.dcm"));
  ASSERT_EQ(record.leads, 12u);
  ASSERT_EQ(record.samples, 10000u);
  ASSERT_EQ(expected.rows.size(), 10000u);
  ASSERT_EQ(record.values.size(), 12u * 10000u);
  EXPECT_EQ(record.sampling_rate_hz, 1000.0);
  EXPECT_EQ(record.lead_names, expected.lead_names);
  std::size_t mismatches = 0;
  for (std::size_t s = 0; s < record.samples; ++s) {
    ASSERT_EQ(expected.rows[s].size(), 12u) << "CSV row " << s;
    for (std::size_t lead = 0; lead < record.leads; ++lead) {
      if (record.at(lead, s) != expected_mv(expected.rows[s][lead])) {
        ++mismatches;
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
  // First row of the export: 80, 90, 10, -85, ...
  EXPECT_EQ(record.at(0, 0), 0.1f);
  EXPECT_EQ(record.at(3, 0), static_cast<float>(-85 * 1.25 / 1000.0));
}

TEST(DicomWaveform, GroupOneMedianBeat) {
  const ecg::EcgRecord record = read_dicom_waveform(dicom_file("waveform_ecg.dcm"), 1);
  EXPECT_EQ(record.leads, 12u);
  EXPECT_EQ(record.samples, 1200u);
  EXPECT_EQ(record.sampling_rate_hz, 1000.0);
  EXPECT_EQ(record.values.size(), 12u * 1200u);
  EXPECT_EQ(record.lead_names[0], "Lead I (Einthoven)");
  // First interleaved words of group 1's Waveform Data: 0x000a, 0x0050 (dcmdump).
  EXPECT_EQ(record.at(0, 0), expected_mv(10));
  EXPECT_EQ(record.at(1, 0), expected_mv(80));
}

TEST(DicomWaveform, GroupOutOfRange) {
  const auto path = dicom_file("waveform_ecg.dcm");
  expect_error<UsageError>(
      [&] { read_dicom_waveform(path, 2); },
      {"waveform group 2", path.string(), "2 multiplex group(s)", "from 0 to 1"});
}

TEST(DicomWaveform, TransferSyntaxesAgree) {
  const ecg::EcgRecord reference = read_dicom_waveform(dicom_file("waveform_ecg.dcm"));
  const TempDir dir;
  for (const E_TransferSyntax syntax : {EXS_LittleEndianImplicit, EXS_BigEndianExplicit}) {
    SCOPED_TRACE(DcmXfer(syntax).getXferName());
    DicomCopy copy(dicom_file("waveform_ecg.dcm"));
    const ecg::EcgRecord record = read_dicom_waveform(copy.save(dir, "copy.dcm", syntax));
    EXPECT_EQ(record.values, reference.values);
    EXPECT_EQ(record.lead_names, reference.lead_names);
  }
}

TEST(DicomWaveform, MillivoltUnitsBaselineAndCorrection) {
  const ecg::EcgRecord reference = read_dicom_waveform(dicom_file("waveform_ecg.dcm"));
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  DcmItem& group = waveform_group(copy, 0);
  // Channel 0: sensitivity 1.25 mV, so values are 1000 times larger than in uV.
  DcmItem* units = nullptr;
  ASSERT_TRUE(channel_definition(group, 0)
                  .findAndGetSequenceItem(DCM_ChannelSensitivityUnitsSequence, units, 0)
                  .good());
  ASSERT_TRUE(units->putAndInsertString(DCM_CodeValue, "mV").good());
  // Channel 1: correction 2 and baseline 10 uV.
  DcmItem& second = channel_definition(group, 1);
  ASSERT_TRUE(second.putAndInsertString(DCM_ChannelSensitivityCorrectionFactor, "2").good());
  ASSERT_TRUE(second.putAndInsertString(DCM_ChannelBaseline, "10").good());
  const ecg::EcgRecord record = read_dicom_waveform(copy.save(dir, "units.dcm"));
  for (const std::size_t s :
       {std::size_t{0}, std::size_t{1}, std::size_t{5000}, std::size_t{9999}}) {
    const double raw0 = reference.at(0, s) * 1000.0 / 1.25;
    const double raw1 = reference.at(1, s) * 1000.0 / 1.25;
    EXPECT_FLOAT_EQ(record.at(0, s), static_cast<float>(std::round(raw0) * 1.25));
    EXPECT_FLOAT_EQ(record.at(1, s), static_cast<float>((std::round(raw1) * 1.25 * 2 + 10) / 1000));
    EXPECT_EQ(record.at(2, s), reference.at(2, s));
  }
}

// Two samples of 12 channels as signed 8-bit values -12 .. 11.
TEST(DicomWaveform, EightBitSamples) {
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  DcmItem& group = waveform_group(copy, 0);
  ASSERT_TRUE(group.putAndInsertUint32(DCM_NumberOfWaveformSamples, 2).good());
  ASSERT_TRUE(group.putAndInsertUint16(DCM_WaveformBitsAllocated, 8).good());
  ASSERT_TRUE(group.putAndInsertString(DCM_WaveformSampleInterpretation, "SB").good());
  std::vector<Uint8> bytes(24);
  for (int i = 0; i < 24; ++i) {
    bytes[i] = static_cast<Uint8>(static_cast<std::int8_t>(i - 12));
  }
  delete group.remove(DCM_WaveformData);
  ASSERT_TRUE(
      group.putAndInsertUint8Array(DcmTag(DCM_WaveformData, EVR_OB), bytes.data(), bytes.size())
          .good());
  const ecg::EcgRecord record = read_dicom_waveform(copy.save(dir, "eight_bit.dcm"));
  ASSERT_EQ(record.samples, 2u);
  EXPECT_EQ(record.at(0, 0), expected_mv(-12));
  EXPECT_EQ(record.at(11, 0), expected_mv(-1));
  EXPECT_EQ(record.at(0, 1), expected_mv(0));
  EXPECT_EQ(record.at(11, 1), expected_mv(11));
}

TEST(DicomWaveform, ImageHasNoWaveform) {
  const auto path = dicom_file("CT_small.dcm");
  expect_error<InputError>([&] { read_dicom_waveform(path); },
                           {path.string(), "WaveformSequence (5400,0100)", "read_dicom_image"});
}

TEST(DicomWaveform, TruncatedFileRejected) {
  const TempDir dir;
  const std::string bytes = testing::read_bytes(dicom_file("waveform_ecg.dcm"));
  const auto path = dir.write("cut.dcm", bytes.substr(0, bytes.size() / 2));
  expect_error<InputError>([&] { read_dicom_waveform(path); },
                           {path.string(), "truncated or damaged"});
}

TEST(DicomWaveform, MissingChannelCount) {
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  delete waveform_group(copy, 0).remove(DCM_NumberOfWaveformChannels);
  const auto path = copy.save(dir, "no_channels.dcm");
  expect_error<InputError>([&] { read_dicom_waveform(path); },
                           {path.string(), "WaveformSequence (5400,0100) item 0",
                            "NumberOfWaveformChannels (003A,0005) is missing"});
}

TEST(DicomWaveform, UnknownUnitsRejected) {
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  DcmItem* units = nullptr;
  ASSERT_TRUE(channel_definition(waveform_group(copy, 0), 3)
                  .findAndGetSequenceItem(DCM_ChannelSensitivityUnitsSequence, units, 0)
                  .good());
  ASSERT_TRUE(units->putAndInsertString(DCM_CodeValue, "mm[Hg]").good());
  const auto path = copy.save(dir, "pressure.dcm");
  const std::string message = expect_error<InputError>(
      [&] { read_dicom_waveform(path); },
      {path.string(), "ChannelDefinitionSequence (003A,0200) item 3", "\"uV\" or \"mV\""});
  EXPECT_EQ(message.find("mm[Hg]"), std::string::npos) << message;
}

TEST(DicomWaveform, CompandedSamplesRejected) {
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  ASSERT_TRUE(
      waveform_group(copy, 0).putAndInsertString(DCM_WaveformSampleInterpretation, "MB").good());
  const auto path = copy.save(dir, "mu_law.dcm");
  expect_error<InputError>([&] { read_dicom_waveform(path); },
                           {path.string(), "WaveformSampleInterpretation (5400,1006) is MB"});
}

TEST(DicomWaveform, SampleCountMismatch) {
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  ASSERT_TRUE(
      waveform_group(copy, 0).putAndInsertUint32(DCM_NumberOfWaveformSamples, 10001).good());
  const auto path = copy.save(dir, "too_many.dcm");
  expect_error<InputError>(
      [&] { read_dicom_waveform(path); },
      {path.string(), "WaveformData (5400,1010) has 240000 bytes", "expected 240024"});
}

TEST(DicomWaveform, ChannelDefinitionCountMismatch) {
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  ASSERT_TRUE(waveform_group(copy, 0).putAndInsertUint16(DCM_NumberOfWaveformChannels, 13).good());
  const auto path = copy.save(dir, "thirteen.dcm");
  expect_error<InputError>([&] { read_dicom_waveform(path); },
                           {path.string(), "ChannelDefinitionSequence (003A,0200) has 12 item(s)",
                            "NumberOfWaveformChannels (003A,0005) is 13"});
}

TEST(DicomWaveform, MissingSensitivity) {
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  delete channel_definition(waveform_group(copy, 0), 5).remove(DCM_ChannelSensitivity);
  const auto path = copy.save(dir, "no_sensitivity.dcm");
  expect_error<InputError>([&] { read_dicom_waveform(path); },
                           {path.string(), "item 5", "ChannelSensitivity (003A,0210) is missing"});
}

TEST(DicomWaveform, ZeroSamplingFrequency) {
  const TempDir dir;
  DicomCopy copy(dicom_file("waveform_ecg.dcm"));
  ASSERT_TRUE(waveform_group(copy, 0).putAndInsertString(DCM_SamplingFrequency, "0").good());
  const auto path = copy.save(dir, "zero_rate.dcm");
  expect_error<InputError>([&] { read_dicom_waveform(path); },
                           {path.string(), "SamplingFrequency (003A,001A) is 0 Hz"});
}

}  // namespace
}  // namespace privaudit::dicom
