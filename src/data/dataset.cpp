#include "data/dataset.h"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "core/error.h"
#include "data/column_lookup.h"
#include "data/number_parse.h"
#include "data/quote_text.h"

namespace privaudit::data {

namespace {

// A categorical feature with more distinct values than this, and more than half as many distinct
// values as rows, is treated as an identifier: one-hot encoding it would only memorise records.
constexpr std::size_t kIdentifierMinDistinct = 50;

// Minimum percentage of a column's non-missing values that parse as numbers (non-finite ones
// included) for a categorical inference to be reported as a likely data error, not a text column.
constexpr std::size_t kMostlyNumericPercent = 90;

using Column = std::vector<std::optional<std::string>>;

std::string describe(const std::optional<std::string>& value) {
  return value ? quote_text(*value) : std::string("(missing)");
}

// Column indices of every column an option names. Checks that each exists.
struct ResolvedColumns {
  std::size_t label = 0;
  std::optional<std::size_t> patient_id;
  std::vector<std::size_t> features;
  std::vector<std::size_t> attributes;
  std::unordered_set<std::size_t> categorical;
  std::unordered_set<std::size_t> numeric;
  std::optional<std::size_t> media;  // the --path-column of a manifest
  std::vector<std::size_t> multi_label;
};

ResolvedColumns resolve_columns(const CsvTable& table, const DataOptions& options) {
  ResolvedColumns resolved;
  if (!options.label.empty()) {
    resolved.label = resolve_column(table, options.label, "--label");
  }
  for (const std::string& name : options.multi_label) {
    resolved.multi_label.push_back(resolve_column(table, name, "--multi-label"));
  }
  if (!options.patient_id.empty()) {
    resolved.patient_id = resolve_column(table, options.patient_id, "--patient-id");
  }
  std::vector<std::size_t> explicit_features;
  for (const std::string& name : options.features) {
    explicit_features.push_back(resolve_column(table, name, "--features"));
  }
  std::unordered_set<std::size_t> excluded;
  for (const std::string& name : options.exclude) {
    excluded.insert(resolve_column(table, name, "--exclude"));
  }
  for (const std::string& name : options.attributes) {
    resolved.attributes.push_back(resolve_column(table, name, "--attributes"));
  }
  for (const std::string& name : options.categorical) {
    resolved.categorical.insert(resolve_column(table, name, "--categorical"));
  }
  for (const std::string& name : options.numeric) {
    resolved.numeric.insert(resolve_column(table, name, "--numeric"));
  }

  if (!explicit_features.empty()) {
    resolved.features = std::move(explicit_features);
    return resolved;
  }
  if (!options.media_column.empty()) {
    resolved.media = resolve_column(table, options.media_column, "--path-column");
    return resolved;
  }
  const std::unordered_set<std::size_t> attributes(resolved.attributes.begin(),
                                                   resolved.attributes.end());
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const bool label_column =
        options.multi_label.empty()
            ? c == resolved.label
            : std::find(resolved.multi_label.begin(), resolved.multi_label.end(), c) !=
                  resolved.multi_label.end();
    if (!label_column && c != resolved.patient_id && !excluded.contains(c) &&
        !attributes.contains(c)) {
      resolved.features.push_back(c);
    }
  }
  if (resolved.features.empty()) {
    throw InputError(
        fmt::format("CSV file '{}': no feature columns are left after removing the "
                    "label, the patient id, --exclude and --attributes from its {} "
                    "columns. Name the feature columns with --features.",
                    table.path.string(), table.header.size()));
  }
  return resolved;
}

// Sorts distinct label values numerically when all are finite numbers (ties by text), else
// lexically by bytes.
void sort_label_values(std::vector<std::string>& values) {
  std::vector<std::pair<double, std::string>> numbers;
  for (const std::string& value : values) {
    const ParsedNumber parsed = parse_number(value);
    if (parsed.status != NumberStatus::finite) {
      std::sort(values.begin(), values.end());
      return;
    }
    numbers.emplace_back(parsed.value, value);
  }
  std::sort(numbers.begin(), numbers.end());
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = std::move(numbers[i].second);
  }
}

