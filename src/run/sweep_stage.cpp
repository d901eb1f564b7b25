#include "run/sweep_stage.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/version.h"
#include "models/model_spec.h"
#include "report/sweep_report.h"
#include "run/options_json.h"
#include "run/plan_stage.h"
#include "run/report_stage.h"
#include "run/run_layout.h"
#include "run/sweep_table.h"

namespace privaudit::run {

namespace fs = std::filesystem;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Parses a whole number in [1, limit] from `text`, naming `spec` in the error.
std::size_t parse_size(std::string_view text, const std::string& spec, std::size_t limit) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value < 1 || value > limit) {
    throw UsageError(fmt::format(
        "--capacities entry '{}' is invalid: '{}' must be a whole number in [1, {}]; write "
        "logistic, mlp:WIDTH, mlp:WIDTHxDEPTH, resnet:WIDTH or resnet:WIDTHxBLOCKS, such as "
        "mlp:256x2",
        spec, text, limit));
  }
  return value;
}

SweepRecipe capacity_recipe(const Recipe& base, const std::string& spec) {
  SweepRecipe entry;
  entry.recipe = base;
  models::ModelSpec& model = entry.recipe.model;
  const std::size_t colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  if (kind != "logistic" && kind != "mlp" && kind != "resnet" && kind != "cnn" &&
      kind != "resnet1d" && kind != "wrn") {
    throw UsageError(fmt::format(
        "--capacities entry '{}' is invalid: the architecture must be logistic, mlp or resnet "
        "(tables), cnn or resnet1d (ECGs) or wrn (images), such as mlp:256",
        spec));
  }
  model.kind = models::parse_kind(kind);
  if (colon != std::string::npos) {
    if (kind == "logistic" || kind == "cnn") {
      throw UsageError(fmt::format(
          "--capacities entry '{}' is invalid: {} has no width or depth to set; write {}", spec,
          kind, kind));
    }
    const std::string size = spec.substr(colon + 1);
    const std::size_t times = size.find('x');
    model.width = parse_size(size.substr(0, times), spec, models::ModelSpec::kMaxWidth);
    if (times != std::string::npos) {
      model.depth = parse_size(size.substr(times + 1), spec, models::ModelSpec::kMaxDepth);
    }
  }
  model.validate();
  switch (model.kind) {
    case models::ModelSpec::Kind::kLogistic:
      entry.name = "logistic";
      entry.label = "logistic regression";
      break;
    case models::ModelSpec::Kind::kMlp:
      entry.name = model.depth == 1 ? fmt::format("mlp-w{}", model.width)
                                    : fmt::format("mlp-w{}x{}", model.width, model.depth);
      entry.label = model.depth == 1 ? fmt::format("MLP {} wide", model.width)
                                     : fmt::format("MLP {} wide, {} layers", model.width, model.depth);
      break;
    case models::ModelSpec::Kind::kResNet:
      entry.name = fmt::format("resnet-w{}x{}", model.width, model.depth);
      entry.label = fmt::format("ResNet {} wide, {} block{}", model.width, model.depth,
                                model.depth == 1 ? "" : "s");
      break;
    case models::ModelSpec::Kind::kCnn:
      entry.name = "cnn";
      entry.label = "small CNN";
      break;
    case models::ModelSpec::Kind::kResNet1d:
      entry.name = fmt::format("resnet1d-w{}x{}", model.width, model.depth);
      entry.label = fmt::format("1-D ResNet {} wide, {} block{}", model.width, model.depth,
                                model.depth == 1 ? "" : "s");
      break;
    case models::ModelSpec::Kind::kWideResNet:
      entry.name = fmt::format("wrn-{}-{}", model.depth, model.width);
      entry.label = fmt::format("WRN-{}-{}", model.depth, model.width);
      break;
  }
  return entry;
}

void reject_repeats(const std::vector<SweepRecipe>& recipes, const char* option) {
  std::set<std::string> names;
  for (const SweepRecipe& recipe : recipes) {
    if (!names.insert(recipe.name).second) {
      throw UsageError(fmt::format("{} lists '{}' twice: give each recipe once", option,
                                   recipe.label));
    }
  }
}

// Copies the plan files of `dir` into `sub` (a recipe's run folder) unless they are there. The
// plan is written once, so an existing copy is the same plan.
void copy_plan(const fs::path& dir, const fs::path& sub) {
  const RunLayout from{dir};
  const RunLayout to{sub};
  if (fs::exists(to.run_json())) return;
  fs::create_directories(to.pool_records().parent_path());
  // run.json last: it marks the copy complete.
  for (const auto& [source, target] :
       {std::pair{from.encoder_json(), to.encoder_json()},
        std::pair{from.media_npy(), to.media_npy()},
        std::pair{from.pool_records(), to.pool_records()},
        std::pair{from.test_records(), to.test_records()},
        std::pair{from.membership(), to.membership()},
        std::pair{from.run_json(), to.run_json()}}) {
    // A table run has no media.npy and a media run no encoder.json.
    if (fs::exists(source)) write_file_atomic(target, read_file(source));
  }
}

}  // namespace

