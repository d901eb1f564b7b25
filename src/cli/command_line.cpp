#include "cli/command_line.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "cli/config_file.h"
#include "core/error.h"
#include "core/version.h"

namespace privaudit::cli {

namespace fs = std::filesystem;

namespace {

// Long option names (without dashes) of a subcommand, and those that are switches.
void option_names(const CLI::App& app, std::set<std::string>& names, std::set<std::string>& flags) {
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      names.insert(name);
      if (option->get_expected_min() == 0) flags.insert(name);
    }
  }
}

std::string option_list_hint(const std::string& subcommand) {
  return subcommand.empty() ? "run `privaudit --help` for the subcommands"
                            : fmt::format("run `privaudit {} --help` for its options", subcommand);
}

}  // namespace

CommandLine::CommandLine()
    : app_(fmt::format("privaudit {}: per-record and per-patient membership-inference audit of a "
                       "training recipe",
                       kVersion),
           "privaudit") {
  app_.require_subcommand(1);
  app_.set_version_flag("--version", kVersion);
  app_.footer(
      "Exit codes: 0 success, 64 invalid option or argument, 65 invalid input file or run folder, "
      "70 internal error, 74 I/O error, 130 interrupted (rerun the same command to resume).\n"
      "Every option can also be set in a TOML file given with --config (key = option name without "
      "dashes); the command line overrides the file.");

  const auto add_common = [&](CLI::App* sub) {
    sub->add_option("--config", options_.config,
                    "TOML file with option values; relative paths in it are relative to the file");
    sub->add_option("--log-level", options_.log_level, "trace, debug, info, warn, error or off")
        ->capture_default_str();
  };

  CLI::App* plan = app_.add_subcommand("plan", "Read the table, draw the balanced plan and create the run folder");
  add_run_argument(*plan, options_);
  add_data_options(*plan, options_);
  add_plan_options(*plan, options_);
  add_media_options(*plan, options_);
  add_common(plan);

  CLI::App* train = app_.add_subcommand("train", "Train the run's models (resumes an interrupted run)");
  add_run_argument(*train, options_);
  recipe_options_ = add_recipe_options(*train, options_);
  add_execution_options(*train, options_);
  add_common(train);

  CLI::App* analyze = app_.add_subcommand("analyze", "Compute record and patient risk, the aggregate attacks and group disparity");
  add_run_argument(*analyze, options_);
  add_analysis_options(*analyze, options_);
  add_common(analyze);

  CLI::App* report = app_.add_subcommand("report", "Write the self-contained report.html of an analysed run");
  add_run_argument(*report, options_);
  add_common(report);

  CLI::App* audit = app_.add_subcommand(
      "audit", "Plan, train, analyze and report in one go; on an existing run folder, continue where it stopped");
  add_run_argument(*audit, options_);
  plan_options_ = add_data_options(*audit, options_);
  for (CLI::Option* option : add_plan_options(*audit, options_)) plan_options_.push_back(option);
  for (CLI::Option* option : add_media_options(*audit, options_)) plan_options_.push_back(option);
  for (CLI::Option* option : add_recipe_options(*audit, options_)) recipe_options_.push_back(option);
  add_execution_options(*audit, options_);
  add_analysis_options(*audit, options_);
  add_common(audit);

  CLI::App* sweep = app_.add_subcommand(
      "sweep",
      "Train and audit several recipes on one plan: model capacities or DP-SGD epsilons");
  add_run_argument(*sweep, options_);
  for (CLI::Option* option : add_data_options(*sweep, options_)) plan_options_.push_back(option);
  for (CLI::Option* option : add_plan_options(*sweep, options_)) plan_options_.push_back(option);
  for (CLI::Option* option : add_media_options(*sweep, options_)) plan_options_.push_back(option);
  for (CLI::Option* option : add_recipe_options(*sweep, options_)) recipe_options_.push_back(option);
  add_execution_options(*sweep, options_);
  add_analysis_options(*sweep, options_);
  add_sweep_options(*sweep, options_);
  add_common(sweep);

  subcommands_ = {plan, train, analyze, report, audit, sweep};
}