// Fills labels and class_names from the label column.
// Multi-label targets: every value of every label column is 0 or 1.
void load_multi_labels(const CsvTable& table, const std::vector<std::size_t>& columns,
                       Dataset& dataset) {
  const std::size_t rows = table.rows();
  const std::size_t count = columns.size();
  dataset.targets.assign(rows * count, 0.0f);
  dataset.labels.assign(rows, 0);
  for (std::size_t c = 0; c < count; ++c) {
    const Column& values = table.columns[columns[c]];
    dataset.class_names.push_back(table.header[columns[c]]);
    for (std::size_t row = 0; row < rows; ++row) {
      const std::optional<std::string>& value = values[row];
      if (!value || (*value != "0" && *value != "1")) {
        throw InputError(fmt::format(
            "CSV file '{}', line {}: --multi-label column {} holds {}, but a multi-label column "
            "needs 0 or 1 on every row. Recode it, or fill in the missing value",
            table.path.string(), table.row_line[row], quote_text(table.header[columns[c]]),
            value ? quote_text(*value) : std::string("nothing")));
      }
      dataset.targets[row * count + c] = *value == "1" ? 1.0f : 0.0f;
    }
  }
}

void load_labels(const CsvTable& table, const DataOptions& options, std::size_t label_column,
                 Dataset& dataset) {
  const Column& values = table.columns[label_column];
  const std::string name = quote_text(table.header[label_column]);
  const std::string path = table.path.string();

  // 1. Every row needs a label.
  for (std::size_t row = 0; row < values.size(); ++row) {
    if (!values[row]) {
      throw InputError(
          fmt::format("CSV file '{}', line {}: the label column {} is empty. Every "
                      "record needs a label, so fill it in or remove the row.",
                      path, table.row_line[row], name));
    }
  }

  // 2. Assign a raw class to each row: a map entry's class, or the distinct value itself.
  std::vector<std::string> classes;
  std::vector<int32_t> raw_label(values.size());
  const std::vector<LabelMapEntry> map = parse_label_map(options.label_map);
  if (!map.empty()) {
    std::unordered_map<std::string_view, int32_t> class_of_value;
    std::unordered_map<std::string_view, int32_t> class_index;
    std::optional<int32_t> wildcard;
    for (const LabelMapEntry& entry : map) {
      const auto [it, inserted] =
          class_index.emplace(entry.class_name, static_cast<int32_t>(classes.size()));
      if (inserted) {
        classes.push_back(entry.class_name);
      }
      if (entry.value == "*") {
        wildcard = it->second;
      } else {
        class_of_value.emplace(entry.value, it->second);
      }
    }
    for (std::size_t row = 0; row < values.size(); ++row) {
      const auto it = class_of_value.find(*values[row]);
      if (it != class_of_value.end()) {
        raw_label[row] = it->second;
      } else if (wildcard) {
        raw_label[row] = *wildcard;
      } else {
        throw InputError(
            fmt::format("CSV file '{}', line {}: label value {} in column {} "
                        "matches no --label-map entry. Add the entry {}, or "
                        "'*=CLASS' for every remaining value.",
                        path, table.row_line[row], quote_text(*values[row]), name,
                        quote_text(*values[row] + "=CLASS")));
      }
    }
  } else {
    std::unordered_map<std::string_view, int32_t> distinct;
    for (const auto& value : values) {
      distinct.emplace(*value, 0);
    }
    if (distinct.size() > options.max_classes) {
      throw InputError(
          fmt::format("CSV file '{}': label column {} has {} distinct values, more "
                      "than --max-classes {}. Group the values into classes with "
                      "--label-map VALUE=CLASS (for example '0=none' '*=any'), or "
                      "raise --max-classes.",
                      path, name, distinct.size(), options.max_classes));
    }
    for (const auto& [value, index] : distinct) {
      classes.emplace_back(value);
    }
    sort_label_values(classes);
    for (std::size_t c = 0; c < classes.size(); ++c) {
      distinct[classes[c]] = static_cast<int32_t>(c);
    }
    for (std::size_t row = 0; row < values.size(); ++row) {
      raw_label[row] = distinct.at(*values[row]);
    }
  }

  // 3. Drop classes that no row falls into (possible with --label-map), keeping their order.
  std::vector<std::size_t> count(classes.size(), 0);
  for (const int32_t label : raw_label) {
    ++count[static_cast<std::size_t>(label)];
  }
  std::vector<int32_t> renumber(classes.size(), -1);
  for (std::size_t c = 0; c < classes.size(); ++c) {
    if (count[c] > 0) {
      renumber[c] = static_cast<int32_t>(dataset.class_names.size());
      dataset.class_names.push_back(classes[c]);
    }
  }
  dataset.labels.resize(values.size());
  for (std::size_t row = 0; row < values.size(); ++row) {
    dataset.labels[row] = renumber[static_cast<std::size_t>(raw_label[row])];
  }

  // 4. Class count limits.
  if (dataset.class_names.size() < 2) {
    throw InputError(
        fmt::format("CSV file '{}': label column {} has only one class {} in {} "
                    "rows: an audit needs at least two. Check --label{}.",
                    path, name, quote_text(dataset.class_names.front()), values.size(),
                    map.empty() ? "" : " and --label-map"));
  }
  if (dataset.class_names.size() > options.max_classes) {
    throw InputError(
        fmt::format("CSV file '{}': label column {} gives {} classes through "
                    "--label-map, more than --max-classes {}. Map the values to "
                    "fewer classes, or raise --max-classes.",
                    path, name, dataset.class_names.size(), options.max_classes));
  }
}

