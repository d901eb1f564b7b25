// Group disparity: which patient groups (the --attributes columns) are over-represented among the
// most exposed records and patients, with per-group risk statistics and small-cell suppression.
// Writes groups.csv and returns the "groups" section of summary.json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "attacks/signal_matrix.h"
#include "groups/grouping.h"
#include "groups/group_risk.h"
#include "groups/suppression.h"
#include "risk/patient_risk.h"
#include "risk/record_risk.h"
#include "run/run_context.h"

namespace privaudit::run {

struct GroupAnalysisOptions {
  // Fraction of records (and of patients) with the highest AUC that forms the "top" set, in (0, 0.5].
  double top_fraction = 0.01;
  groups::SuppressionOptions suppression;
  groups::GroupingOptions grouping;
  // Bootstrap replicates of the per-group confidence intervals (resampling patients); >= 100.
  std::size_t bootstrap_replicates = 1000;

  void validate() const;
};

// Inputs shared with the rest of the analysis. `lira_scores` contains one vector [pool records] of
// online LiRA scores per target model (targets are models 0..T-1).
struct GroupAnalysisInputs {
  const RunContext* context = nullptr;
  std::span<const risk::RecordRisk> records;
  std::span<const risk::PatientRisk> patients;
  const attacks::SignalView* view = nullptr;
  const std::vector<std::vector<double>>* lira_scores = nullptr;
  std::uint64_t seed = 0;
};

// Returns the "groups" section (see the report module's README for its shape) and writes
// groups.csv. With no attributes the section has an empty attribute list.
nlohmann::json analyze_groups(const GroupAnalysisInputs& inputs, const GroupAnalysisOptions& options);

// The group name of each pool patient for every attribute, with suppressed groups replaced by
// "suppressed"; used to label the most exposed patients.
std::vector<std::vector<std::string>> patient_group_labels(const GroupAnalysisInputs& inputs,
                                                           const GroupAnalysisOptions& options);

}  // namespace privaudit::run
