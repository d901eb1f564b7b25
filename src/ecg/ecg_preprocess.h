// Preprocessing that brings ECGs from different sources to one shape for the convolutional
// models: a common sampling rate, a common length, and z-scored leads.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "ecg/ecg_record.h"

namespace privaudit::ecg {

// Largest up or down factor that resample accepts after reducing target / source to lowest terms.
// The anti-aliasing filter has 20 * factor + 1 taps, so 10000 keeps it under 2 MB of doubles.
inline constexpr std::size_t kMaxResampleFactor = 10000;

// Resamples one signal by up / down with a polyphase filter, matching scipy.signal.resample_poly(x,
// up, down) with its defaults in scipy 1.10. The low-pass filter is a Kaiser-windowed sinc (beta
// 5.0) with its cutoff at the Nyquist frequency of the slower rate, 20 * max(up, down) + 1 taps and
// DC gain 1. Samples beyond both ends count as zeros. Returns ceil(x.size() * up / down) samples
// with up / down in lowest terms, or a copy of x when up equals down. up and down are >= 1.
std::vector<double> resample_poly(std::span<const double> x, std::size_t up, std::size_t down);

// Resamples every lead of `record` to `target_hz` with resample_poly. The ratio target_hz /
// sampling_rate_hz must equal up / down with both at most kMaxResampleFactor (rates such as 360,
// 500 and 1000 Hz qualify). Throws UsageError for a target that is not finite and > 0 or a ratio
// without such a fraction.
EcgRecord resample(const EcgRecord& record, double target_hz);

// Returns the first `samples` samples of every lead. Throws InputError naming both lengths when
// the record is shorter, and UsageError when samples is 0.
EcgRecord fit_length(const EcgRecord& record, std::size_t samples);

// Z-scores each lead in place: (value - mean) / SD with the population SD (divisor n). A lead
// whose SD is 0 (a constant lead) becomes zeros. A lead containing NaN becomes NaN.
void normalize_per_lead(EcgRecord& record);

}  // namespace privaudit::ecg