// Fills patient_of_record and patient_ids.
void load_patients(const CsvTable& table, std::optional<std::size_t> patient_column,
                   Dataset& dataset) {
  const std::size_t rows = table.rows();
  dataset.patient_of_record.resize(rows);
  if (!patient_column) {
    for (std::size_t row = 0; row < rows; ++row) {
      dataset.patient_of_record[row] = static_cast<int32_t>(row);
      dataset.patient_ids.push_back(fmt::format("line-{}", table.row_line[row]));
    }
    return;
  }

  const Column& values = table.columns[*patient_column];
  std::unordered_map<std::string_view, int32_t> index_of;
  for (std::size_t row = 0; row < rows; ++row) {
    if (!values[row]) {
      throw InputError(fmt::format(
          "CSV file '{}', line {}: the patient-id column {} is empty. "
          "Every record needs a patient id, so fill it in or remove the "
          "row.",
          table.path.string(), table.row_line[row], quote_text(table.header[*patient_column])));
    }
    const auto [it, inserted] =
        index_of.emplace(*values[row], static_cast<int32_t>(dataset.patient_ids.size()));
    if (inserted) {
      dataset.patient_ids.push_back(*values[row]);
    }
    dataset.patient_of_record[row] = it->second;
  }
}

// Error text for a value of a numeric column that is not a finite number.
[[noreturn]] void throw_bad_number(const CsvTable& table, std::size_t column, std::size_t row,
                                   NumberStatus status, bool forced_numeric) {
  const std::string where = fmt::format("CSV file '{}', line {}, column {}", table.path.string(),
                                        table.row_line[row], quote_text(table.header[column]));
  const std::string value = quote_text(*table.columns[column][row]);
  switch (status) {
    case NumberStatus::non_finite:
      throw InputError(
          fmt::format("{}: value {} is not a finite number, but the column is "
                      "numeric. Write a missing value as an empty field, or fix the "
                      "value.",
                      where, value));
    case NumberStatus::out_of_range:
      throw InputError(
          fmt::format("{}: value {} is outside the range of a double-precision "
                      "number. Fix the value or rescale the column.",
                      where, value));
    default:
      PRIVAUDIT_CHECK(forced_numeric, "a non-number reached throw_bad_number without --numeric");
      throw InputError(
          fmt::format("{}: value {} is not a number, but --numeric requires "
                      "numbers. Fix the value, write a missing value as an empty "
                      "field, or remove {} from --numeric.",
                      where, value, quote_text(table.header[column])));
  }
}

