// TOML configuration files for the command line. Every command-line option can also be set in a
// TOML file given with --config: the key is the option's long name without dashes (`epochs = 30`
// for --epochs), optionally grouped in tables such as [data] or [training], which only organise the
// file. Values given on the command line override the file. One file can serve every subcommand:
// keys that belong to another subcommand are skipped, and unknown keys are errors.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace privaudit::cli {

// Option names (long names without dashes) that decide how a config file's keys are read.
struct ConfigNames {
  std::set<std::string> subcommand;  // accepted by the subcommand being run
  std::set<std::string> all;         // accepted by any subcommand; other keys are errors
  std::set<std::string> flags;       // switches that take no value
  std::set<std::string> paths;       // file paths: a relative value is taken relative to the file
};

// Returns `args` (the arguments after the subcommand name) with the file's settings inserted in
// front as command-line arguments ("--key=value"), leaving out options that `args` already sets.
// Throws UsageError naming the file, line and key for a parse error, an unknown key (with the
// closest known name) or a value of the wrong type.
std::vector<std::string> merge_config_file(const std::string& path, const std::vector<std::string>& args,
                                           const ConfigNames& names);

// The closest name by edit distance, or "" when none is within a third of the name's length.
std::string closest_name(const std::string& name, const std::set<std::string>& candidates);

}  // namespace privaudit::cli
