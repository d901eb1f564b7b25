#include "risk/tail_confirmation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"
#include "core/random.h"
#include "risk/patient_risk.h"
#include "risk/record_risk.h"
#include "stats/auc.h"
#include "stats/normal.h"

namespace privaudit::risk {
namespace {

std::vector<double> resolve_thresholds(std::span<const double> thresholds) {
  if (thresholds.empty()) {
    return {kDefaultTailThresholds.begin(), kDefaultTailThresholds.end()};
  }
  for (std::size_t k = 0; k < thresholds.size(); ++k) {
    const double t = thresholds[k];
    if (!(t >= 0.0 && t <= 1.0)) {
      throw UsageError(fmt::format(
          "invalid tail threshold {} (entry {}): expected an AUC in [0, 1], such as 0.9", t, k));
    }
  }
  return {thresholds.begin(), thresholds.end()};
}

std::vector<double> binormal_aucs(std::span<const RecordRisk> risks) {
  std::vector<double> aucs(risks.size());
  for (std::size_t i = 0; i < risks.size(); ++i) {
    aucs[i] = risks[i].auc_binormal;
  }
  return aucs;
}

std::vector<double> max_record_aucs(std::span<const PatientRisk> risks) {
  std::vector<double> aucs(risks.size());
  for (std::size_t p = 0; p < risks.size(); ++p) {
    aucs[p] = risks[p].max_record_auc;
  }
  return aucs;
}

std::vector<double> joint_aucs(std::span<const PatientRisk> risks) {
  std::vector<double> aucs(risks.size());
  for (std::size_t p = 0; p < risks.size(); ++p) {
    aucs[p] = risks[p].joint_auc_binormal;
  }
  return aucs;
}

// Record and patient risk computed on one set of models.
struct RiskOnModels {
  std::vector<RecordRisk> records;
  std::vector<PatientRisk> patients;
};

RiskOnModels risk_on_models(const MembershipSignals& signals,
                            std::span<const std::int32_t> patient_of_record, std::size_t patients,
                            std::span<const std::uint32_t> models) {
  RiskOnModels risk;
  risk.records = compute_record_risk(signals, models);
  risk.patients = compute_patient_risk(signals, patient_of_record, patients, risk.records, models);
  return risk;
}

}  // namespace

ModelHalves split_models(std::size_t models, std::uint64_t seed) {
  if (models < 2) {
    throw InputError(fmt::format(
        "tail confirmation needs at least 2 models to split into two halves, got {}; train more "
        "models (each half needs IN and OUT models for every record)",
        models));
  }

  // 1. Shuffle 0..models-1 with the platform-independent generator.
  std::vector<std::uint32_t> order(models);
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  Rng generator(seed);
  generator.shuffle(std::span<std::uint32_t>(order));

  // 2. The first models / 2 shuffled indices form half A, the rest half B.
  const std::size_t size_a = models / 2;
  ModelHalves halves;
  halves.half_a.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(size_a));
  halves.half_b.assign(order.begin() + static_cast<std::ptrdiff_t>(size_a), order.end());
  std::sort(halves.half_a.begin(), halves.half_a.end());
  std::sort(halves.half_b.begin(), halves.half_b.end());
  return halves;
}

std::vector<TailCount> count_tails(std::span<const double> auc_all,
                                   std::span<const double> auc_half_a,
                                   std::span<const double> auc_half_b,
                                   std::span<const double> thresholds) {
  PRIVAUDIT_CHECK(auc_half_a.size() == auc_all.size() && auc_half_b.size() == auc_all.size(),
                  fmt::format("AUC arrays differ in length: all {}, half A {}, half B {}",
                              auc_all.size(), auc_half_a.size(), auc_half_b.size()));
  const std::vector<double> levels = resolve_thresholds(thresholds);

  // NaN > t is false, so a unit without an AUC in some set never counts in that set.
  std::vector<TailCount> counts;
  counts.reserve(levels.size());
  for (const double t : levels) {
    TailCount count;
    count.threshold = t;
    double holdout_sum = 0.0;
    std::size_t holdout_units = 0;
    for (std::size_t u = 0; u < auc_all.size(); ++u) {
      if (auc_all[u] > t) {
        ++count.in_sample;
      }
      if (!(auc_half_a[u] > t)) {
        continue;
      }
      ++count.selected;
      if (auc_half_b[u] > t) {
        ++count.confirmed;
      }
      if (!std::isnan(auc_half_b[u])) {
        holdout_sum += auc_half_b[u];
        ++holdout_units;
      }
    }
    count.mean_holdout_auc = holdout_units > 0 ? holdout_sum / static_cast<double>(holdout_units)
                                               : std::numeric_limits<double>::quiet_NaN();
    counts.push_back(count);
  }
  return counts;
}

