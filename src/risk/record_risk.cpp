#include "risk/record_risk.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <exception>
#include <limits>
#include <thread>

#include "core/parallel.h"
#include "stats/auc.h"
#include "stats/descriptive.h"

namespace privaudit::risk {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Records per tile. The per-model rows are read 128 floats (8 cache lines) at a time, and the
// transposed tile of 128 * k floats stays in L2 for k up to a few hundred models.
constexpr std::size_t kTileRecords = 128;

// Largest n_in * n_out for which the Mann-Whitney U is counted over all pairs. Each pair costs
// one vector lane, so up to about 512 IN x 512 OUT signals this beats sorting both samples.
constexpr std::size_t kPairwiseLimit = std::size_t{1} << 18;


// Twice the Mann-Whitney U, sum over pairs of 2 [in > out] + [in == out], counted over all pairs.
// Comparing the float signals gives the same order as comparing them converted to double.
__attribute__((target_clones("avx2", "default"))) std::uint64_t twice_u_pairwise(
    const float* in_values, std::size_t n_in, const float* out_values, std::size_t n_out) {
  std::uint64_t twice_u = 0;
  for (std::size_t a = 0; a < n_in; ++a) {
    const float value = in_values[a];
    std::uint32_t count = 0;
    for (std::size_t b = 0; b < n_out; ++b) {
      count += static_cast<std::uint32_t>(value > out_values[b]) +
               static_cast<std::uint32_t>(value >= out_values[b]);
    }
    twice_u += count;
  }
  return twice_u;
}

// two_sample_risk() of one record of compute_record_risk(), whose signals are finite floats
// (validated): the same moments, the same binormal AUC and SE, and the same Mann-Whitney AUC,
// counted over all pairs when that is cheaper than sorting.
RecordRisk tile_record_risk(std::span<const float> in_float, std::span<const float> out_float,
                            std::span<const double> in_values,
                            std::span<const double> out_values) {
  if (in_values.empty() || out_values.empty() ||
      in_values.size() * out_values.size() > kPairwiseLimit) {
    return two_sample_risk(in_values, out_values);
  }
  const stats::MeanSd in = stats::mean_sd(in_values, 0);
  const stats::MeanSd out = stats::mean_sd(out_values, 0);

  RecordRisk risk;
  risk.n_in = static_cast<std::uint32_t>(in_values.size());
  risk.n_out = static_cast<std::uint32_t>(out_values.size());
  risk.mean_in = in.mean;
  risk.sd_in = in.sd;
  risk.mean_out = out.mean;
  risk.sd_out = out.sd;
  risk.auc_binormal = stats::binormal_auc(in.mean, in.sd * in.sd, out.mean, out.sd * out.sd);
  risk.auc_se = stats::hanley_mcneil_se(risk.auc_binormal, in_values.size(), out_values.size());
  const std::uint64_t twice_u =
      twice_u_pairwise(in_float.data(), in_float.size(), out_float.data(), out_float.size());
  const double pairs =
      static_cast<double>(in_values.size()) * static_cast<double>(out_values.size());
  risk.auc_empirical = static_cast<double>(twice_u) / (2.0 * pairs);
  return risk;
}

}  // namespace

RecordRisk two_sample_risk(std::span<const double> in_values, std::span<const double> out_values) {
  // 1. Means and population SDs. mean_sd returns NaN fields for an empty sample.
  const stats::MeanSd in = stats::mean_sd(in_values, 0);
  const stats::MeanSd out = stats::mean_sd(out_values, 0);

  RecordRisk risk;
  risk.n_in = static_cast<std::uint32_t>(in_values.size());
  risk.n_out = static_cast<std::uint32_t>(out_values.size());
  risk.mean_in = in.mean;
  risk.sd_in = in.sd;
  risk.mean_out = out.mean;
  risk.sd_out = out.sd;

  // 2. Without both classes there is nothing to separate.
  if (in_values.empty() || out_values.empty()) {
    risk.auc_binormal = kNaN;
    risk.auc_se = kNaN;
    risk.auc_empirical = kNaN;
    return risk;
  }

  // 3. The three AUC estimates.
  // NOTE: stats::mann_whitney_auc copies and sorts both samples, so it allocates twice per call.
  // The rest of this function allocates nothing.
  risk.auc_binormal = stats::binormal_auc(in.mean, in.sd * in.sd, out.mean, out.sd * out.sd);
  risk.auc_se = stats::hanley_mcneil_se(risk.auc_binormal, in_values.size(), out_values.size());
  risk.auc_empirical = stats::mann_whitney_auc(in_values, out_values);
  return risk;
}

std::vector<RecordRisk> compute_record_risk(const MembershipSignals& signals,
                                            std::span<const std::uint32_t> models) {
  signals.validate();
  const std::vector<std::uint32_t> model_list = signals.resolve_models(models);
  const std::size_t k = model_list.size();
  const std::size_t records = signals.records;

  // Each worker owns a contiguous block of records and writes only their result slots, so the
  // output does not depend on the number of threads.
  std::vector<RecordRisk> result(records);
  for_each_block(records, [&](std::size_t begin, std::size_t end) {
    // Buffers reused for every record of the block: a tile [kTileRecords, k] of signals and flags
    // transposed so that each record's k values are contiguous, and the record's IN and OUT
    // samples as float (for the pairwise count) and as double (for the moments).
    std::vector<float> tile_phi(kTileRecords * k);
    std::vector<std::uint8_t> tile_keep(kTileRecords * k);
    std::vector<float> in_float(k);
    std::vector<float> out_float(k);
    std::vector<double> in_values(k);
    std::vector<double> out_values(k);

    for (std::size_t first = begin; first < end; first += kTileRecords) {
      const std::size_t count = std::min(kTileRecords, end - first);

      // 1. Transpose the tile: row m of phi is contiguous in records.
      for (std::size_t j = 0; j < k; ++j) {
        const std::size_t row = static_cast<std::size_t>(model_list[j]) * records + first;
        for (std::size_t r = 0; r < count; ++r) {
          tile_phi[r * k + j] = signals.phi[row + r];
          tile_keep[r * k + j] = signals.keep[row + r];
        }
      }

      // 2. Split each record's signals into IN and OUT in model order, without branches (the
      // flags are random, so a branch would mispredict half the time), and summarise them.
      for (std::size_t r = 0; r < count; ++r) {
        const float* values = &tile_phi[r * k];
        const std::uint8_t* flags = &tile_keep[r * k];
        std::size_t n_in = 0;
        std::size_t n_out = 0;
        for (std::size_t j = 0; j < k; ++j) {
          const std::size_t member = flags[j] != 0 ? 1 : 0;
          in_float[n_in] = values[j];
          out_float[n_out] = values[j];
          in_values[n_in] = static_cast<double>(values[j]);
          out_values[n_out] = static_cast<double>(values[j]);
          n_in += member;
          n_out += 1 - member;
        }
        result[first + r] = tile_record_risk(std::span<const float>(in_float.data(), n_in),
                                             std::span<const float>(out_float.data(), n_out),
                                             std::span<const double>(in_values.data(), n_in),
                                             std::span<const double>(out_values.data(), n_out));
      }
    }
  });
  return result;
}

}  // namespace privaudit::risk
