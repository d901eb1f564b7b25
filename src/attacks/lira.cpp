#include "attacks/lira.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>

#include <fmt/format.h>

#include "core/error.h"
#include "core/parallel.h"
#include "stats/descriptive.h"
#include "stats/normal.h"

namespace privaudit::attacks {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per-record moments of one side (IN or OUT) plus the sums that give the pooled SD.
struct SideMoments {
  std::vector<double> mean;    // [records], NaN where count is 0
  std::vector<double> sd;      // [records], ddof 0, NaN where count is 0
  std::vector<double> center;  // [records], median or mean, NaN where count is 0
  std::vector<std::size_t> count;  // [records]
  std::size_t total = 0;
};

void resize(SideMoments& side, std::size_t records) {
  side.mean.assign(records, kNaN);
  side.sd.assign(records, kNaN);
  side.center.assign(records, kNaN);
  side.count.assign(records, 0);
}

// Records per tile of fit_lira(). Each reference row is read 128 floats (8 cache lines) at a time,
// and the transposed tile of 128 x references floats stays in L2 for a few hundred references.
constexpr std::size_t kTileRecords = 128;


// Median of finite `values` (reordered), equal to stats::quantile_sorted(sorted values, 0.5): the
// order statistics at floor((n - 1) / 2) and the one above it are found by selection, O(n) on
// average instead of a sort, then interpolated by quantile_sorted itself.
double median_by_selection(std::span<double> values) {
  const std::size_t n = values.size();
  const std::size_t lower = (n - 1) / 2;
  const auto lower_it = values.begin() + static_cast<std::ptrdiff_t>(lower);
  std::nth_element(values.begin(), lower_it, values.end());
  std::array<double, 2> pair = {*lower_it, *lower_it};
  std::size_t size = 1;
  if (lower + 1 < n) {
    pair[1] = *std::min_element(lower_it + 1, values.end());
    size = 2;
  }
  // quantile_sorted's virtual index (n - 1) / 2 falls on `lower` for odd n and halfway to the
  // next value for even n.
  return stats::quantile_sorted(std::span<const double>(pair.data(), size),
                                n % 2 == 1 ? 0.0 : 0.5);
}

// Mean, SD and center of `values`, which are reordered when the center is the median.
void describe(std::span<double> values, LiraOptions::Center center, std::size_t i,
              SideMoments& side) {
  side.count[i] = values.size();
  if (values.empty()) {
    return;
  }
  const stats::MeanSd moments = stats::mean_sd(values, 0);
  side.mean[i] = moments.mean;
  side.sd[i] = moments.sd;
  if (center == LiraOptions::Center::kMedian) {
    if (std::isnan(moments.mean)) {
      // NaN signals: sort as before, because selection would order the NaN values differently.
      std::sort(values.begin(), values.end());
      side.center[i] = stats::quantile_sorted(values, 0.5);
    } else {
      side.center[i] = median_by_selection(values);
    }
  } else {
    side.center[i] = moments.mean;
  }
}

// Sums the per-record counts of one side into side.total.
void count_total(SideMoments& side) {
  side.total = 0;
  for (const std::size_t count : side.count) {
    side.total += count;
  }
}

// Grand mean and population SD of all signals of one side, pooled over records. Uses the exact
// decomposition sum of squares = sum_i n_i (sd_i^2 + (mean_i - grand mean)^2), so that the
// pooled sample is never materialised. Both are NaN when the side has no signal.
stats::MeanSd pool(const SideMoments& side) {
  if (side.total == 0) {
    return {kNaN, kNaN};
  }
  const auto total = static_cast<double>(side.total);
  double weighted_sum = 0.0;
  for (std::size_t i = 0; i < side.count.size(); ++i) {
    if (side.count[i] > 0) {
      weighted_sum += static_cast<double>(side.count[i]) * side.mean[i];
    }
  }
  const double grand_mean = weighted_sum / total;
  double squares = 0.0;
  for (std::size_t i = 0; i < side.count.size(); ++i) {
    if (side.count[i] > 0) {
      const double offset = side.mean[i] - grand_mean;
      squares += static_cast<double>(side.count[i]) * (side.sd[i] * side.sd[i] + offset * offset);
    }
  }
  return {grand_mean, std::sqrt(squares / total)};
}

// Fills the fitted center and SD of one side from its moments, with the fallback for records
// that have no signal on this side.
void finish(const SideMoments& side, const LiraOptions& options, std::vector<double>& center,
            std::vector<double>& sd) {
  const stats::MeanSd pooled = pool(side);
  const std::size_t records = side.count.size();
  center.assign(records, kNaN);
  sd.assign(records, kNaN);
  if (side.total == 0) {
    return;
  }
  const double fixed_sd = pooled.sd + options.min_sd;
  for (std::size_t i = 0; i < records; ++i) {
    if (side.count[i] == 0) {
      center[i] = pooled.mean;
      sd[i] = fixed_sd;
      continue;
    }
    center[i] = side.center[i];
    sd[i] = options.variance == LiraOptions::Variance::kFixed ? fixed_sd
                                                              : side.sd[i] + options.min_sd;
  }
}

void check_sizes(const LiraFit& fit, std::span<const float> target_signals,
                 std::span<const double> scores) {
  PRIVAUDIT_CHECK(target_signals.size() == fit.center_in.size() &&
                      scores.size() == fit.center_in.size(),
                  fmt::format("LiRA fit has {} records but got {} target signals and {} scores",
                              fit.center_in.size(), target_signals.size(), scores.size()));
}

}  // namespace