std::vector<std::string> default_capacities() {
  return {"logistic", "mlp:16", "mlp:64", "mlp:256", "mlp:1024", "resnet:128x2"};
}

std::vector<double> default_epsilons() { return {1.0, 10.0, 100.0, 1000.0, kInfinity}; }

std::vector<SweepRecipe> capacity_recipes(const Recipe& base, std::span<const std::string> specs) {
  if (specs.empty()) {
    throw UsageError("--capacities is empty: list at least one model, such as logistic,mlp:64");
  }
  std::vector<SweepRecipe> recipes;
  for (const std::string& spec : specs) recipes.push_back(capacity_recipe(base, spec));
  reject_repeats(recipes, "--capacities");
  return recipes;
}

std::vector<SweepRecipe> epsilon_recipes(const Recipe& base, std::span<const double> epsilons) {
  if (epsilons.empty()) {
    throw UsageError("--epsilons is empty: list at least one epsilon, such as 1,10,inf");
  }
  if (base.model.kind != models::ModelSpec::Kind::kLogistic &&
      base.model.kind != models::ModelSpec::Kind::kMlp) {
    throw UsageError(fmt::format(
        "--epsilons trains by DP-SGD, which supports logistic and mlp models, not {}: choose "
        "--model logistic or mlp",
        models::to_string(base.model.kind)));
  }
  std::vector<SweepRecipe> recipes;
  for (const double epsilon : epsilons) {
    if (!(epsilon > 0.0)) {
      throw UsageError(fmt::format(
          "--epsilons entry {} is invalid: expected an epsilon > 0, or inf for training without "
          "DP-SGD, such as 1,10,100,1000,inf",
          epsilon));
    }
    SweepRecipe entry;
    entry.recipe = base;
    if (std::isinf(epsilon)) {
      entry.recipe.train.privacy = training::TrainOptions::Privacy::kOff;
      entry.recipe.train.dp_target_epsilon.reset();
      entry.recipe.train.dp_sampling_rate.reset();
      entry.recipe.train.dp_delta.reset();
      entry.name = "eps-inf";
      entry.label = "no DP-SGD";
    } else {
      if (entry.recipe.train.privacy == training::TrainOptions::Privacy::kOff) {
        entry.recipe.train.privacy = training::TrainOptions::Privacy::kPatient;
      }
      entry.recipe.train.dp_target_epsilon = epsilon;
      entry.name = fmt::format("eps-{:g}", epsilon);
      entry.label = fmt::format("epsilon {:g}", epsilon);
      entry.epsilon = epsilon;
    }
    entry.recipe.train.validate();
    recipes.push_back(std::move(entry));
  }
  reject_repeats(recipes, "--epsilons");
  return recipes;
}

nlohmann::json run_sweep_stage(const fs::path& dir, SweepKind kind,
                               const std::vector<SweepRecipe>& recipes,
                               const ExecutionOptions& execution, const AnalysisOptions& analysis,
                               const std::atomic<bool>* stop) {
  if (!is_planned(dir)) {
    throw UsageError(fmt::format("'{}' is not a planned run folder; run `privaudit sweep` with "
                                 "--input and --label, or `privaudit plan` first",
                                 dir.string()));
  }
  if (recipes.empty()) throw UsageError("the sweep has no recipes: give --capacities or --epsilons");
  analysis.validate();
  execution.validate();

  // 1. Each recipe in its own run folder on a copy of the plan.
  std::vector<nlohmann::json> summaries;
  for (std::size_t r = 0; r < recipes.size(); ++r) {
    const SweepRecipe& recipe = recipes[r];
    const fs::path sub = dir / "recipes" / recipe.name;
    spdlog::info("recipe {} of {}: {} ('{}')", r + 1, recipes.size(), recipe.label, sub.string());
    copy_plan(dir, sub);
    run_train_stage(sub, recipe.recipe, execution, stop);
    summaries.push_back(run_analyze_stage(sub, analysis));
    run_report_stage(sub);
  }

  // 2. The sweep's own files.
  const nlohmann::json sweep = sweep_json(dir, kind, recipes, summaries, analysis);
  write_file_atomic(dir / "sweep.json", sweep.dump(2) + "\n");
  write_file_atomic(dir / "sweep.csv", sweep_csv(sweep));
  report::write_sweep_report(dir / "report.html", sweep);
  return sweep;
}

}  // namespace privaudit::run
