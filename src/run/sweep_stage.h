// The sweep stage: one plan, several training recipes. Each recipe is trained, analysed and
// reported in its own run folder DIR/recipes/NAME/. Every such folder has a copy of the plan, so
// all recipes share the membership matrix and test split. The results are gathered into
// DIR/sweep.json, DIR/sweep.csv and DIR/report.html; docs/sweep-format.md defines sweep.json.
// An interrupted sweep resumes, because finished models of every recipe stay saved.
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/analyze_stage.h"
#include "run/train_stage.h"

namespace privaudit::run {

// One recipe of a sweep.
struct SweepRecipe {
  std::string name;   // folder name under recipes/, [a-z0-9.-]+
  std::string label;  // for tables and legends
  Recipe recipe;
  // Target epsilon of a DP-SGD recipe in an epsilon sweep; nullopt for a recipe without DP-SGD.
  std::optional<double> epsilon;
};

enum class SweepKind {
  kCapacity,  // recipes differ in architecture and size
  kEpsilon,   // recipes differ in the DP-SGD target epsilon
};

// Default --capacities: logistic regression, one-hidden-layer MLPs 16 to 1024 wide and a
// two-block tabular ResNet of width 128.
std::vector<std::string> default_capacities();

// Default --epsilons: 1, 10, 100, 1000 and infinity (no DP-SGD).
std::vector<double> default_epsilons();

// Builds a capacity sweep from `base` (whose training options every recipe keeps). Each spec is
// "logistic", "mlp:WIDTH", "mlp:WIDTHxDEPTH", "resnet:WIDTH" or "resnet:WIDTHxBLOCKS"; a bare
// "mlp" or "resnet" takes the base width and depth. Throws UsageError naming a malformed spec, a
// repeated one or an empty list.
std::vector<SweepRecipe> capacity_recipes(const Recipe& base, std::span<const std::string> specs);

// Builds an epsilon sweep from `base`: each finite epsilon trains by DP-SGD with that target
// (per patient unless base uses record-level privacy); +infinity trains `base` without DP-SGD.
// Throws UsageError for an epsilon <= 0 or NaN, a repeated epsilon, an empty list, or a base
// model that DP-SGD does not support.
std::vector<SweepRecipe> epsilon_recipes(const Recipe& base, std::span<const double> epsilons);

// Trains, analyses and reports every recipe on the plan in `dir` (which must be planned), then
// writes sweep.json, sweep.csv and report.html. Returns sweep.json's content. `stop` (may be
// null) interrupts training: finished models stay saved and Interrupted is thrown.
nlohmann::json run_sweep_stage(const std::filesystem::path& dir, SweepKind kind,
                               const std::vector<SweepRecipe>& recipes,
                               const ExecutionOptions& execution, const AnalysisOptions& analysis,
                               const std::atomic<bool>* stop);

// Plain-text summary of a sweep for stdout: one line per recipe.
std::string format_sweep_summary(const nlohmann::json& sweep);

}  // namespace privaudit::run
