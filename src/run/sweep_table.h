// The tables of a sweep: sweep.json (format in docs/sweep-format.md), sweep.csv and the stdout
// summary, built from each recipe's summary.json.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/analyze_stage.h"
#include "run/sweep_stage.h"

namespace privaudit::run {

// Returns sweep.json. summaries[r] is the summary.json of recipes[r] (equal lengths).
nlohmann::json sweep_json(const std::filesystem::path& dir, SweepKind kind,
                          const std::vector<SweepRecipe>& recipes,
                          const std::vector<nlohmann::json>& summaries,
                          const AnalysisOptions& analysis);

// Returns sweep.csv: a header and one row per recipe, with the tail counts at the near-certain
// AUC. Empty cells for values that do not apply (no DP-SGD) or could not be computed.
std::string sweep_csv(const nlohmann::json& sweep);

}  // namespace privaudit::run
