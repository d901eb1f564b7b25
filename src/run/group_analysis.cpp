#include "run/group_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/atomic_file.h"
#include "core/error.h"
#include "groups/disparity.h"
#include "run/csv_writer.h"
#include "stats/correlation.h"
#include "stats/descriptive.h"
#include "stats/normal.h"

namespace privaudit::run {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// FPR of the aggregate LiRA threshold at which per-group TPR is reported.
constexpr double kGroupTprFpr = 0.01;
// Below this many patients a group's 99th percentile is close to its single most exposed patient's
// AUC, so it is not published.
constexpr std::size_t kMinPatientsForP99 = 100;

nlohmann::json number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

nlohmann::json estimate_json(const groups::Estimate& estimate) {
  return {{"value", number(estimate.value)}, {"ci_low", number(estimate.ci_low)}, {"ci_high", number(estimate.ci_high)}};
}

// Two-sided p-value of a Pearson residual read as a standard normal deviate.
double residual_p_value(double residual) {
  return std::isfinite(residual) ? 2.0 * stats::normal_cdf(-std::fabs(residual)) : kNaN;
}

nlohmann::json level_json(const groups::Disparity& disparity, double p_bonferroni) {
  return {{"top_n", disparity.top_n},
          {"chi_square", number(disparity.chi_square)},
          {"dof", disparity.dof},
          {"p_value", number(disparity.p_value)},
          {"p_bonferroni", number(p_bonferroni)}};
}

nlohmann::json count_json(const groups::GroupCount& count) {
  return {{"observed", count.observed},
          {"expected", number(count.expected)},
          {"residual", number(count.residual)},
          {"relative_difference", number(count.relative_difference)},
          {"p_value", number(residual_p_value(count.residual))}};
}

// One attribute's groupings at record and patient level.
struct AttributeGroups {
  groups::Grouping records;   // units: pool records
  groups::Grouping patients;  // units: pool patients
  std::vector<std::size_t> patient_count;
  std::vector<std::size_t> record_count;
  std::vector<bool> suppressed;  // small groups and their complementary suppression
};

AttributeGroups group_attribute(const GroupAnalysisInputs& inputs, std::size_t attribute,
                                const GroupAnalysisOptions& options) {
  const RunContext& context = *inputs.context;
  const data::Attribute& column = context.dataset.attributes[attribute];
  const auto& pool = context.plan.pool_records;
  std::vector<std::optional<std::string>> values;
  values.reserve(pool.size());
  for (std::uint32_t record : pool) values.push_back(column.values[record]);

  AttributeGroups out;
  out.records = groups::make_grouping(column.name, values, options.grouping);
  out.patients = out.records;
  const std::size_t patient_total = context.plan.pool_patients.size();
  out.patients.group_of_unit.assign(patient_total, -1);
  for (std::size_t j = 0; j < pool.size(); ++j) {
    out.patients.group_of_unit[static_cast<std::size_t>(context.pool_patient_of_record[j])] =
        out.records.group_of_unit[j];
  }
  const std::size_t group_total = out.records.group_names.size();
  out.patient_count.assign(group_total, 0);
  out.record_count.assign(group_total, 0);
  for (std::int32_t group : out.patients.group_of_unit) out.patient_count[static_cast<std::size_t>(group)]++;
  for (std::int32_t group : out.records.group_of_unit) out.record_count[static_cast<std::size_t>(group)]++;
  out.suppressed = groups::suppress_groups(out.patient_count, options.suppression);
  return out;
}

// Mean and SD over targets of the TPR within each group, at the threshold that gives 1% FPR on the
// whole pool for that target.
std::vector<stats::MeanSd> group_tpr(const GroupAnalysisInputs& inputs, const groups::Grouping& grouping) {
  const std::size_t group_total = grouping.group_names.size();
  std::vector<std::vector<double>> per_group(group_total);
  const std::size_t pool = inputs.view->records;
  for (std::size_t target = 0; target < inputs.lira_scores->size(); ++target) {
    const std::vector<double>& scores = (*inputs.lira_scores)[target];
    std::vector<double> outside;
    for (std::size_t j = 0; j < pool; ++j) {
      if (!inputs.view->member(target, j)) outside.push_back(scores[j]);
    }
    std::sort(outside.begin(), outside.end());
    const double threshold = outside.empty() ? kNaN : stats::quantile_sorted(outside, 1.0 - kGroupTprFpr);
    std::vector<std::size_t> members(group_total, 0);
    std::vector<std::size_t> caught(group_total, 0);
    for (std::size_t j = 0; j < pool; ++j) {
      if (!inputs.view->member(target, j)) continue;
      const auto group = static_cast<std::size_t>(grouping.group_of_unit[j]);
      members[group]++;
      caught[group] += scores[j] > threshold;
    }
    for (std::size_t g = 0; g < group_total; ++g) {
      if (members[g] > 0) per_group[g].push_back(static_cast<double>(caught[g]) / static_cast<double>(members[g]));
    }
  }
  std::vector<stats::MeanSd> out;
  for (const auto& values : per_group) out.push_back(stats::mean_sd(values, 1));
  return out;
}

}  // namespace

