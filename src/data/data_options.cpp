#include "data/data_options.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::data {

namespace {

// A list option with its command-line spelling, for messages.
struct NamedList {
  std::string_view option;
  const std::vector<std::string>* names;
};

// Throws UsageError on an empty entry or a column named twice in one list option.
void check_list(const NamedList& list) {
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < list.names->size(); ++i) {
    const std::string& name = (*list.names)[i];
    if (name.empty()) {
      throw UsageError(
          fmt::format("{} entry {} is empty: expected a column name.", list.option, i + 1));
    }
    if (!seen.insert(name).second) {
      throw UsageError(
          fmt::format("{} names column '{}' twice. List each column once.", list.option, name));
    }
  }
}

bool contains(const std::vector<std::string>& list, std::string_view name) {
  for (const std::string& entry : list) {
    if (entry == name) {
      return true;
    }
  }
  return false;
}

// Throws UsageError when `name`, which has the role described by `role_option`, is also listed in
// any of `lists`.
void check_not_listed(std::string_view name, std::string_view role_option,
                      std::initializer_list<NamedList> lists) {
  for (const NamedList& list : lists) {
    if (contains(*list.names, name)) {
      throw UsageError(
          fmt::format("column '{}' is given to {} and also listed in {}: one column "
                      "cannot have both roles. Remove it from {}.",
                      name, role_option, list.option, list.option));
    }
  }
}

// Throws UsageError when a type override names a column that will not be a feature.
void check_override(const DataOptions& options, std::string_view option,
                    const std::vector<std::string>& overrides) {
  for (const std::string& name : overrides) {
    if (!options.features.empty()) {
      if (!contains(options.features, name)) {
        throw UsageError(
            fmt::format("{} names '{}', which is not in --features: a type override "
                        "applies only to feature columns. Add '{}' to --features or "
                        "remove it from {}.",
                        option, name, name, option));
      }
    } else if (contains(options.exclude, name)) {
      throw UsageError(
          fmt::format("{} names '{}', which --exclude removes from the features: a "
                      "type override applies only to feature columns. Remove it "
                      "from one of the two options.",
                      option, name));
    } else if (contains(options.attributes, name)) {
      throw UsageError(
          fmt::format("{} names '{}', which is an attribute and therefore not a "
                      "feature: a type override applies only to feature columns. "
                      "List '{}' in --features too, or remove it from {}.",
                      option, name, name, option));
    }
  }
}

}  // namespace

std::vector<LabelMapEntry> parse_label_map(const std::vector<std::string>& entries) {
  std::vector<LabelMapEntry> parsed;
  std::unordered_map<std::string_view, std::size_t> value_index;
  std::unordered_set<std::string_view> classes;
  parsed.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i];
    const std::size_t equals = entry.rfind('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == entry.size()) {
      throw UsageError(
          fmt::format("--label-map entry {} '{}' is invalid: expected VALUE=CLASS "
                      "with a non-empty VALUE and CLASS, for example '0=none' or "
                      "'*=other'.",
                      i + 1, entry));
    }
    parsed.push_back(LabelMapEntry{entry.substr(0, equals), entry.substr(equals + 1)});
  }
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const auto [it, inserted] = value_index.emplace(parsed[i].value, i);
    if (!inserted) {
      throw UsageError(
          fmt::format("--label-map maps value '{}' twice ('{}' and '{}'). Keep one "
                      "of the two entries.",
                      parsed[i].value, entries[it->second], entries[i]));
    }
    classes.insert(parsed[i].class_name);
  }
  if (!parsed.empty() && classes.size() < 2) {
    throw UsageError(
        fmt::format("--label-map puts every value into the one class '{}': an audit "
                    "needs at least two classes. Map the values to two or more "
                    "classes.",
                    parsed.front().class_name));
  }
  return parsed;
}

void DataOptions::validate() const {
  // 1. Required fields and ranges.
  if (input.empty()) {
    throw UsageError("--input is empty: expected the path of a CSV file.");
  }
  if (label.empty() && multi_label.empty()) {
    throw UsageError(
        "--label is empty: expected the name of the label column (or --multi-label with several "
        "0/1 label columns).");
  }
  if (!label.empty() && !multi_label.empty()) {
    throw UsageError(fmt::format(
        "--label '{}' and --multi-label are both given: a task has one label column or several "
        "0/1 columns, so give one of them",
        label));
  }
  if (!multi_label.empty() && !label_map.empty()) {
    throw UsageError("--label-map does not apply to --multi-label columns, which hold 0 or 1: "
                     "leave --label-map out");
  }
  if (min_level_count < 1) {
    throw UsageError(fmt::format("--min-level-count is {}: expected at least 1.", min_level_count));
  }
  if (max_classes < 2) {
    throw UsageError(
        fmt::format("--max-classes is {}: expected at least 2, because an audit "
                    "needs two classes.",
                    max_classes));
  }
  parse_label_map(label_map);

  // 2. Each list names distinct, non-empty columns.
  const NamedList features_list{"--features", &features};
  const NamedList exclude_list{"--exclude", &exclude};
  const NamedList attributes_list{"--attributes", &attributes};
  const NamedList categorical_list{"--categorical", &categorical};
  const NamedList numeric_list{"--numeric", &numeric};
  const NamedList multi_label_list{"--multi-label", &multi_label};
  for (const NamedList& list : {features_list, exclude_list, attributes_list, categorical_list,
                                numeric_list, multi_label_list}) {
    check_list(list);
  }
  for (const std::string& name : multi_label) {
    check_not_listed(name, "--multi-label", {features_list, exclude_list, categorical_list, numeric_list});
    if (name == patient_id || name == media_column) {
      throw UsageError(fmt::format(
          "column '{}' is a --multi-label column and the patient id or file column; give each "
          "role its own column",
          name));
    }
  }

  // 3. Conflicting roles. The label may be an attribute, so that risk can be compared by class.
  if (!patient_id.empty() && patient_id == label) {
    throw UsageError(
        fmt::format("column '{}' is given to both --label and --patient-id. Choose "
                    "a different column for one of them.",
                    label));
  }
  check_not_listed(label, "--label", {features_list, exclude_list, categorical_list, numeric_list});
  if (!patient_id.empty()) {
    check_not_listed(
        patient_id, "--patient-id",
        {features_list, exclude_list, attributes_list, categorical_list, numeric_list});
  }
  for (const std::string& name : features) {
    check_not_listed(name, "--features", {exclude_list});
  }
  for (const std::string& name : categorical) {
    check_not_listed(name, "--categorical", {numeric_list});
  }

  // 4. Type overrides must reach a feature column.
  check_override(*this, "--categorical", categorical);
  check_override(*this, "--numeric", numeric);

  // 5. A manifest's features come from its files.
  if (!media_column.empty()) {
    for (const NamedList& list : {features_list, categorical_list, numeric_list}) {
      if (!list.names->empty()) {
        throw UsageError(fmt::format(
            "{} cannot be used with --path-column: a manifest's features come from its files. "
            "Leave {} out",
            list.option, list.option));
      }
    }
    check_not_listed(media_column, "--path-column", {attributes_list});
    if (media_column == label || media_column == patient_id) {
      throw UsageError(fmt::format(
          "column '{}' is given to --path-column and to --label or --patient-id; the file column "
          "must be a column of its own",
          media_column));
    }
  }
}

}  // namespace privaudit::data