CLI::App* CommandLine::find_subcommand(const std::string& name) const {
  for (CLI::App* sub : subcommands_) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

bool CommandLine::recipe_given() const {
  return std::any_of(recipe_options_.begin(), recipe_options_.end(),
                     [](const CLI::Option* option) { return option->count() > 0; });
}

std::set<std::string> CommandLine::given_plan_options() const {
  std::set<std::string> names;
  for (const CLI::Option* option : plan_options_) {
    if (option->count() > 0) names.insert(option->get_lnames().front());
  }
  return names;
}

std::optional<int> CommandLine::parse(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);

  // 1. An unknown subcommand gets the closest name.
  if (!args.empty() && !args[0].empty() && args[0][0] != '-' && find_subcommand(args[0]) == nullptr) {
    std::set<std::string> names;
    for (CLI::App* sub : subcommands_) names.insert(sub->get_name());
    const std::string suggestion = closest_name(args[0], names);
    throw UsageError(fmt::format("unknown subcommand '{}'{}; the subcommands are plan, train, analyze, "
                                 "report, audit and sweep (run `privaudit --help`)",
                                 args[0], suggestion.empty() ? "" : fmt::format(" (did you mean '{}'?)", suggestion)));
  }

  // 2. Merge the config file (if any) under the arguments.
  CLI::App* sub = args.empty() ? nullptr : find_subcommand(args[0]);
  if (sub != nullptr) {
    std::string config_path;
    for (std::size_t k = 1; k < args.size(); ++k) {
      if (args[k] == "--config" && k + 1 < args.size()) config_path = args[k + 1];
      if (args[k].rfind("--config=", 0) == 0) config_path = args[k].substr(9);
    }
    if (!config_path.empty()) {
      if (!fs::is_regular_file(config_path)) {
        throw UsageError(fmt::format("--config '{}': file not found", config_path));
      }
      ConfigNames names;
      for (CLI::App* candidate : subcommands_) option_names(*candidate, names.all, names.flags);
      std::set<std::string> own_flags;
      option_names(*sub, names.subcommand, own_flags);
      names.paths = {"input", "pseudonymize-ids", "data-root"};
      std::vector<std::string> rest(args.begin() + 1, args.end());
      rest = merge_config_file(config_path, rest, names);
      rest.insert(rest.begin(), args[0]);
      args = rest;
    }
  }

  // 3. Parse; CLI11 takes the arguments reversed.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app_.parse(reversed);
  } catch (const CLI::CallForHelp& error) {
    return app_.exit(error);
  } catch (const CLI::CallForAllHelp& error) {
    return app_.exit(error);
  } catch (const CLI::CallForVersion& error) {
    return app_.exit(error);
  } catch (const CLI::ParseError& error) {
    throw_parse_error(error, args);
  }
  for (CLI::App* candidate : subcommands_) {
    if (candidate->parsed()) subcommand_ = candidate->get_name();
  }
  apply_model_defaults();
  return std::nullopt;
}

void CommandLine::apply_model_defaults() {
  const CLI::App* sub = find_subcommand(subcommand_);
  if (sub == nullptr) return;
  const auto given = [&](const char* name) {
    try {
      return sub->get_option(name)->count() > 0;
    } catch (const CLI::OptionNotFound&) {
      return false;
    }
  };
  // --width and --depth default to the MLP's 128 and 1; the convolutional models have their own
  // published sizes: a 3-block ResNet for ECGs and WRN-16-4 for images.
  if (options_.model_kind == "resnet1d" && !given("--depth")) options_.model.depth = 3;
  if (options_.model_kind == "wrn") {
    if (!given("--depth")) options_.model.depth = 16;
    if (!given("--width")) options_.model.width = 4;
  }
}

void CommandLine::throw_parse_error(const CLI::ParseError& error, const std::vector<std::string>& args) const {
  const std::string subcommand = args.empty() ? "" : args[0];
  const CLI::App* sub = find_subcommand(subcommand);
  std::set<std::string> own;
  std::set<std::string> own_flags;
  if (sub != nullptr) option_names(*sub, own, own_flags);

  // An unknown option: name it, with the closest option of this subcommand or the subcommands
  // that do take it.
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    for (const std::string& arg : args) {
      if (arg.rfind("--", 0) != 0) continue;
      const std::string name = arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
      if (own.count(name)) continue;
      std::vector<std::string> owners;
      for (CLI::App* candidate : subcommands_) {
        std::set<std::string> names;
        std::set<std::string> flags;
        option_names(*candidate, names, flags);
        if (names.count(name)) owners.push_back(candidate->get_name());
      }
      if (!owners.empty()) {
        throw UsageError(fmt::format("--{} is not an option of `privaudit {}`; it belongs to {}; {}", name,
                                     subcommand, fmt::join(owners, " and "), option_list_hint(subcommand)));
      }
      const std::string suggestion = closest_name(name, own);
      throw UsageError(fmt::format("unknown option --{}{}; {}", name,
                                   suggestion.empty() ? "" : fmt::format(" (did you mean --{}?)", suggestion),
                                   option_list_hint(subcommand)));
    }
  }
  std::string message = error.what();
  const std::string repeated = ": At Most 1 required but received";
  if (const auto at = message.find(repeated); at != std::string::npos) {
    message = fmt::format("{} is given more than once; give it once", message.substr(0, at));
  }
  throw UsageError(fmt::format("{}; {}", message, option_list_hint(sub != nullptr ? subcommand : "")));
}

}  // namespace privaudit::cli
