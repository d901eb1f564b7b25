// privaudit command line: parses options (command line over TOML config file), runs the stages and
// maps each error kind to its exit code. Logs and progress go to stderr; stdout gets only the
// final summary.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "cli/command_line.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/version.h"
#include "run/analyze_stage.h"
#include "run/options_json.h"
#include "run/plan_stage.h"
#include "run/report_stage.h"
#include "run/run_layout.h"
#include "run/summary_text.h"
#include "run/sweep_stage.h"
#include "run/train_stage.h"

namespace {

namespace fs = std::filesystem;
using privaudit::cli::CommandOptions;

// Exit codes follow BSD sysexits.h, so scripts can tell the kinds apart.
constexpr int kExitUsage = 64;     // EX_USAGE: invalid option or argument
constexpr int kExitInput = 65;     // EX_DATAERR: invalid input file or run folder
constexpr int kExitInternal = 70;  // EX_SOFTWARE: a bug in privaudit
constexpr int kExitIo = 74;        // EX_IOERR: reading or writing failed
constexpr int kExitInterrupted = 130;

std::atomic<bool> stop_requested{false};

extern "C" void on_signal(int signal_number) {
  stop_requested.store(true);
  // A second Ctrl-C ends the process at once.
  std::signal(signal_number, SIG_DFL);
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void set_up_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("privaudit");
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    throw privaudit::UsageError(fmt::format(
        "--log-level '{}' is invalid: expected trace, debug, info, warn, error or off", level));
  }
  spdlog::set_level(parsed);
}

// Compares the data, plan and media options given for `audit` or `sweep` with those recorded when
// `dir` was planned, and names the first that differs. Options that were not given are taken
// from the run.
void check_same_plan(const fs::path& dir, const CommandOptions& options, const std::set<std::string>& given) {
  auto recorded = nlohmann::json::parse(privaudit::read_file(privaudit::run::RunLayout{dir}.run_json()));
  privaudit::data::DataOptions data = options.data;
  if (!data.input.empty()) data.input = fs::absolute(data.input).lexically_normal().string();
  privaudit::media::MediaOptions media = options.media;
  if (!media.data_root.empty() && fs::is_directory(media.data_root)) {
    media.data_root = fs::canonical(media.data_root).string();
  }
  nlohmann::json requested = {{"data", privaudit::run::data_options_to_json(data)},
                              {"plan", privaudit::run::plan_options_to_json(options.plan)},
                              {"media", media.to_json()}};
  // Run folders planned from a table record "media": null, that is modality table.
  nlohmann::json recorded_media = recorded.value("media", nlohmann::json());
  if (!recorded_media.is_object()) recorded_media = privaudit::media::MediaOptions{}.to_json();
  recorded["media"] = recorded_media;
  // Option names whose recorded key differs from the name with '-' -> '_'.
  const std::map<std::string, std::string> renamed = {
      {"path-column", "media_column"}, {"ecg-rate", "ecg_rate_hz"},
      {"ecg-npy-layout", "npy_layout"}, {"ecg-npy-rate", "npy_rate_hz"},
      {"image-channels", "channels"}};
  for (const std::string& name : given) {
    std::string key = name;
    std::replace(key.begin(), key.end(), '-', '_');
    if (const auto it = renamed.find(name); it != renamed.end()) key = it->second;
    for (const char* section : {"data", "plan", "media"}) {
      if (!requested.at(section).contains(key)) continue;
      const nlohmann::json old_value = recorded.value(section, nlohmann::json::object()).value(key, nlohmann::json());
      const auto& new_value = requested.at(section).at(key);
      if (old_value != new_value) {
        throw privaudit::UsageError(fmt::format(
            "run folder '{}' was planned with --{} {}, not {}; repeat the recorded value or leave the "
            "option out to continue this run, or choose a new run folder",
            dir.string(), name, old_value.dump(), new_value.dump()));
      }
    }
  }
}

// Removes a run folder that this invocation planned when no model file was written into it.
void remove_unstarted_run(const fs::path& dir) {
  const fs::path models = privaudit::run::RunLayout{dir}.models_dir();
  std::error_code error;
  if (fs::exists(models) && !fs::is_empty(models, error)) return;
  fs::remove_all(dir, error);
  if (error) spdlog::warn("could not remove the unused run folder '{}': {}", dir.string(), error.message());
}

// Rejects --gallery for a table audit before anything is planned or trained: the planned run's
// recorded modality when `dir` is planned, else the requested one.
void check_gallery_early(const fs::path& dir, const CommandOptions& options) {
  if (!options.analysis.gallery) return;
  bool table = options.media.modality == privaudit::media::MediaOptions::Modality::kTable;
  if (privaudit::run::is_planned(dir)) {
    const auto recorded =
        nlohmann::json::parse(privaudit::read_file(privaudit::run::RunLayout{dir}.run_json()));
    table = !recorded.value("media", nlohmann::json()).is_object();
  }
  if (table) {
    throw privaudit::UsageError(
        "--gallery is for ECG and image audits (--modality ecg or image): a feature table has no "
        "images or traces to show; leave out --gallery");
  }
}

// Prints the summary and fails when stdout cannot take it (a full disk, a closed pipe).
void print_to_stdout(const std::string& text) {
  std::cout << text;
  std::cout.flush();
  if (!std::cout) throw privaudit::IoError("writing the summary to stdout failed");
}

