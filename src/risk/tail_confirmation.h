// Winner's-curse correction for tail counts of record and patient AUCs.
//
// Each unit's AUC is an estimate from finitely many models. The units with the highest estimates
// are partly there because noise pushed their estimate up, so the count "units with AUC > 0.95",
// read on the same models that estimated the AUCs, is biased upward. confirm_tails() splits the
// models into two disjoint halves, selects units on half A and re-estimates them on half B. Noise
// in half A does not carry over to half B, so the confirmed count and the mean half-B AUC of the
// selected units are free of that selection bias.
//
// The confirmed count still contains chance: a pure-noise unit passes both halves with probability
// about p^2, where p is its chance to pass one half, and p is large when a half has few models.
// Compare confirmed with selected, and mean_holdout_auc with 0.5: a selected set of pure noise
// has mean_holdout_auc near 0.5.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "risk/membership_signals.h"

namespace privaudit::risk {

// AUC thresholds used when the caller passes none.
inline constexpr std::array<double, 4> kDefaultTailThresholds = {0.8, 0.9, 0.95, 0.99};

// Tail counts at one threshold. A unit counts when its AUC is strictly above the threshold. A NaN
// AUC (no IN or no OUT model in that set of models) never counts.
struct TailCount {
  double threshold = 0.0;      // AUC threshold in [0, 1]
  std::size_t in_sample = 0;   // units with AUC on all models > threshold (biased upward)
  std::size_t selected = 0;    // units with AUC on half A > threshold
  std::size_t confirmed = 0;   // selected units that also have AUC on half B > threshold
  // Mean half-B AUC of the selected units, skipping those whose half-B AUC is NaN. It is NaN when
  // no selected unit has a half-B AUC.
  double mean_holdout_auc = 0.0;
};

// Confirmed tail against a ceiling on the AUC, such as the maximum membership AUC that a
// differential-privacy guarantee allows. Units are selected on half A and measured on half B.
// Each selected unit is a one-sided test of "true AUC <= bound" with z = (half-B AUC - bound) /
// SE0, where SE0 is the Hanley-McNeil standard error at AUC = bound with the unit's half-B IN and
// OUT model counts: the SE under the null, which does not shrink to 0 as an estimate nears 1.
// Hundreds of units are tested at once, so a unit counts as beyond_se only at the Bonferroni level
// kBoundCheckAlpha / selected: a family-wise 5% false-alarm rate. Units with fewer than
// kBoundCheckMinModels IN or OUT models on half B are counted but not tested, because the binormal
// AUC of a handful of models has far heavier tails than the normal approximation.
struct BoundCheck {
  double bound = 1.0;            // AUC ceiling in [0.5, 1]
  std::size_t selected = 0;      // units with half-A AUC > bound
  std::size_t confirmed = 0;     // selected units with half-B AUC > bound
  std::size_t tested = 0;        // selected units with enough half-B models for the test
  // Critical z of the Bonferroni-corrected test: the normal quantile of 1 - alpha / tested.
  // NaN when nothing was tested.
  double z = 0.0;
  // Tested units with z statistic above the critical z: above the ceiling by more than
  // estimation noise explains.
  std::size_t beyond_se = 0;
  // Largest z statistic over the tested units, NaN when none was tested.
  double max_z = 0.0;
  // Largest half-B AUC over all units (not only the selected ones), NaN when none has one.
  double max_holdout_auc = 0.0;
};

// Family-wise false-alarm rate of BoundCheck::beyond_se.
inline constexpr double kBoundCheckAlpha = 0.05;
// Minimum number of half-B IN models, and of half-B OUT models, for a unit to be tested against
// the bound.
inline constexpr std::uint32_t kBoundCheckMinModels = 8;

struct TailReport {
  std::vector<TailCount> records;         // records by binormal AUC, one entry per threshold
  std::vector<TailCount> patients_max;    // patients by the maximum binormal AUC of their records
  std::vector<TailCount> patients_joint;  // patients by the joint-test binormal AUC
  std::vector<std::uint32_t> half_a;      // selection models, ascending
  std::vector<std::uint32_t> half_b;      // hold-out models, ascending
  // Only when confirm_tails() was given an AUC bound: records by binormal AUC, patients by joint
  // binormal AUC.
  std::optional<BoundCheck> records_bound;
  std::optional<BoundCheck> patients_bound;
};

// Disjoint halves of the model indices 0..models-1, each ascending.
struct ModelHalves {
  std::vector<std::uint32_t> half_a;  // models / 2 models (rounded down)
  std::vector<std::uint32_t> half_b;  // the remaining models
};

// Splits the models into two halves by a Fisher-Yates shuffle driven by SplitMix64 (Steele, Lea,
// Flood 2014), so the same seed gives the same halves on every platform. Throws InputError when
// models < 2.
ModelHalves split_models(std::size_t models, std::uint64_t seed);

// Counts the tails at each threshold from per-unit AUCs on all models, half A and half B (equal
// lengths). Empty `thresholds` means kDefaultTailThresholds. Throws UsageError for a threshold
// outside [0, 1] or NaN.
std::vector<TailCount> count_tails(std::span<const double> auc_all,
                                   std::span<const double> auc_half_a,
                                   std::span<const double> auc_half_b,
                                   std::span<const double> thresholds);

// Computes record and patient risk on all models and on each half (from split_models(models,
// seed)), then the tail counts for records, patients by maximum record AUC and patients by the
// joint test. patient_of_record and patients are as in compute_patient_risk(). Without patient
// ids, pass each record as its own patient. Empty `thresholds` means kDefaultTailThresholds.
TailReport confirm_tails(const MembershipSignals& signals,
                         std::span<const std::int32_t> patient_of_record, std::size_t patients,
                         std::span<const double> thresholds, std::uint64_t seed,
                         std::optional<double> auc_bound = std::nullopt);

// Checks half-B AUCs against `bound` for the units whose half-A AUC exceeds it. All spans have
// one entry per unit: n_in_b and n_out_b are the unit's IN and OUT model counts on half B.
// Throws UsageError for a bound outside [0.5, 1).
BoundCheck check_bound(std::span<const double> auc_half_a, std::span<const double> auc_half_b,
                       std::span<const std::uint32_t> n_in_b,
                       std::span<const std::uint32_t> n_out_b, double bound);

}  // namespace privaudit::risk
