#include "groups/group_risk.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "core/error.h"
#include "core/random.h"
#include "stats/descriptive.h"

namespace privaudit::groups {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Quantile reported as "p99".
constexpr double kTailQuantile = 0.99;

// Minimum number of replicates. At level 0.95 and 100 replicates the bounds interpolate near the
// 3rd smallest and the 3rd largest replicate.
constexpr std::size_t kMinReplicates = 100;

// Positions of the GroupRisk statistics in a Statistics array, in field order.
enum Statistic : std::size_t {
  kRecordMean,
  kRecordP99,
  kPatientMean,
  kPatientP99,
  kShareAbove09,
  kShareAbove095,
  kStatistics  // number of statistics
};
using Statistics = std::array<double, kStatistics>;

double mean(std::span<const double> values) {
  if (values.empty()) {
    return kNaN;
  }
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// numpy.quantile(values, q) ("linear" method) by selection in O(n), reordering `values`.
double quantile_in_place(std::vector<double>& values, double q) {
  if (values.empty()) {
    return kNaN;
  }
  const double h = static_cast<double>(values.size() - 1) * q;
  const double below = std::floor(h);
  const auto lower = static_cast<std::size_t>(below);
  const auto lower_it = values.begin() + static_cast<std::ptrdiff_t>(lower);
  std::nth_element(values.begin(), lower_it, values.end());
  const double lower_value = *lower_it;
  const double upper_value =
      lower + 1 < values.size() ? *std::min_element(lower_it + 1, values.end()) : lower_value;

  // quantile_sorted() on the two neighbours at q' = h - below interpolates with exactly numpy's
  // formula and weight, because its virtual index (2 - 1) q' equals q'.
  const std::array<double, 2> neighbours = {lower_value, upper_value};
  return stats::quantile_sorted(neighbours, h - below);
}

double share_above(std::span<const double> values, double threshold) {
  if (values.empty()) {
    return kNaN;
  }
  const auto above =
      std::count_if(values.begin(), values.end(), [&](double v) { return v > threshold; });
  return static_cast<double>(above) / static_cast<double>(values.size());
}

// Record AUCs in patient order (CSR layout) so that a drawn patient's records are one slice.
struct RecordsByPatient {
  std::vector<std::size_t> offsets;  // [patients + 1]
  std::vector<double> auc;           // [records]
};

RecordsByPatient group_records(std::span<const double> record_auc,
                               std::span<const std::int32_t> patient_of_record,
                               std::size_t patients) {
  RecordsByPatient result;
  result.offsets.assign(patients + 1, 0);
  for (std::size_t record = 0; record < patient_of_record.size(); ++record) {
    const std::int32_t patient = patient_of_record[record];
    PRIVAUDIT_CHECK(patient >= 0 && static_cast<std::size_t>(patient) < patients,
                    fmt::format("group_risk: record {} has patient {}, expected [0, {})", record,
                                patient, patients));
    ++result.offsets[static_cast<std::size_t>(patient) + 1];
  }
  std::partial_sum(result.offsets.begin(), result.offsets.end(), result.offsets.begin());
  std::vector<std::size_t> next(result.offsets.begin(), result.offsets.end() - 1);
  result.auc.resize(record_auc.size());
  for (std::size_t record = 0; record < patient_of_record.size(); ++record) {
    const auto patient = static_cast<std::size_t>(patient_of_record[record]);
    result.auc[next[patient]++] = record_auc[record];
  }
  return result;
}

// Collects the finite AUCs of a sample of patients and computes the statistics on them.
class SampleStatistics {
 public:
  SampleStatistics(const RecordsByPatient& records, std::span<const double> patient_auc)
      : records_(records), patient_auc_(patient_auc) {}

  void clear() {
    record_values_.clear();
    patient_values_.clear();
  }

  void add_patient(std::size_t patient) {
    if (std::isfinite(patient_auc_[patient])) {
      patient_values_.push_back(patient_auc_[patient]);
    }
    for (std::size_t k = records_.offsets[patient]; k < records_.offsets[patient + 1]; ++k) {
      if (std::isfinite(records_.auc[k])) {
        record_values_.push_back(records_.auc[k]);
      }
    }
  }

  // Means and shares come first, because quantile_in_place() reorders the buffers.
  Statistics compute() {
    Statistics result{};
    result[kRecordMean] = mean(record_values_);
    result[kPatientMean] = mean(patient_values_);
    result[kShareAbove09] = share_above(patient_values_, kHighRiskAuc);
    result[kShareAbove095] = share_above(patient_values_, kVeryHighRiskAuc);
    result[kRecordP99] = quantile_in_place(record_values_, kTailQuantile);
    result[kPatientP99] = quantile_in_place(patient_values_, kTailQuantile);
    return result;
  }

 private:
  const RecordsByPatient& records_;
  std::span<const double> patient_auc_;
  std::vector<double> record_values_;
  std::vector<double> patient_values_;
};

// Percentile interval over the replicates that are not NaN, reordering `replicates`.
std::pair<double, double> percentile_interval(std::vector<double>& replicates, double level) {
  std::erase_if(replicates, [](double v) { return std::isnan(v); });
  std::sort(replicates.begin(), replicates.end());
  const double tail = (1.0 - level) / 2.0;
  return {stats::quantile_sorted(replicates, tail), stats::quantile_sorted(replicates, 1.0 - tail)};
}

GroupRisk risk_of_group(const RecordsByPatient& records, std::span<const double> patient_auc,
                        std::span<const std::size_t> members, std::size_t group,
                        const BootstrapOptions& options) {
  GroupRisk risk;
  risk.patients = members.size();
  for (const std::size_t patient : members) {
    risk.records += records.offsets[patient + 1] - records.offsets[patient];
  }

  // 1. Point estimates on the group's patients.
  SampleStatistics sample(records, patient_auc);
  for (const std::size_t patient : members) {
    sample.add_patient(patient);
  }
  const Statistics point = sample.compute();

  // 2. Bootstrap replicates: draw members.size() patients with replacement, with all their records.
  std::array<std::vector<double>, kStatistics> replicates;
  if (!members.empty()) {
    Rng rng(derive_seed(options.seed, SeedStream::kGroupBootstrap, group));
    for (std::size_t b = 0; b < options.replicates; ++b) {
      sample.clear();
      for (std::size_t i = 0; i < members.size(); ++i) {
        sample.add_patient(members[static_cast<std::size_t>(rng.below(members.size()))]);
      }
      const Statistics statistics = sample.compute();
      for (std::size_t s = 0; s < kStatistics; ++s) {
        replicates[s].push_back(statistics[s]);
      }
    }
  }

  // 3. Point estimates with their intervals.
  std::array<Estimate*, kStatistics> fields{};
  fields[kRecordMean] = &risk.record_auc_mean;
  fields[kRecordP99] = &risk.record_auc_p99;
  fields[kPatientMean] = &risk.patient_auc_mean;
  fields[kPatientP99] = &risk.patient_auc_p99;
  fields[kShareAbove09] = &risk.share_above_0_9;
  fields[kShareAbove095] = &risk.share_above_0_95;
  for (std::size_t s = 0; s < kStatistics; ++s) {
    const auto [low, high] = percentile_interval(replicates[s], options.level);
    *fields[s] = std::isnan(point[s]) ? Estimate{kNaN, kNaN, kNaN} : Estimate{point[s], low, high};
  }
  return risk;
}

}  // namespace

void BootstrapOptions::validate() const {
  if (replicates < kMinReplicates) {
    throw UsageError(fmt::format(
        "--bootstrap-replicates {} is invalid: expected at least {}, so that the confidence "
        "interval bounds do not rest on one or two replicates.",
        replicates, kMinReplicates));
  }
  if (!(level > 0.0 && level < 1.0)) {
    throw UsageError(fmt::format(
        "--bootstrap-level {} is invalid: expected a confidence level between 0 and 1 "
        "(exclusive), for example 0.95.",
        level));
  }
}

std::vector<GroupRisk> group_risk(std::span<const double> record_auc,
                                  std::span<const std::int32_t> patient_of_record,
                                  std::span<const double> patient_auc,
                                  std::span<const std::int32_t> group_of_patient,
                                  std::size_t groups, const BootstrapOptions& options) {
  options.validate();
  PRIVAUDIT_CHECK(record_auc.size() == patient_of_record.size(),
                  fmt::format("group_risk: {} record AUCs for {} record patient indices",
                              record_auc.size(), patient_of_record.size()));
  PRIVAUDIT_CHECK(patient_auc.size() == group_of_patient.size(),
                  fmt::format("group_risk: {} patient AUCs for {} patient group indices",
                              patient_auc.size(), group_of_patient.size()));

  // 1. Records by patient, and the patients of each group in ascending order.
  const RecordsByPatient records =
      group_records(record_auc, patient_of_record, patient_auc.size());
  std::vector<std::vector<std::size_t>> members(groups);
  for (std::size_t patient = 0; patient < group_of_patient.size(); ++patient) {
    const std::int32_t group = group_of_patient[patient];
    PRIVAUDIT_CHECK(group >= 0 && static_cast<std::size_t>(group) < groups,
                    fmt::format("group_risk: patient {} has group {}, expected [0, {})", patient,
                                group, groups));
    members[static_cast<std::size_t>(group)].push_back(patient);
  }

  // 2. Each group alone, with its own random stream.
  std::vector<GroupRisk> result;
  result.reserve(groups);
  for (std::size_t group = 0; group < groups; ++group) {
    result.push_back(risk_of_group(records, patient_auc, members[group], group, options));
  }
  return result;
}

}  // namespace privaudit::groups
