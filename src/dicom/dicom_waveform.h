// Reader of one multiplex group of a DICOM waveform (12-lead ECG and similar) in millivolts.
#pragma once

#include <cstddef>
#include <filesystem>

#include "ecg/ecg_record.h"

namespace privaudit::dicom {

// Reads item `group` (counting from 0) of the Waveform Sequence (5400,0100) of the DICOM file at
// `path`: one multiplex group, whose channels share a sampling frequency and sample count.
//
// Samples are 16-bit (Waveform Sample Interpretation SS or US) or 8-bit (SB or UB), interleaved
// channel by channel in Waveform Data (5400,1010). Mu-law and A-law samples are rejected. Each
// channel becomes one lead in millivolts:
//   (sample x Channel Sensitivity x Channel Sensitivity Correction Factor + Channel Baseline)
// in the units of the Channel Sensitivity Units Sequence, which must be "uV" or "mV" (UCUM), and
// then converted to mV. DICOM PS3.3 (Waveform module) defines Channel Baseline as the "offset of
// encoded sample value 0 from actual 0 using the units defined in the Channel Sensitivity Units
// Sequence", so it is added after scaling. pydicom 2.3.1 adds it before scaling, which gives
// other values when the baseline is not 0. A missing correction factor counts as 1 and a missing
// baseline as 0, as in pydicom. Lead names are the Code Meaning of each Channel Source Sequence,
// or empty.
//
// Throws UsageError when `group` is not an item of the Waveform Sequence, IoError when the file
// cannot be opened, and InputError when it is truncated or damaged, has no Waveform Sequence, or
// an attribute is missing or inconsistent. Messages name the path and the attribute. The only
// header values they quote are structural numbers (channels, samples, bits, sampling frequency)
// and the defined terms of Waveform Sample Interpretation.
ecg::EcgRecord read_dicom_waveform(const std::filesystem::path& path, std::size_t group = 0);

}  // namespace privaudit::dicom
