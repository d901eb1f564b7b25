#include "cli/config_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <toml++/toml.h>

#include "core/error.h"

namespace privaudit::cli {

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring characters each cost 1, so "plna" is one edit from "plan".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// True when `args` sets --name (as "--name", "--name=value").
bool given_on_command_line(const std::vector<std::string>& args, const std::string& name) {
  const std::string flag = "--" + name;
  return std::any_of(args.begin(), args.end(), [&](const std::string& arg) {
    return arg == flag || arg.rfind(flag + "=", 0) == 0;
  });
}

std::string where(const std::string& path, const toml::source_region& source) {
  return fmt::format("{}:{}:{}", path, source.begin.line, source.begin.column);
}

// Converts a scalar TOML value to the text the command line would carry.
std::string scalar_text(const std::string& path, const std::string& key, const toml::node& node) {
  if (auto text = node.value<std::string>(); node.is_string()) return *text;
  if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
  if (node.is_floating_point()) return fmt::format("{}", *node.value<double>());
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  throw UsageError(fmt::format("{}: key '{}' has a value of an unsupported type; use a string, number, "
                               "boolean or an array of them",
                               where(path, node.source()), key));
}

struct Setting {
  std::string key;
  const toml::node* node;
  toml::source_region key_source;  // where the key is written, for messages
};

// Collects key = value pairs from the document and its tables, depth first.
void collect(const toml::table& table, std::vector<Setting>& out) {
  for (const auto& [key, node] : table) {
    if (const toml::table* nested = node.as_table()) {
      collect(*nested, out);
    } else {
      out.push_back({std::string(key.str()), &node, key.source()});
    }
  }
}

}  // namespace

std::string closest_name(const std::string& name, const std::set<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, name.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::vector<std::string> merge_config_file(const std::string& path, const std::vector<std::string>& args,
                                           const ConfigNames& names) {
  toml::table document;
  try {
    document = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    const auto& source = error.source();
    throw UsageError(fmt::format("config file {}:{}:{}: {}; fix the TOML syntax", path, source.begin.line,
                                 source.begin.column, error.description()));
  }

  std::vector<Setting> settings;
  collect(document, settings);
  std::vector<std::string> injected;
  std::set<std::string> seen;
  for (const auto& [key, node, key_source] : settings) {
    if (!names.all.count(key)) {
      const std::string suggestion = closest_name(key, names.all);
      throw UsageError(fmt::format("{}: unknown key '{}'{}; keys are option names without the leading "
                                   "dashes (see `privaudit SUBCOMMAND --help`)",
                                   where(path, key_source), key,
                                   suggestion.empty() ? "" : fmt::format(" (did you mean '{}'?)", suggestion)));
    }
    if (!seen.insert(key).second) {
      throw UsageError(fmt::format("{}: key '{}' is set twice in the file; keep one", where(path, key_source), key));
    }
    if (key == "config" || !names.subcommand.count(key) || given_on_command_line(args, key)) continue;

    if (names.flags.count(key)) {
      if (!node->is_boolean()) {
        throw UsageError(fmt::format("{}: key '{}' is a switch; set it to true or false", where(path, key_source), key));
      }
      if (*node->value<bool>()) injected.push_back("--" + key);
      continue;
    }
    if (const toml::array* array = node->as_array()) {
      for (const auto& element : *array) injected.push_back("--" + key + "=" + scalar_text(path, key, element));
      continue;
    }
    std::string value = scalar_text(path, key, *node);
    if (names.paths.count(key) && !value.empty() && std::filesystem::path(value).is_relative()) {
      value = (std::filesystem::path(path).parent_path() / value).lexically_normal().string();
    }
    injected.push_back("--" + key + "=" + value);
  }
  injected.insert(injected.end(), args.begin(), args.end());
  return injected;
}

}  // namespace privaudit::cli