// Converts one CSV column into a feature column, inferring its kind unless overridden. Appends a
// note to `warnings` when a mostly numeric column is inferred categorical.
FeatureColumn load_feature(const CsvTable& table, std::size_t column, bool forced_categorical,
                           bool forced_numeric, std::vector<std::string>& warnings) {
  const Column& values = table.columns[column];
  FeatureColumn feature;
  feature.name = table.header[column];

  // 1. Parse every value as a number, remembering the first of each kind of problem.
  std::vector<std::optional<double>> numbers(values.size());
  std::optional<std::size_t> first_non_number;
  std::optional<std::size_t> first_bad_number;
  NumberStatus bad_status = NumberStatus::finite;
  std::size_t number_count = 0;
  std::size_t non_number_count = 0;
  std::size_t non_missing_count = 0;
  if (!forced_categorical) {
    for (std::size_t row = 0; row < values.size(); ++row) {
      if (!values[row]) {
        continue;
      }
      ++non_missing_count;
      const ParsedNumber parsed = parse_number(*values[row]);
      if (parsed.status == NumberStatus::finite) {
        numbers[row] = parsed.value;
        ++number_count;
      } else if (parsed.status == NumberStatus::not_a_number) {
        ++non_number_count;
        if (!first_non_number) {
          first_non_number = row;
        }
      } else if (!first_bad_number) {
        first_bad_number = row;
        bad_status = parsed.status;
      }
    }
  }

  // 2. Numeric: overridden, or every value is a number. Non-finite values are errors.
  if (forced_numeric || (!forced_categorical && !first_non_number)) {
    const std::optional<std::size_t> first_error =
        first_bad_number && (!first_non_number || *first_bad_number < *first_non_number)
            ? first_bad_number
            : first_non_number;
    if (first_error) {
      throw_bad_number(table, column, *first_error,
                       first_error == first_bad_number ? bad_status : NumberStatus::not_a_number,
                       forced_numeric);
    }
    feature.kind = FeatureKind::numeric;
    feature.numeric_values = std::move(numbers);
    return feature;
  }

  // 3. Categorical: reject identifier-like columns.
  std::unordered_set<std::string_view> distinct;
  for (const auto& value : values) {
    if (value) {
      distinct.insert(*value);
    }
  }
  if (distinct.size() > kIdentifierMinDistinct && distinct.size() * 2 > values.size()) {
    std::string message = fmt::format(
        "CSV file '{}': categorical column {} has {} distinct values in {} rows, so it looks "
        "like an identifier rather than a feature. Exclude it with --exclude, or name it with "
        "--patient-id if it identifies patients.",
        table.path.string(), quote_text(feature.name), distinct.size(), values.size());
    if (!forced_categorical && number_count > 0 && first_non_number) {
      message += fmt::format(
          " Its values start as numbers, but the value on line {} is not: {}. "
          "Write missing values as empty fields, or list the column in "
          "--numeric.",
          table.row_line[*first_non_number], describe(values[*first_non_number]));
    }
    throw InputError(message);
  }

  // 4. Inferred categorical although nearly every value is a number: probably a typo or a
  //    placeholder such as "n/a", which would turn the numbers into one-hot levels.
  const std::size_t number_like_count = non_missing_count - non_number_count;
  if (!forced_categorical && first_non_number &&
      number_like_count * 100 >= non_missing_count * kMostlyNumericPercent) {
    const std::string name = quote_text(feature.name);
    warnings.push_back(fmt::format(
        "CSV file '{}', line {}, column {}: value {} is not a number, so the column is treated "
        "as categorical, although {} of its {} non-missing values are numbers. Its numbers "
        "become category levels (one-hot columns). Fix the value, or pass --numeric {} to make "
        "such values an error, or --categorical {} to keep this and silence the warning.",
        table.path.string(), table.row_line[*first_non_number], name,
        describe(values[*first_non_number]), number_like_count, non_missing_count, name, name));
  }
  feature.kind = FeatureKind::categorical;
  feature.categorical_values = values;
  return feature;
}

