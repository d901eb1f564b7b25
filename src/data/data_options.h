// Options that select the label, patient id, feature and attribute columns of a clinical table.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace privaudit::data {

// One parsed --label-map entry "VALUE=CLASS".
struct LabelMapEntry {
  // Label value as written in the CSV file, or "*" for every value that no other entry names.
  std::string value;
  // Class the value belongs to.
  std::string class_name;
};

// Column roles and encoding choices for load_dataset(). Error messages name each field by its
// command-line option: `label_map` is --label-map, `min_level_count` is --min-level-count.
struct DataOptions {
  // Path of the CSV file, one record per row (UTF-8, RFC 4180). Required.
  std::string input;
  // Name of the label column. Required. The column may also be listed in `attributes`, so that
  // risk can be compared across classes.
  std::string label;
  // Entries "VALUE=CLASS" that map label values to classes. Each entry is split at the last '=',
  // so VALUE may contain '=' but CLASS may not. VALUE "*" matches every value that no other entry
  // names. Classes are ordered by their first appearance here, and a class that no row falls into
  // is dropped. Empty: the classes are the distinct label values, sorted numerically when all are
  // numbers and lexically (by bytes) otherwise.
  std::vector<std::string> label_map;
  // Name of the patient-id column. Empty: each row is its own patient.
  std::string patient_id;
  // Feature columns, in this order. Empty: every column in file order that is not the label, the
  // patient id, in `exclude` or in `attributes`.
  std::vector<std::string> features;
  // Columns that are never features. Must not overlap `features`.
  std::vector<std::string> exclude;
  // Columns kept for group analysis (sex, race, insurance). They are not features unless also
  // listed in `features`. A patient's records must agree on each attribute.
  std::vector<std::string> attributes;
  // Feature columns forced to categorical (one-hot) encoding, whatever their values look like.
  std::vector<std::string> categorical;
  // Feature columns forced to numeric encoding. Every non-missing value must be a finite number.
  std::vector<std::string> numeric;
  // Minimum number of audit-pool records that a categorical level needs for a one-hot column of
  // its own. Rarer levels share one "other" column. Range >= 1.
  std::size_t min_level_count = 10;
  // Maximum number of label classes. Range >= 2.
  std::size_t max_classes = 100;
  // Multi-label task: the label columns, each 0 or 1 on every row, one sigmoid per column. Set
  // either `label` or this, not both; --label-map does not apply.
  std::vector<std::string> multi_label;
  // Column with each record's file (an ECG or an image), for a manifest rather than a feature
  // table. Empty: a feature table. When set, the table has no feature columns, so --features,
  // --categorical and --numeric must be empty.
  std::string media_column;

  // Throws UsageError naming the option, the value and the constraint when a field is out of
  // range, a --label-map entry is malformed or a list names a column twice. It also throws when
  // one column has two conflicting roles: the label or patient id also a feature, a feature also
  // excluded, a column both categorical and numeric, or a type override on a non-feature column.
  void validate() const;
};

// Parses --label-map entries. Throws UsageError on an entry without '=', with an empty VALUE or
// CLASS, on a VALUE given twice, or when the entries name fewer than two classes.
std::vector<LabelMapEntry> parse_label_map(const std::vector<std::string>& entries);

}  // namespace privaudit::data
