// privaudit command line: parses options (command line over TOML config file), runs the stages and
// maps each error kind to its exit code. Logs and progress go to stderr; stdout gets only the
// final summary.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "cli/command_options.h"
#include "cli/config_file.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/version.h"
#include "run/analyze_stage.h"
#include "run/options_json.h"
#include "run/plan_stage.h"
#include "run/run_layout.h"
#include "run/summary_text.h"
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

// Long option names (without dashes) of a subcommand, and those that are switches.
void option_names(const CLI::App& app, std::set<std::string>& names, std::set<std::string>& flags) {
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      names.insert(name);
      if (option->get_expected_min() == 0) flags.insert(name);
    }
  }
}

bool any_given(const std::vector<CLI::Option*>& options) {
  for (const CLI::Option* option : options) {
    if (option->count() > 0) return true;
  }
  return false;
}

// True when the planned run in `dir` was made from the same data and plan options.
void check_same_plan(const fs::path& dir, const CommandOptions& options) {
  const auto recorded = nlohmann::json::parse(privaudit::read_file(privaudit::run::RunLayout{dir}.run_json()));
  privaudit::data::DataOptions data = options.data;
  data.input = fs::absolute(data.input).string();
  const auto requested_data = privaudit::run::data_options_to_json(data);
  const auto requested_plan = privaudit::run::plan_options_to_json(options.plan);
  if (recorded.at("data") != requested_data || recorded.at("plan") != requested_plan) {
    throw privaudit::UsageError(fmt::format(
        "run folder '{}' was planned with other data or plan options (see its run.json); repeat "
        "those options to resume it, or choose a new run folder",
        dir.string()));
  }
}

int run_cli(int argc, char** argv) {
  CLI::App app{fmt::format(
      "privaudit {}: per-record and per-patient membership-inference audit of a training recipe",
      privaudit::kVersion)};
  app.require_subcommand(1);
  app.set_version_flag("--version", privaudit::kVersion);
  app.footer(
      "Exit codes: 0 success, 64 invalid option, 65 invalid input, 70 internal error, 74 I/O error, "
      "130 interrupted (rerun the same command to resume).\n"
      "Every option can also be set in a TOML file given with --config (key = option name without "
      "dashes); the command line overrides the file.");

  CommandOptions options;
  struct Subcommand {
    CLI::App* app;
    std::vector<CLI::Option*> recipe;
  };
  const auto add_common = [&](CLI::App* sub) {
    sub->add_option("--config", options.config, "TOML file with option values");
    sub->add_option("--log-level", options.log_level, "trace, debug, info, warn, error or off")
        ->capture_default_str();
  };

  CLI::App* plan = app.add_subcommand("plan", "Read the table, draw the balanced plan and create the run folder");
  add_run_argument(*plan, options);
  add_data_options(*plan, options);
  add_plan_options(*plan, options);
  add_common(plan);

  CLI::App* train = app.add_subcommand("train", "Train the run's models (resumes an interrupted run)");
  add_run_argument(*train, options);
  const auto train_recipe = add_recipe_options(*train, options);
  add_execution_options(*train, options);
  add_common(train);

  CLI::App* analyze = app.add_subcommand("analyze", "Compute record and patient risk and the aggregate attacks");
  add_run_argument(*analyze, options);
  add_analysis_options(*analyze, options);
  add_common(analyze);

  CLI::App* audit = app.add_subcommand("audit", "Plan, train and analyze in one go (resumes an existing run)");
  add_run_argument(*audit, options);
  add_data_options(*audit, options);
  add_plan_options(*audit, options);
  add_recipe_options(*audit, options);
  add_execution_options(*audit, options);
  add_analysis_options(*audit, options);
  add_common(audit);

  // 1. Merge the config file (if any) into the arguments, then parse.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty()) {
    std::string config_path;
    for (std::size_t k = 1; k < args.size(); ++k) {
      if (args[k] == "--config" && k + 1 < args.size()) config_path = args[k + 1];
      if (args[k].rfind("--config=", 0) == 0) config_path = args[k].substr(9);
    }
    CLI::App* sub = nullptr;
    for (CLI::App* candidate : {plan, train, analyze, audit}) {
      if (candidate->get_name() == args[0]) sub = candidate;
    }
    if (sub != nullptr && !config_path.empty()) {
      if (!fs::is_regular_file(config_path)) {
        throw privaudit::UsageError(fmt::format("--config '{}': file not found", config_path));
      }
      std::set<std::string> all;
      std::set<std::string> flags;
      std::set<std::string> own;
      std::set<std::string> own_flags;
      for (CLI::App* candidate : {plan, train, analyze, audit}) option_names(*candidate, all, flags);
      option_names(*sub, own, own_flags);
      std::vector<std::string> rest(args.begin() + 1, args.end());
      rest = privaudit::cli::merge_config_file(config_path, rest, own, all, flags);
      rest.insert(rest.begin(), args[0]);
      args = rest;
    }
  }
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector.
  try {
    app.parse(args);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : kExitUsage;
  }

  set_up_logging(options.log_level);
  options.resolve();
  install_signal_handlers();
  const fs::path dir = options.run_dir;

  // 2. Run the requested stages.
  if (plan->parsed()) {
    privaudit::run::run_plan_stage(dir, options.data, options.plan);
    std::cout << fmt::format("planned run '{}'; next: privaudit train {}\n", dir.string(), dir.string());
    return 0;
  }
  if (train->parsed()) {
    std::optional<privaudit::run::Recipe> recipe;
    if (any_given(train_recipe)) recipe = privaudit::run::Recipe{options.model, options.train};
    privaudit::run::run_train_stage(dir, recipe, options.execution, &stop_requested);
    std::cout << fmt::format("trained run '{}'; next: privaudit analyze {}\n", dir.string(), dir.string());
    return 0;
  }
  if (analyze->parsed()) {
    const auto summary = privaudit::run::run_analyze_stage(dir, options.analysis);
    std::cout << privaudit::run::format_summary(summary);
    return 0;
  }
  // audit: each stage that is already complete is skipped.
  options.analysis.validate();
  options.analysis.attacks.validate_for_models(options.plan.models);
  options.model.validate();
  options.train.validate();
  if (privaudit::run::is_planned(dir)) {
    check_same_plan(dir, options);
    spdlog::info("run folder '{}' is already planned; continuing it", dir.string());
  } else {
    privaudit::run::run_plan_stage(dir, options.data, options.plan);
  }
  privaudit::run::run_train_stage(dir, privaudit::run::Recipe{options.model, options.train}, options.execution,
                                  &stop_requested);
  const auto summary = privaudit::run::run_analyze_stage(dir, options.analysis);
  std::cout << privaudit::run::format_summary(summary);
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
