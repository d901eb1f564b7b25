#include "ecg/ecg_preprocess.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <numeric>
#include <optional>
#include <utility>

#include "core/error.h"

namespace privaudit::ecg {

namespace {

// Kaiser window shape parameter of scipy.signal.resample_poly's default window ('kaiser', 5.0).
constexpr double kKaiserBeta = 5.0;
// Filter half-length per unit of max(up, down), as in resample_poly.
constexpr std::size_t kHalfLengthPerFactor = 10;
// Relative tolerance for accepting target / source == up / down.
constexpr double kRatioTolerance = 1e-9;

void check_record(const EcgRecord& record) {
  PRIVAUDIT_CHECK(record.values.size() == record.leads * record.samples,
                  fmt::format("EcgRecord has {} values for {} leads of {} samples", record.values.size(),
                              record.leads, record.samples));
}

// Low-pass FIR filter as scipy.signal.firwin(taps, cutoff, window=('kaiser', beta)) designs it:
// a windowed sinc with `cutoff` relative to the Nyquist frequency, scaled to DC gain 1.
std::vector<double> kaiser_lowpass(std::size_t taps, double cutoff) {
  const double alpha = 0.5 * static_cast<double>(taps - 1);
  const double window_norm = std::cyl_bessel_i(0.0, kKaiserBeta);
  std::vector<double> h(taps);
  for (std::size_t n = 0; n < taps; ++n) {
    const double m = static_cast<double>(n) - alpha;
    const double x = cutoff * m;
    const double sinc = x == 0.0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
    const double r = m / alpha;
    const double window = std::cyl_bessel_i(0.0, kKaiserBeta * std::sqrt(std::max(0.0, 1.0 - r * r))) /
                          window_norm;
    h[n] = cutoff * sinc * window;
  }
  const double sum = std::accumulate(h.begin(), h.end(), 0.0);
  for (double& tap : h) tap /= sum;
  return h;
}

// Finds up / down in lowest terms, each <= kMaxResampleFactor, equal to target / source.
std::optional<std::pair<std::size_t, std::size_t>> rational_ratio(double source, double target) {
  for (std::size_t down = 1; down <= kMaxResampleFactor; ++down) {
    const double up_exact = target / source * static_cast<double>(down);
    if (up_exact > static_cast<double>(kMaxResampleFactor)) return std::nullopt;
    const double up = std::round(up_exact);
    if (up >= 1.0 && std::abs(up_exact - up) <= kRatioTolerance * up_exact) {
      const auto up_count = static_cast<std::size_t>(up);
      const std::size_t divisor = std::gcd(up_count, down);
      return std::pair{up_count / divisor, down / divisor};
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<double> resample_poly(std::span<const double> x, std::size_t up, std::size_t down) {
  PRIVAUDIT_CHECK(up >= 1 && down >= 1, fmt::format("resample_poly up {} down {}", up, down));
  const std::size_t divisor = std::gcd(up, down);
  up /= divisor;
  down /= divisor;
  if (up == 1 && down == 1) return {x.begin(), x.end()};

  // 1. Filter: cutoff at the lower of the two Nyquist frequencies, gain `up` to make up for the
  // zeros that upsampling inserts.
  const std::size_t max_rate = std::max(up, down);
  const std::size_t half_length = kHalfLengthPerFactor * max_rate;
  std::vector<double> h = kaiser_lowpass(2 * half_length + 1, 1.0 / static_cast<double>(max_rate));
  for (double& tap : h) tap *= static_cast<double>(up);

  // 2. Alignment, as resample_poly does it: the filter is preceded by `pre_pad` zeros and the
  // first `pre_remove` outputs are dropped, so output i sits at the centre of the filter.
  const std::size_t pre_pad = down - half_length % down;
  const std::size_t pre_remove = (half_length + pre_pad) / down;
  const std::size_t outputs = (x.size() * up + down - 1) / down;

  // 3. Output i is sample t = (i + pre_remove) * down of the zero-stuffed input convolved with the
  // padded filter: the sum over inputs n of h[t - pre_pad - n * up] * x[n].
  const auto taps = static_cast<std::int64_t>(h.size());
  const auto up_signed = static_cast<std::int64_t>(up);
  const auto inputs = static_cast<std::int64_t>(x.size());
  std::vector<double> y(outputs, 0.0);
  for (std::size_t i = 0; i < outputs; ++i) {
    const auto t = static_cast<std::int64_t>((i + pre_remove) * down) - static_cast<std::int64_t>(pre_pad);
    if (t < 0) continue;
    const std::int64_t last = std::min(t / up_signed, inputs - 1);
    const std::int64_t lowest = t - (taps - 1);
    const std::int64_t first = lowest <= 0 ? 0 : (lowest + up_signed - 1) / up_signed;
    double sum = 0.0;
    for (std::int64_t n = first; n <= last; ++n) sum += h[static_cast<std::size_t>(t - n * up_signed)] * x[n];
    y[i] = sum;
  }
  return y;
}

EcgRecord resample(const EcgRecord& record, double target_hz) {
  check_record(record);
  if (!std::isfinite(target_hz) || target_hz <= 0.0) {
    throw UsageError(fmt::format("target sampling rate {} Hz is invalid: expected a finite rate > 0",
                                 target_hz));
  }
  if (target_hz == record.sampling_rate_hz) return record;
  const auto ratio = rational_ratio(record.sampling_rate_hz, target_hz);
  if (!ratio) {
    throw UsageError(fmt::format(
        "cannot resample from {} Hz to {} Hz: the ratio is not a fraction up / down with both at "
        "most {}: choose a target rate with a simpler ratio to the source rate",
        record.sampling_rate_hz, target_hz, kMaxResampleFactor));
  }
  const auto [up, down] = *ratio;

  EcgRecord result;
  result.leads = record.leads;
  result.sampling_rate_hz = target_hz;
  result.lead_names = record.lead_names;
  std::vector<double> lead(record.samples);
  for (std::size_t l = 0; l < record.leads; ++l) {
    for (std::size_t i = 0; i < record.samples; ++i) lead[i] = record.at(l, i);
    const std::vector<double> resampled = resample_poly(lead, up, down);
    result.samples = resampled.size();
    for (const double value : resampled) result.values.push_back(static_cast<float>(value));
  }
  return result;
}

EcgRecord fit_length(const EcgRecord& record, std::size_t samples) {
  check_record(record);
  if (samples == 0) throw UsageError("fit_length needs samples >= 1, got 0");
  if (record.samples < samples) {
    throw InputError(fmt::format(
        "ECG has {} samples per lead ({} s at {} Hz), fewer than the {} required: use a shorter "
        "length or leave out records this short",
        record.samples, static_cast<double>(record.samples) / record.sampling_rate_hz,
        record.sampling_rate_hz, samples));
  }
  EcgRecord result;
  result.leads = record.leads;
  result.samples = samples;
  result.sampling_rate_hz = record.sampling_rate_hz;
  result.lead_names = record.lead_names;
  result.values.reserve(record.leads * samples);
  for (std::size_t l = 0; l < record.leads; ++l) {
    const auto begin = record.values.begin() + static_cast<std::ptrdiff_t>(l * record.samples);
    result.values.insert(result.values.end(), begin, begin + static_cast<std::ptrdiff_t>(samples));
  }
  return result;
}

void normalize_per_lead(EcgRecord& record) {
  check_record(record);
  if (record.samples == 0) return;
  const auto n = static_cast<double>(record.samples);
  for (std::size_t l = 0; l < record.leads; ++l) {
    const std::span<float> lead(record.values.data() + l * record.samples, record.samples);
    double sum = 0.0;
    for (const float value : lead) sum += value;
    const double mean = sum / n;
    double squares = 0.0;
    for (const float value : lead) squares += (value - mean) * (value - mean);
    const double sd = std::sqrt(squares / n);
    for (float& value : lead) value = sd == 0.0 ? 0.0f : static_cast<float>((value - mean) / sd);
  }
}

}  // namespace privaudit::ecg
