#include "risk/record_risk.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "stats/auc.h"
#include "stats/descriptive.h"

namespace privaudit::risk {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Records per tile. The per-model rows are read 128 floats (8 cache lines) at a time, and the
// transposed tile of 128 * k doubles stays in L2 for k up to a few hundred models.
constexpr std::size_t kTileRecords = 128;

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

  // Buffers reused for every record: a tile [kTileRecords, k] of signals and flags transposed so
  // that each record's k values are contiguous, and the record's IN and OUT samples.
  std::vector<double> tile_phi(kTileRecords * k);
  std::vector<std::uint8_t> tile_keep(kTileRecords * k);
  std::vector<double> in_values(k);
  std::vector<double> out_values(k);

  std::vector<RecordRisk> result(records);
  for (std::size_t first = 0; first < records; first += kTileRecords) {
    const std::size_t count = std::min(kTileRecords, records - first);

    // 1. Transpose the tile: row m of phi is contiguous in records.
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t row = static_cast<std::size_t>(model_list[j]) * records + first;
      for (std::size_t r = 0; r < count; ++r) {
        tile_phi[r * k + j] = static_cast<double>(signals.phi[row + r]);
        tile_keep[r * k + j] = signals.keep[row + r];
      }
    }

    // 2. Split each record's signals into IN and OUT and summarise them.
    for (std::size_t r = 0; r < count; ++r) {
      std::size_t n_in = 0;
      std::size_t n_out = 0;
      for (std::size_t j = 0; j < k; ++j) {
        const double value = tile_phi[r * k + j];
        if (tile_keep[r * k + j] != 0) {
          in_values[n_in++] = value;
        } else {
          out_values[n_out++] = value;
        }
      }
      result[first + r] = two_sample_risk(std::span<const double>(in_values.data(), n_in),
                                          std::span<const double>(out_values.data(), n_out));
    }
  }
  return result;
}

}  // namespace privaudit::risk