// Copies an attribute column and checks that each patient's records agree on it.
Attribute load_attribute(const CsvTable& table, std::size_t column, bool has_patient_column,
                         const Dataset& dataset) {
  Attribute attribute{table.header[column], table.columns[column]};
  if (!has_patient_column) {
    return attribute;
  }
  constexpr std::size_t kNoRecord = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> first_record(dataset.patients(), kNoRecord);
  for (std::size_t row = 0; row < attribute.values.size(); ++row) {
    const auto patient = static_cast<std::size_t>(dataset.patient_of_record[row]);
    if (first_record[patient] == kNoRecord) {
      first_record[patient] = row;
      continue;
    }
    const std::size_t first = first_record[patient];
    if (attribute.values[row] != attribute.values[first]) {
      throw InputError(fmt::format(
          "CSV file '{}': patient {} has conflicting values of attribute {}: {} on line {} "
          "and {} on line {}. An attribute describes the patient, so all of the patient's "
          "records need the same value. Fix the data, or remove {} from --attributes.",
          table.path.string(), quote_text(dataset.patient_ids[patient]), quote_text(attribute.name),
          describe(attribute.values[first]), table.row_line[first], describe(attribute.values[row]),
          table.row_line[row], quote_text(attribute.name)));
    }
  }
  return attribute;
}

}  // namespace

std::string_view to_string(FeatureKind kind) {
  return kind == FeatureKind::numeric ? "numeric" : "categorical";
}

std::string label_text(const Dataset& dataset, std::size_t record) {
  if (!dataset.multi_label()) {
    return dataset.class_names[static_cast<std::size_t>(dataset.labels[record])];
  }
  const std::size_t count = dataset.class_names.size();
  std::string text;
  for (std::size_t c = 0; c < count; ++c) {
    if (dataset.targets[record * count + c] == 0.0f) continue;
    if (!text.empty()) text += '+';
    text += dataset.class_names[c];
  }
  return text.empty() ? "none" : text;
}

Dataset load_dataset(const CsvTable& table, const DataOptions& options) {
  options.validate();
  PRIVAUDIT_CHECK(table.columns.size() == table.header.size(),
                  fmt::format("CSV table has {} columns but {} header names", table.columns.size(),
                              table.header.size()));
  if (table.rows() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
    throw InputError(fmt::format("CSV file '{}' has {} rows, more than the supported {}.",
                                 table.path.string(), table.rows(),
                                 std::numeric_limits<int32_t>::max()));
  }

  // 1. Column roles.
  const ResolvedColumns columns = resolve_columns(table, options);

  Dataset dataset;
  dataset.input_path = table.path.string();
  dataset.record_line = table.row_line;

  // 2. Labels and patients.
  if (columns.multi_label.empty()) {
    load_labels(table, options, columns.label, dataset);
  } else {
    load_multi_labels(table, columns.multi_label, dataset);
  }
  load_patients(table, columns.patient_id, dataset);

  // 3. Features.
  for (const std::size_t column : columns.features) {
    dataset.features.push_back(load_feature(table, column, columns.categorical.contains(column),
                                            columns.numeric.contains(column), dataset.warnings));
  }

  // 3b. Files of a manifest.
  if (columns.media) {
    const auto& values = table.columns[*columns.media];
    dataset.media_paths.reserve(table.rows());
    for (std::size_t r = 0; r < table.rows(); ++r) {
      if (!values[r] || values[r]->empty()) {
        throw InputError(fmt::format(
            "CSV file '{}', line {}: the --path-column '{}' is empty; every record needs its "
            "file. Fill it in or drop the row",
            table.path.string(), table.row_line[r], options.media_column));
      }
      dataset.media_paths.push_back(*values[r]);
    }
  }

  // 4. Attributes.
  for (const std::size_t column : columns.attributes) {
    dataset.attributes.push_back(
        load_attribute(table, column, columns.patient_id.has_value(), dataset));
  }
  return dataset;
}

}  // namespace privaudit::data
