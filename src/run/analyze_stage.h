// The analyze stage: record-level and patient-level membership risk with tail confirmation, and the
// conventional aggregate attacks, from the signals of a trained run. Writes records.csv,
// patients.csv, roc.csv and summary.json (each atomically).
#pragma once

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "attacks/evaluation.h"

namespace privaudit::run {

struct AnalysisOptions {
  attacks::AttackOptions attacks;
  // AUC thresholds for the tail counts, each in (0.5, 1).
  std::vector<double> tail_thresholds = {0.8, 0.9, 0.95, 0.99};
  // Patient AUC above which the stdout summary calls membership risk near-certain; must be one of
  // tail_thresholds.
  double near_certain_auc = 0.95;

  void validate() const;
};

// Returns the summary that was written to summary.json. Throws UsageError when the run is not
// trained yet.
nlohmann::json run_analyze_stage(const std::filesystem::path& dir, const AnalysisOptions& options);

}  // namespace privaudit::run