void LiraOptions::validate() const {
  if (!(std::isfinite(min_sd) && min_sd > 0.0)) {
    throw UsageError(fmt::format(
        "LiRA option min_sd is {}; expected a finite value > 0 (default 1e-30)", min_sd));
  }
}

LiraFit fit_lira(const SignalView& view, std::span<const std::uint32_t> references,
                 const LiraOptions& options) {
  // 1. Checks.
  view.validate_shape();
  options.validate();
  validate_references(view, references);

  // 2. Per-record moments of the IN and OUT reference signals. Each worker owns a contiguous
  // block of records, transposes one tile of them at a time so that a record's reference signals
  // are contiguous, and writes only those records' slots.
  SideMoments in_side;
  SideMoments out_side;
  resize(in_side, view.records);
  resize(out_side, view.records);
  const std::size_t k = references.size();
  for_each_block(view.records, [&](std::size_t begin, std::size_t end) {
    std::vector<float> tile_phi(kTileRecords * k);
    std::vector<std::uint8_t> tile_keep(kTileRecords * k);
    std::vector<double> in_values(k);
    std::vector<double> out_values(k);
    for (std::size_t first = begin; first < end; first += kTileRecords) {
      const std::size_t count = std::min(kTileRecords, end - first);
      gather_tile(view, references, first, count, tile_phi.data(), tile_keep.data());

      // Split in reference order without branches (the flags are random).
      for (std::size_t r = 0; r < count; ++r) {
        std::size_t n_in = 0;
        std::size_t n_out = 0;
        for (std::size_t j = 0; j < k; ++j) {
          const double value = tile_phi[r * k + j];
          const std::size_t member = tile_keep[r * k + j] != 0 ? 1 : 0;
          in_values[n_in] = value;
          out_values[n_out] = value;
          n_in += member;
          n_out += 1 - member;
        }
        describe(std::span<double>(in_values.data(), n_in), options.center, first + r, in_side);
        describe(std::span<double>(out_values.data(), n_out), options.center, first + r,
                 out_side);
      }
    }
  });
  count_total(in_side);
  count_total(out_side);

  // 3. Centers and SDs, with the pooled fallback.
  LiraFit fit;
  finish(in_side, options, fit.center_in, fit.sd_in);
  finish(out_side, options, fit.center_out, fit.sd_out);
  fit.in_signals = in_side.total;
  fit.out_signals = out_side.total;
  return fit;
}

void score_lira_online(const LiraFit& fit, std::span<const float> target_signals,
                       std::span<double> scores) {
  check_sizes(fit, target_signals, scores);
  if (fit.in_signals == 0 || fit.out_signals == 0) {
    throw InputError(fmt::format(
        "online LiRA needs IN and OUT reference signals, but the reference models have {} IN and "
        "{} OUT (model, record) pairs; use more reference models, or offline LiRA when only OUT "
        "references exist",
        fit.in_signals, fit.out_signals));
  }
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const double x = target_signals[i];
    scores[i] = stats::normal_logpdf(x, fit.center_in[i], fit.sd_in[i]) -
                stats::normal_logpdf(x, fit.center_out[i], fit.sd_out[i]);
  }
}

void score_lira_offline(const LiraFit& fit, std::span<const float> target_signals,
                        std::span<double> scores) {
  check_sizes(fit, target_signals, scores);
  if (fit.out_signals == 0) {
    throw InputError(
        "offline LiRA needs OUT reference signals, but every reference model trained on every "
        "record; use reference models that leave records out");
  }
  for (std::size_t i = 0; i < scores.size(); ++i) {
    scores[i] = (target_signals[i] - fit.center_out[i]) / fit.sd_out[i];
  }
}

std::vector<double> lira_online(const SignalView& view, std::size_t target,
                                std::span<const std::uint32_t> references,
                                const LiraOptions& options) {
  validate_target(view, target, references);
  const LiraFit fit = fit_lira(view, references, options);
  std::vector<double> scores(view.records);
  score_lira_online(fit, view.model_signals(target), scores);
  return scores;
}

std::vector<double> lira_offline(const SignalView& view, std::size_t target,
                                 std::span<const std::uint32_t> references,
                                 const LiraOptions& options) {
  validate_target(view, target, references);
  const LiraFit fit = fit_lira(view, references, options);
  std::vector<double> scores(view.records);
  score_lira_offline(fit, view.model_signals(target), scores);
  return scores;
}

}  // namespace privaudit::attacks
