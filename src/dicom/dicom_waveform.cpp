#include "dicom/dicom_waveform.h"

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "dcmtk/dcmdata/dcdatset.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcelem.h"
#include "dcmtk/dcmdata/dcsequen.h"
#include "dicom/dicom_attributes.h"
#include "dicom/dicom_dataset.h"

namespace privaudit::dicom {

namespace {

// Layout of the samples in Waveform Data.
struct SampleFormat {
  std::uint16_t bits = 16;  // Waveform Bits Allocated: 8 or 16
  bool is_signed = true;    // SS, SB: two's complement
};

// Scaling of one channel to millivolts.
struct ChannelScale {
  double sensitivity = 1.0;   // Channel Sensitivity x Channel Sensitivity Correction Factor
  double baseline = 0.0;      // Channel Baseline, in the channel's units
  double units_per_mv = 1.0;  // 1000 for uV, 1 for mV
};

SampleFormat read_sample_format(const AttributeReader& group) {
  SampleFormat format;
  format.bits = group.require_uint16(DCM_WaveformBitsAllocated);
  // Sample interpretations are defined terms of the standard, so they may appear in messages.
  const std::string interpretation = group.require_string(DCM_WaveformSampleInterpretation);
  if (interpretation == "SS" || interpretation == "US") {
    format.is_signed = interpretation == "SS";
    if (format.bits != 16) {
      group.fail(
          fmt::format("WaveformSampleInterpretation (5400,1006) is {} but "
                      "WaveformBitsAllocated (5400,1004) is {}: expected 16.",
                      interpretation, format.bits));
    }
  } else if (interpretation == "SB" || interpretation == "UB") {
    format.is_signed = interpretation == "SB";
    if (format.bits != 8) {
      group.fail(
          fmt::format("WaveformSampleInterpretation (5400,1006) is {} but "
                      "WaveformBitsAllocated (5400,1004) is {}: expected 8.",
                      interpretation, format.bits));
    }
  } else if (interpretation == "MB" || interpretation == "AB") {
    group.fail("WaveformSampleInterpretation (5400,1006) is " + interpretation +
               " (mu-law or A-law companding), which this reader does not expand; expected SS, "
               "US, SB or UB.");
  } else {
    group.fail(
        "WaveformSampleInterpretation (5400,1006) is not one of the defined terms SS, "
        "US, SB, UB, MB or AB.");
  }
  return format;
}

ChannelScale read_channel_scale(const AttributeReader& channel) {
  ChannelScale scale;
  const double sensitivity = channel.require_decimal(DCM_ChannelSensitivity);
  const double correction =
      channel.find_decimal(DCM_ChannelSensitivityCorrectionFactor).value_or(1.0);
  if (sensitivity == 0.0 || correction == 0.0) {
    channel.fail(
        "ChannelSensitivity (003A,0210) or ChannelSensitivityCorrectionFactor "
        "(003A,0212) is 0: every sample would map to the baseline.");
  }
  scale.sensitivity = sensitivity * correction;
  scale.baseline = channel.find_decimal(DCM_ChannelBaseline).value_or(0.0);

  const AttributeReader units = channel.require_item(DCM_ChannelSensitivityUnitsSequence, 0);
  const std::optional<std::string> code = units.find_string(DCM_CodeValue);
  if (code == "uV") {
    scale.units_per_mv = 1000.0;
  } else if (code == "mV") {
    scale.units_per_mv = 1.0;
  } else {
    units.fail(
        "CodeValue (0008,0100) is missing or is not the UCUM code \"uV\" or \"mV\"; only "
        "voltage channels in microvolts or millivolts are read.");
  }
  return scale;
}

std::string read_lead_name(const AttributeReader& channel) {
  const std::optional<AttributeReader> source = channel.find_item(DCM_ChannelSourceSequence, 0);
  if (!source) {
    return {};
  }
  return source->find_string(DCM_CodeMeaning).value_or("");
}

// Raw samples of Waveform Data, interleaved [samples, channels], widened to 32 bits.
std::vector<std::int32_t> read_samples(const AttributeReader& group, const SampleFormat& format,
                                       std::size_t count) {
  DcmElement* data = nullptr;
  if (group.item().findAndGetElement(DCM_WaveformData, data).bad() || data == nullptr) {
    group.fail("WaveformData (5400,1010) is missing.");
  }
  const std::uint64_t bytes_per_sample = format.bits / 8;
  const std::uint64_t expected = count * bytes_per_sample;
  const std::uint64_t length = data->getLength();
  // A value of odd length is padded to an even length with one byte.
  if (length != expected && !(expected % 2 == 1 && length == expected + 1)) {
    group.fail(
        fmt::format("WaveformData (5400,1010) has {} bytes; expected {} = channels x "
                    "samples x {} byte(s) per sample.",
                    length, expected, bytes_per_sample));
  }

  std::vector<std::int32_t> samples(count);
  const DcmEVR vr = data->getVR();
  if (format.bits == 16 && vr == EVR_OW) {
    // DCMTK has already swapped OW values to the host byte order.
    Uint16* words = nullptr;
    if (data->getUint16Array(words).bad() || words == nullptr) {
      group.fail("WaveformData (5400,1010) cannot be read as 16-bit words.");
    }
    for (std::size_t i = 0; i < count; ++i) {
      samples[i] = format.is_signed ? static_cast<std::int16_t>(words[i]) : words[i];
    }
    return samples;
  }
  if (vr == EVR_OW) {
    group.fail("WaveformData (5400,1010) holds 8-bit samples as OW; expected OB.");
  }
  Uint8* bytes = nullptr;
  if (data->getUint8Array(bytes).bad() || bytes == nullptr) {
    group.fail("WaveformData (5400,1010) cannot be read as bytes.");
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (format.bits == 8) {
      samples[i] = format.is_signed ? static_cast<std::int8_t>(bytes[i]) : bytes[i];
    } else {
      // OB is little endian: the only byte order in which 16-bit samples may be stored as OB.
      const auto word = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
      samples[i] = format.is_signed ? static_cast<std::int16_t>(word) : word;
    }
  }
  return samples;
}

}  // namespace

ecg::EcgRecord read_dicom_waveform(const std::filesystem::path& path, std::size_t group_index) {
  // 1. Find the multiplex group.
  std::unique_ptr<DcmDataset> dataset = load_dicom_dataset(path);
  const AttributeReader attributes(*dataset, path);
  DcmSequenceOfItems* groups = attributes.find_sequence(DCM_WaveformSequence);
  if (groups == nullptr) {
    attributes.fail(
        "has no WaveformSequence (5400,0100), so it holds no waveform; an image "
        "is read with read_dicom_image().");
  }
  const std::size_t group_count = groups->card();
  if (group_index >= group_count) {
    throw UsageError(fmt::format(
        "waveform group {} does not exist: {} has {} multiplex group(s) in its "
        "WaveformSequence (5400,0100); expected a group from 0 to {}.",
        group_index, path.string(), group_count, group_count == 0 ? 0 : group_count - 1));
  }
  const AttributeReader group = attributes.require_item(DCM_WaveformSequence, group_index);

  // 2. Shape, rate and sample format.
  const std::size_t channels = group.require_uint16(DCM_NumberOfWaveformChannels);
  const std::size_t samples = group.require_uint32(DCM_NumberOfWaveformSamples);
  if (channels == 0 || samples == 0) {
    group.fail(
        fmt::format("NumberOfWaveformChannels (003A,0005) is {} and "
                    "NumberOfWaveformSamples (003A,0010) is {}: expected at least 1 each.",
                    channels, samples));
  }
  const double sampling_rate = group.require_decimal(DCM_SamplingFrequency);
  if (!(sampling_rate > 0.0)) {
    group.fail(fmt::format("SamplingFrequency (003A,001A) is {} Hz: expected a positive rate.",
                           sampling_rate));
  }
  const SampleFormat format = read_sample_format(group);

  // 3. Per-channel scaling and names.
  DcmSequenceOfItems& definitions = group.require_sequence(DCM_ChannelDefinitionSequence);
  if (definitions.card() != channels) {
    group.fail(
        fmt::format("ChannelDefinitionSequence (003A,0200) has {} item(s) but "
                    "NumberOfWaveformChannels (003A,0005) is {}: expected one item per channel.",
                    definitions.card(), channels));
  }
  std::vector<ChannelScale> scales(channels);
  ecg::EcgRecord record;
  record.lead_names.resize(channels);
  for (std::size_t c = 0; c < channels; ++c) {
    const AttributeReader channel = group.require_item(DCM_ChannelDefinitionSequence, c);
    scales[c] = read_channel_scale(channel);
    record.lead_names[c] = read_lead_name(channel);
  }

  // 4. De-interleave [samples, channels] into [leads, samples] millivolts.
  // NOTE: samples equal to Waveform Padding Value (5400,100A) are scaled like any other sample.
  const std::vector<std::int32_t> raw = read_samples(group, format, channels * samples);
  record.leads = channels;
  record.samples = samples;
  record.sampling_rate_hz = sampling_rate;
  record.values.resize(channels * samples);
  for (std::size_t c = 0; c < channels; ++c) {
    const ChannelScale& scale = scales[c];
    float* lead = record.values.data() + c * samples;
    for (std::size_t s = 0; s < samples; ++s) {
      const double in_units =
          static_cast<double>(raw[s * channels + c]) * scale.sensitivity + scale.baseline;
      lead[s] = static_cast<float>(in_units / scale.units_per_mv);
    }
  }
  return record;
}

}  // namespace privaudit::dicom
