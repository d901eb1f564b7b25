// The analyze stage: record-level and patient-level membership risk with tail confirmation, and the
// conventional aggregate attacks, from the signals of a trained run. Writes records.csv,
// patients.csv, roc.csv, groups.csv and summary.json (each atomically).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attacks/evaluation.h"
#include "run/group_analysis.h"

namespace privaudit::run {

struct AnalysisOptions {
  attacks::AttackOptions attacks;
  // AUC thresholds for the tail counts, each in (0.5, 1).
  std::vector<double> tail_thresholds = {0.8, 0.9, 0.95, 0.99};
  // Patient AUC above which the stdout summary calls membership risk near-certain; must be one of
  // tail_thresholds.
  double near_certain_auc = 0.95;
  // Group disparity over the --attributes columns.
  GroupAnalysisOptions groups;
  // Most exposed patients listed in summary.json and the report, by joint AUC; at most 1000.
  std::size_t exposed_patients = 20;
  // File with a secret key. When set, patient ids in summary.json and the report become "P-" and
  // the first 16 hex digits of HMAC-SHA256(key, id). Empty: ids are shown as they are.
  std::string pseudonymize_key_file;
  // Adds a "gallery" to summary.json and the report: the preprocessed images or ECG traces of the
  // first 50 exposed patients, up to 4 records each. Off by default because it shows patient data;
  // ECG and image runs only (UsageError for a table run).
  bool gallery = false;

  void validate() const;
};

// Reads and checks a pseudonymisation key file; throws UsageError naming the file and the fix.
std::string read_pseudonym_key(const std::string& path);

// Returns the summary that was written to summary.json. Throws UsageError when the run is not
// trained yet.
nlohmann::json run_analyze_stage(const std::filesystem::path& dir, const AnalysisOptions& options);

}  // namespace privaudit::run
