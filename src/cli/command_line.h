// The privaudit command line: subcommands, their options, the TOML config file merged under the
// arguments, and parse errors turned into messages that name the option and the fix.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/command_options.h"

namespace privaudit::cli {

class CommandLine {
 public:
  CommandLine();

  // Parses the arguments. Returns an exit code when the program should stop here (0 after --help
  // or --version) and nullopt when a subcommand should run. Throws UsageError for invalid
  // arguments, with the closest valid name for a typo.
  std::optional<int> parse(int argc, char** argv);

  // "plan", "train", "analyze", "report", "audit" or "sweep".
  const std::string& subcommand() const { return subcommand_; }
  CommandOptions& options() { return options_; }
  // True when any model or training option was given (on the command line or in the config file).
  bool recipe_given() const;
  // Long names (without dashes) of the data and plan options that were given.
  std::set<std::string> given_plan_options() const;

 private:
  [[noreturn]] void throw_parse_error(const CLI::ParseError& error, const std::vector<std::string>& args) const;
  CLI::App* find_subcommand(const std::string& name) const;
  // Gives --model resnet1d and wrn their own default depth and width unless given.
  void apply_model_defaults();

  CLI::App app_;
  CommandOptions options_;
  std::vector<CLI::App*> subcommands_;
  std::vector<CLI::Option*> recipe_options_;
  std::vector<CLI::Option*> plan_options_;
  std::string subcommand_;
};

}  // namespace privaudit::cli