BoundCheck check_bound(std::span<const double> auc_half_a, std::span<const double> auc_half_b,
                       std::span<const std::uint32_t> n_in_b,
                       std::span<const std::uint32_t> n_out_b, double bound) {
  PRIVAUDIT_CHECK(auc_half_b.size() == auc_half_a.size() && n_in_b.size() == auc_half_a.size() &&
                      n_out_b.size() == auc_half_a.size(),
                  fmt::format("bound check arrays differ in length: half A {}, half B {}, IN {}, "
                              "OUT {}",
                              auc_half_a.size(), auc_half_b.size(), n_in_b.size(),
                              n_out_b.size()));
  if (!(bound >= 0.5 && bound < 1.0)) {
    throw UsageError(fmt::format(
        "invalid AUC bound {}: expected a value in [0.5, 1), since a bound of 1 excludes nothing",
        bound));
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  BoundCheck check;
  check.bound = bound;
  check.max_holdout_auc = nan;
  check.max_z = nan;
  const auto testable = [&](std::size_t u) {
    return n_in_b[u] >= kBoundCheckMinModels && n_out_b[u] >= kBoundCheckMinModels;
  };

  // 1. Selection, confirmation and the number of tests.
  for (std::size_t u = 0; u < auc_half_a.size(); ++u) {
    if (!std::isnan(auc_half_b[u]) && !(auc_half_b[u] <= check.max_holdout_auc)) {
      check.max_holdout_auc = auc_half_b[u];
    }
    if (!(auc_half_a[u] > bound)) continue;
    ++check.selected;
    check.confirmed += auc_half_b[u] > bound;
    check.tested += testable(u);
  }

  // 2. One-sided tests at the Bonferroni level.
  check.z = check.tested > 0
                ? stats::normal_quantile(1.0 - kBoundCheckAlpha / static_cast<double>(check.tested))
                : nan;
  for (std::size_t u = 0; u < auc_half_a.size(); ++u) {
    if (!(auc_half_a[u] > bound) || !testable(u) || std::isnan(auc_half_b[u])) continue;
    const double se = stats::hanley_mcneil_se(bound, n_in_b[u], n_out_b[u]);
    const double z = (auc_half_b[u] - bound) / se;
    if (!(z <= check.max_z)) check.max_z = z;
    check.beyond_se += z > check.z;
  }
  return check;
}

TailReport confirm_tails(const MembershipSignals& signals,
                         std::span<const std::int32_t> patient_of_record, std::size_t patients,
                         std::span<const double> thresholds, std::uint64_t seed,
                         std::optional<double> auc_bound) {
  // 1. Check the thresholds before the expensive work.
  const std::vector<double> levels = resolve_thresholds(thresholds);
  signals.validate();

  // 2. Risk on all models and on each half.
  ModelHalves halves = split_models(signals.models, seed);
  const RiskOnModels all = risk_on_models(signals, patient_of_record, patients, {});
  const RiskOnModels on_a = risk_on_models(signals, patient_of_record, patients, halves.half_a);
  const RiskOnModels on_b = risk_on_models(signals, patient_of_record, patients, halves.half_b);

  // 3. Tail counts per kind of unit.
  TailReport report;
  report.records = count_tails(binormal_aucs(all.records), binormal_aucs(on_a.records),
                               binormal_aucs(on_b.records), levels);
  report.patients_max = count_tails(max_record_aucs(all.patients), max_record_aucs(on_a.patients),
                                    max_record_aucs(on_b.patients), levels);
  report.patients_joint = count_tails(joint_aucs(all.patients), joint_aucs(on_a.patients),
                                      joint_aucs(on_b.patients), levels);
  if (auc_bound) {
    std::vector<std::uint32_t> n_in(on_b.records.size());
    std::vector<std::uint32_t> n_out(on_b.records.size());
    for (std::size_t i = 0; i < n_in.size(); ++i) {
      n_in[i] = on_b.records[i].n_in;
      n_out[i] = on_b.records[i].n_out;
    }
    report.records_bound = check_bound(binormal_aucs(on_a.records), binormal_aucs(on_b.records),
                                       n_in, n_out, *auc_bound);
    n_in.resize(on_b.patients.size());
    n_out.resize(on_b.patients.size());
    for (std::size_t p = 0; p < n_in.size(); ++p) {
      n_in[p] = on_b.patients[p].n_in;
      n_out[p] = on_b.patients[p].n_out;
    }
    report.patients_bound = check_bound(joint_aucs(on_a.patients), joint_aucs(on_b.patients),
                                        n_in, n_out, *auc_bound);
  }
  report.half_a = std::move(halves.half_a);
  report.half_b = std::move(halves.half_b);
  return report;
}

}  // namespace privaudit::risk
