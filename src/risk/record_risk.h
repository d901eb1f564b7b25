// Record-level membership risk: how well one record's signals from models that trained on it (IN)
// separate from its signals from models that did not (OUT).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "risk/membership_signals.h"

namespace privaudit::risk {

// Two-sample summary of one record's IN and OUT signals. When n_in == 0 or n_out == 0 all three
// AUC fields are NaN, and so are the mean and SD of the empty side.
struct RecordRisk {
  std::uint32_t n_in = 0;   // models that had the record IN
  std::uint32_t n_out = 0;  // models that had the record OUT
  double mean_in = 0.0;     // mean IN signal
  double sd_in = 0.0;       // population SD (ddof 0) of the IN signals
  double mean_out = 0.0;    // mean OUT signal
  double sd_out = 0.0;      // population SD (ddof 0) of the OUT signals
  // Binormal AUC Phi((mean_in - mean_out) / sqrt(sd_in^2 + sd_out^2)). Not floored at 0.5, so a
  // record whose signal is lower when IN gets AUC < 0.5. With sd_in = sd_out = 0 it is 1, 0 or 0.5
  // by the sign of mean_in - mean_out.
  double auc_binormal = 0.0;
  // Hanley and McNeil (1982) standard error with A = auc_binormal, n1 = n_in, n2 = n_out.
  double auc_se = 0.0;
  // Mann-Whitney AUC P(IN > OUT) + 0.5 P(IN == OUT) over all IN x OUT pairs.
  double auc_empirical = 0.0;
};

// Computes the RecordRisk of one unit from its IN and OUT samples. Population SDs (ddof 0) follow
// the convention of the study by Knolle, Menten, Jungmann et al. (Nature 2026, "Disparate privacy
// risks from medical AI"). O(n log n) in n = in.size() + out.size().
RecordRisk two_sample_risk(std::span<const double> in_values, std::span<const double> out_values);

// Computes the RecordRisk of every record, [records], from the models listed in `models` (all
// models when empty). Signals are converted to double before any arithmetic. Runs in
// O(records * k^2 / 4) time for k models while n_in * n_out stays under 2^18 (a vectorised count
// over all IN x OUT pairs), O(records * k log k) above that. Records are split into contiguous
// blocks, one per hardware thread, each with its own tile buffers; results do not depend on the
// thread count.
std::vector<RecordRisk> compute_record_risk(const MembershipSignals& signals,
                                            std::span<const std::uint32_t> models);

}  // namespace privaudit::risk
