#include "cli/config_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <toml++/toml.h>

#include "core/error.h"

namespace privaudit::cli {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
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
                                           const std::set<std::string>& subcommand_options,
                                           const std::set<std::string>& all_options,
                                           const std::set<std::string>& flag_options) {
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
    if (!all_options.count(key)) {
      const std::string suggestion = closest_name(key, all_options);
      throw UsageError(fmt::format("{}: unknown key '{}'{}; keys are option names without the leading "
                                   "dashes (see `privaudit SUBCOMMAND --help`)",
                                   where(path, key_source), key,
                                   suggestion.empty() ? "" : fmt::format(" (did you mean '{}'?)", suggestion)));
    }
    if (!seen.insert(key).second) {
      throw UsageError(fmt::format("{}: key '{}' is set twice in the file; keep one", where(path, key_source), key));
    }
    if (key == "config" || !subcommand_options.count(key) || given_on_command_line(args, key)) continue;

    if (flag_options.count(key)) {
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
    injected.push_back("--" + key + "=" + scalar_text(path, key, *node));
  }
  injected.insert(injected.end(), args.begin(), args.end());
  return injected;
}

}  // namespace privaudit::cli