void GroupAnalysisOptions::validate() const {
  if (!(top_fraction > 0.0 && top_fraction <= 0.5)) {
    throw UsageError(fmt::format("--top-fraction {} is invalid: expected a fraction in (0, 0.5], such as 0.01",
                                 top_fraction));
  }
  if (bootstrap_replicates < 100) {
    throw UsageError(fmt::format("--bootstrap {} is invalid: expected at least 100 replicates (default 1000)",
                                 bootstrap_replicates));
  }
  suppression.validate();
  grouping.validate();
}

std::vector<std::vector<std::string>> patient_group_labels(const GroupAnalysisInputs& inputs,
                                                           const GroupAnalysisOptions& options) {
  const std::size_t patient_total = inputs.context->plan.pool_patients.size();
  std::vector<std::vector<std::string>> labels(patient_total);
  for (std::size_t a = 0; a < inputs.context->dataset.attributes.size(); ++a) {
    const AttributeGroups groups = group_attribute(inputs, a, options);
    for (std::size_t k = 0; k < patient_total; ++k) {
      const auto group = static_cast<std::size_t>(groups.patients.group_of_unit[k]);
      labels[k].push_back(groups.suppressed[group] ? "suppressed" : groups.records.group_names[group]);
    }
  }
  return labels;
}

