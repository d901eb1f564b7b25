// A clinical table turned into labelled records with patients, typed feature columns and group
// attributes, ready for the feature encoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/csv_reader.h"
#include "data/data_options.h"

namespace privaudit::data {

enum class FeatureKind { numeric, categorical };

// Returns "numeric" or "categorical".
std::string_view to_string(FeatureKind kind);

// One feature column with its raw values. Exactly one of the two value vectors is filled.
struct FeatureColumn {
  std::string name;
  FeatureKind kind = FeatureKind::numeric;
  // [records] when kind is numeric, else empty. Every value is finite, and nullopt is missing.
  std::vector<std::optional<double>> numeric_values;
  // [records] when kind is categorical, else empty. Values as in the file, nullopt is missing.
  std::vector<std::optional<std::string>> categorical_values;
};

// A column kept for group analysis, with its raw values. A patient's records all share one value.
struct Attribute {
  std::string name;
  // [records], values as in the file, nullopt is missing.
  std::vector<std::optional<std::string>> values;
};

// Records (CSV rows) with class labels, patients, features and attributes.
struct Dataset {
  // Class index of each record, [records], in [0, class_names.size()). All 0 in a multi-label
  // task, which uses `targets`.
  std::vector<int32_t> labels;
  // Class names in class-index order, at least two; the label columns of a multi-label task
  // (at least one).
  std::vector<std::string> class_names;
  // Multi-label task only: [records, class_names.size()], 1 where the record has the label, 0
  // where not. Empty for a single-label task.
  std::vector<float> targets;
  bool multi_label() const { return !targets.empty(); }
  // Patient of each record, [records], an index into patient_ids.
  std::vector<int32_t> patient_of_record;
  // Patient ids in order of first appearance, [patients]. Without a patient-id column each record
  // is its own patient with the id "line-N", N being the CSV line where the record starts.
  std::vector<std::string> patient_ids;
  // Feature columns, in the order of DataOptions::features or else in file order.
  std::vector<FeatureColumn> features;
  // Attribute columns, in the order of DataOptions::attributes.
  std::vector<Attribute> attributes;
  // 1-based CSV line where each record starts, [records].
  std::vector<std::size_t> record_line;
  // File of each record as written in the --path-column, [records]; empty for a feature table.
  std::vector<std::string> media_paths;
  // Path of the CSV file, for messages.
  std::string input_path;
  // Human-readable notes about questionable but accepted data, such as a mostly numeric column
  // inferred categorical. The command line logs each on stderr, and library code never prints.
  std::vector<std::string> warnings;

  std::size_t records() const { return labels.size(); }
  std::size_t patients() const { return patient_ids.size(); }
};

// Returns the label of a record as text: its class name, or for a multi-label task the names of
// its positive labels joined by '+' ("none" when it has none).
std::string label_text(const Dataset& dataset, std::size_t record);

// Builds a Dataset from a CSV table. Validates `options` first (UsageError). A feature column is
// numeric when every non-missing value parses completely as a finite number (ASCII spaces and tabs
// around it and a leading '+' are allowed), unless --categorical or --numeric overrides it. When
// a column is inferred categorical although at least 90% of its non-missing values are numbers,
// a note naming the first non-number and its line goes to Dataset::warnings.
//
// Throws InputError, naming the file, column, line, value and fix, when an option names a column
// that does not exist (listing similar names), a row has no label or no patient id, or the label
// has fewer than two or more than max_classes classes. It also throws InputError when a label
// value has no --label-map entry, a numeric column contains a non-finite or out-of-range value, or
// a --numeric column contains a non-number. The same goes for a categorical feature with so many
// distinct values that it looks like an identifier, a patient whose records disagree on an
// attribute, and a table with no feature column left.
Dataset load_dataset(const CsvTable& table, const DataOptions& options);

}  // namespace privaudit::data
