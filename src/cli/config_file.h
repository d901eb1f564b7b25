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

// Returns `args` (the arguments after the subcommand name) with the file's settings inserted in
// front as command-line arguments, leaving out options that `args` already sets.
// `subcommand_options`: long names accepted by this subcommand; `all_options`: long names accepted
// by any subcommand; `flag_options`: those that take no value. Throws UsageError naming the file,
// line and key for a parse error, an unknown key (with the closest known name) or a value of the
// wrong type.
std::vector<std::string> merge_config_file(const std::string& path, const std::vector<std::string>& args,
                                           const std::set<std::string>& subcommand_options,
                                           const std::set<std::string>& all_options,
                                           const std::set<std::string>& flag_options);

// The closest name by edit distance, or "" when none is within a third of the name's length.
std::string closest_name(const std::string& name, const std::set<std::string>& candidates);

}  // namespace privaudit::cli