// sweep: plan unless already planned, then train, analyze and report each recipe.
int run_sweep(privaudit::cli::CommandLine& command_line, CommandOptions& options, const fs::path& dir) {
  namespace run = privaudit::run;
  options.analysis.validate();
  options.execution.validate();
  check_gallery_early(dir, options);
  if (!options.capacities.empty() && !options.epsilons.empty()) {
    throw privaudit::UsageError(
        "give --capacities or --epsilons, not both: a sweep varies one thing at a time");
  }
  const run::Recipe base{options.model, options.train};
  base.model.validate();
  base.train.validate();
  const run::SweepKind kind =
      options.epsilons.empty() ? run::SweepKind::kCapacity : run::SweepKind::kEpsilon;
  const std::vector<run::SweepRecipe> recipes =
      kind == run::SweepKind::kCapacity
          ? run::capacity_recipes(base, options.capacities.empty() ? run::default_capacities()
                                                                    : options.capacities)
          : run::epsilon_recipes(base, privaudit::cli::parse_epsilons(options.epsilons));
  if (run::is_planned(dir)) {
    check_same_plan(dir, options, command_line.given_plan_options());
    spdlog::info("run folder '{}' is already planned; continuing its sweep", dir.string());
  } else {
    options.analysis.attacks.validate_for_models(options.plan.models);
    run::run_plan_stage(dir, options.data, options.plan, options.media);
  }
  const nlohmann::json sweep =
      run::run_sweep_stage(dir, kind, recipes, options.execution, options.analysis, &stop_requested);
  print_to_stdout(run::format_sweep_summary(sweep) +
                  fmt::format("Sweep: {}/sweep.json, {}/sweep.csv\nReport: {}\n", dir.string(),
                              dir.string(), (dir / "report.html").string()));
  return 0;
}

int run_cli(int argc, char** argv) {
  privaudit::cli::CommandLine command_line;
  if (const auto exit_code = command_line.parse(argc, argv)) return *exit_code;
  CommandOptions& options = command_line.options();
  const std::string& subcommand = command_line.subcommand();

  set_up_logging(options.log_level);
  options.resolve();
  install_signal_handlers();
  const fs::path dir = options.run_dir;

  if (subcommand == "plan") {
    privaudit::run::run_plan_stage(dir, options.data, options.plan, options.media);
    print_to_stdout(fmt::format("planned run '{}'; next: privaudit train {}\n", dir.string(), dir.string()));
    return 0;
  }
  if (subcommand == "train") {
    std::optional<privaudit::run::Recipe> recipe;
    if (command_line.recipe_given()) recipe = privaudit::run::Recipe{options.model, options.train};
    privaudit::run::run_train_stage(dir, recipe, options.execution, &stop_requested);
    print_to_stdout(fmt::format("trained run '{}'; next: privaudit analyze {}\n", dir.string(), dir.string()));
    return 0;
  }
  if (subcommand == "analyze") {
    print_to_stdout(privaudit::run::format_summary(privaudit::run::run_analyze_stage(dir, options.analysis)));
    return 0;
  }
  if (subcommand == "report") {
    const fs::path report = privaudit::run::run_report_stage(dir);
    print_to_stdout(fmt::format("wrote {}\n", report.string()));
    return 0;
  }

  if (subcommand == "sweep") return run_sweep(command_line, options, dir);

  // audit: plan unless already planned, then train what is missing, then analyze.
  options.analysis.validate();
  options.execution.validate();
  check_gallery_early(dir, options);
  bool planned_now = false;
  if (privaudit::run::is_planned(dir)) {
    check_same_plan(dir, options, command_line.given_plan_options());
    spdlog::info("run folder '{}' is already planned; continuing it", dir.string());
  } else {
    options.analysis.attacks.validate_for_models(options.plan.models);
    options.model.validate();
    options.train.validate();
    privaudit::run::run_plan_stage(dir, options.data, options.plan, options.media);
    planned_now = !fs::exists(privaudit::run::RunLayout{dir}.models_dir());
  }
  std::optional<privaudit::run::Recipe> recipe;
  if (command_line.recipe_given()) recipe = privaudit::run::Recipe{options.model, options.train};
  try {
    privaudit::run::run_train_stage(dir, recipe, options.execution, &stop_requested);
  } catch (const privaudit::UsageError&) {
    // A recipe rejected before any model was trained (an unreachable --target-epsilon, DP-SGD
    // with a resnet) leaves no half-made run folder behind.
    if (planned_now) remove_unstarted_run(dir);
    throw;
  }
  const nlohmann::json summary = privaudit::run::run_analyze_stage(dir, options.analysis);
  const fs::path report = privaudit::run::run_report_stage(dir);
  print_to_stdout(privaudit::run::format_summary(summary) + fmt::format("Report: {}\n", report.string()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_cli(argc, argv);
  } catch (const privaudit::UsageError& error) {
    std::fprintf(stderr, "privaudit: error: %s\n", error.what());
    return kExitUsage;
  } catch (const privaudit::InputError& error) {
    std::fprintf(stderr, "privaudit: error: %s\n", error.what());
    return kExitInput;
  } catch (const privaudit::IoError& error) {
    std::fprintf(stderr, "privaudit: error: %s\n", error.what());
    return kExitIo;
  } catch (const privaudit::Interrupted& error) {
    std::fprintf(stderr, "privaudit: %s\n", error.what());
    return kExitInterrupted;
  } catch (const std::exception& error) {
    std::fprintf(stderr,
                 "privaudit: internal error: %s\nThis is a bug in privaudit; please report it with the "
                 "command line that triggered it.\n",
                 error.what());
    return kExitInternal;
  }
}