nlohmann::json analyze_groups(const GroupAnalysisInputs& inputs, const GroupAnalysisOptions& options) {
  options.validate();
  const RunContext& context = *inputs.context;
  std::vector<double> record_auc;
  for (const auto& risk : inputs.records) record_auc.push_back(risk.auc_binormal);
  std::vector<double> patient_auc;
  for (const auto& risk : inputs.patients) patient_auc.push_back(risk.joint_auc_binormal);

  // 1. Per attribute: groups, top-fraction disparity at both levels, per-group risk.
  struct AttributeResult {
    AttributeGroups groups;
    groups::Disparity record_level;
    groups::Disparity patient_level;
    std::vector<groups::GroupRisk> risk;
    std::vector<stats::MeanSd> tpr;
  };
  std::vector<AttributeResult> results;
  for (std::size_t a = 0; a < context.dataset.attributes.size(); ++a) {
    AttributeResult result;
    result.groups = group_attribute(inputs, a, options);
    result.record_level = groups::top_fraction_disparity(result.groups.records, record_auc, options.top_fraction);
    result.patient_level = groups::top_fraction_disparity(result.groups.patients, patient_auc, options.top_fraction);
    groups::BootstrapOptions bootstrap;
    bootstrap.replicates = options.bootstrap_replicates;
    bootstrap.seed = inputs.seed + a;
    result.risk = groups::group_risk(record_auc, context.pool_patient_of_record, patient_auc,
                                     result.groups.patients.group_of_unit, result.groups.records.group_names.size(),
                                     bootstrap);
    result.tpr = group_tpr(inputs, result.groups.records);
    results.push_back(std::move(result));
  }

  // 2. Bonferroni over the attributes analysed, separately per level.
  std::vector<double> record_p;
  std::vector<double> patient_p;
  for (const auto& result : results) {
    record_p.push_back(result.record_level.p_value);
    patient_p.push_back(result.patient_level.p_value);
  }
  const std::vector<double> record_p_adjusted = groups::bonferroni(record_p);
  const std::vector<double> patient_p_adjusted = groups::bonferroni(patient_p);

  // 3. JSON and CSV. A suppressed group shows its name only, but still counts in the tests above
  //    and in the correlation below. The 99th percentiles are published for groups of at least
  //    kMinPatientsForP99 patients only.
  CsvWriter csv;
  for (const char* name :
       {"attribute", "group", "suppressed", "patients", "records", "pool_share", "record_observed",
        "record_expected", "record_residual", "record_relative_difference", "record_residual_p",
        "patient_observed", "patient_expected", "patient_residual", "patient_relative_difference",
        "record_auc_mean", "record_auc_mean_ci_low", "record_auc_mean_ci_high", "record_auc_p99",
        "patient_auc_mean", "patient_auc_mean_ci_low", "patient_auc_mean_ci_high", "patient_auc_p99",
        "share_above_0.9", "share_above_0.9_ci_low", "share_above_0.9_ci_high", "share_above_0.95",
        "share_above_0.95_ci_low", "share_above_0.95_ci_high", "lira_tpr_at_fpr_0.01_mean",
        "lira_tpr_at_fpr_0.01_sd", "attribute_record_p_value", "attribute_record_p_bonferroni",
        "attribute_patient_p_value", "attribute_patient_p_bonferroni"}) {
    csv.text(name);
  }
  csv.end_row();

  nlohmann::json attributes = nlohmann::json::array();
  std::vector<double> sizes;
  std::vector<double> residuals;
  nlohmann::json points = nlohmann::json::array();
  for (std::size_t a = 0; a < results.size(); ++a) {
    const AttributeResult& result = results[a];
    const auto& names = result.groups.records.group_names;
    nlohmann::json group_list = nlohmann::json::array();
    for (std::size_t g = 0; g < names.size(); ++g) {
      const auto& record_count = result.record_level.groups[g];
      const bool suppressed = result.groups.suppressed[g];
      if (std::isfinite(record_count.residual) && result.record_level.dof >= 1) {
        sizes.push_back(record_count.share);
        residuals.push_back(record_count.residual);
      }
      csv.text(result.groups.records.attribute).text(names[g]).text(suppressed ? "true" : "false");
      if (suppressed) {
        for (int k = 0; k < 28; ++k) csv.text("");
        csv.number(result.record_level.p_value).number(record_p_adjusted[a]);
        csv.number(result.patient_level.p_value).number(patient_p_adjusted[a]);
        csv.end_row();
        group_list.push_back({{"name", names[g]}, {"suppressed", true}});
        continue;
      }
      const auto& patient_count = result.patient_level.groups[g];
      groups::GroupRisk risk = result.risk[g];
      if (result.groups.patient_count[g] < kMinPatientsForP99) {
        risk.record_auc_p99 = {kNaN, kNaN, kNaN};
        risk.patient_auc_p99 = {kNaN, kNaN, kNaN};
      }
      const auto& tpr = result.tpr[g];
      csv.integer(static_cast<long long>(result.groups.patient_count[g]))
          .integer(static_cast<long long>(result.groups.record_count[g]))
          .number(record_count.share)
          .integer(static_cast<long long>(record_count.observed))
          .number(record_count.expected)
          .number(record_count.residual)
          .number(record_count.relative_difference)
          .number(residual_p_value(record_count.residual))
          .integer(static_cast<long long>(patient_count.observed))
          .number(patient_count.expected)
          .number(patient_count.residual)
          .number(patient_count.relative_difference);
      for (const groups::Estimate* estimate :
           {&risk.record_auc_mean, &risk.record_auc_p99, &risk.patient_auc_mean, &risk.patient_auc_p99,
            &risk.share_above_0_9, &risk.share_above_0_95}) {
        csv.number(estimate->value);
        if (estimate != &risk.record_auc_p99 && estimate != &risk.patient_auc_p99) {
          csv.number(estimate->ci_low).number(estimate->ci_high);
        }
      }
      csv.number(tpr.mean).number(tpr.sd);
      csv.number(result.record_level.p_value).number(record_p_adjusted[a]);
      csv.number(result.patient_level.p_value).number(patient_p_adjusted[a]);
      csv.end_row();

      group_list.push_back({{"name", names[g]},
                            {"suppressed", false},
                            {"patients", result.groups.patient_count[g]},
                            {"records", result.groups.record_count[g]},
                            {"pool_share", number(record_count.share)},
                            {"record_level", count_json(record_count)},
                            {"patient_level", count_json(patient_count)},
                            {"record_auc_mean", estimate_json(risk.record_auc_mean)},
                            {"record_auc_p99", estimate_json(risk.record_auc_p99)},
                            {"patient_auc_mean", estimate_json(risk.patient_auc_mean)},
                            {"patient_auc_p99", estimate_json(risk.patient_auc_p99)},
                            {"share_above_0.9", estimate_json(risk.share_above_0_9)},
                            {"share_above_0.95", estimate_json(risk.share_above_0_95)},
                            {"lira_tpr_at_fpr_0.01", {{"mean", number(tpr.mean)}, {"sd", number(tpr.sd)}}}});
      points.push_back({{"attribute", result.groups.records.attribute},
                        {"group", names[g]},
                        {"pool_share", number(record_count.share)},
                        {"residual", number(record_count.residual)}});
    }
    attributes.push_back({{"name", result.groups.records.attribute},
                          {"kind", result.groups.records.numeric ? "numeric" : "categorical"},
                          {"record_level", level_json(result.record_level, record_p_adjusted[a])},
                          {"patient_level", level_json(result.patient_level, patient_p_adjusted[a])},
                          {"groups", group_list}});
  }
  write_file_atomic(context.layout.groups_csv(), csv.str());

  // 4. Residual against group size over all groups of attributes with at least two groups,
  //    suppressed ones included. A single group's residual is 0 by construction, so it is left out.
  const stats::Correlation correlation = stats::spearman(sizes, residuals);
  return {{"top_fraction", options.top_fraction},
          {"min_group_patients", options.suppression.min_group_patients},
          {"bootstrap_replicates", options.bootstrap_replicates},
          {"lira_tpr_fpr", kGroupTprFpr},
          {"attributes", attributes},
          {"residual_vs_size",
           {{"spearman_rho", number(correlation.rho)},
            {"p_value", number(correlation.p_value)},
            {"groups", correlation.n},
            {"points", points}}}};
}

}  // namespace privaudit::run
