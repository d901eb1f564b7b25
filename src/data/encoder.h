// Feature encoder: turns a Dataset's raw feature columns into a float matrix for tabular models,
// with statistics fitted on the audit pool only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"

namespace privaudit::data {

// Encoding of one dataset feature column into output columns. A column with width() == 0 was
// dropped, because it is constant in the pool or has too few values there.
struct EncodedColumn {
  std::string name;
  FeatureKind kind = FeatureKind::numeric;

  // Numeric: whether the standardised value column is present. False when the pool has fewer than
  // min_level_count values or their standard deviation is 0 (all equal, or all missing), but the
  // missing indicator may remain.
  bool value_column = false;
  // Numeric: pool mean and population standard deviation (> 0) when value_column is set.
  double mean = 0.0;
  double sd = 1.0;

  // Categorical: levels with at least min_level_count pool records, sorted by bytes, one output
  // column each.
  std::vector<std::string> levels;
  // Categorical: whether an "other" column exists for the pooled rare levels and for levels not
  // seen in the pool. Present only when the pool has a rare level.
  bool other_column = false;

  // Whether a 0/1 column marks missing values. Set only when the pool has both missing and
  // non-missing values in this column.
  bool missing_column = false;

  // Number of output columns.
  std::size_t width() const;
};

// Standardises numeric columns and one-hot encodes categorical columns. Fitted statistics depend
// only on the set of fit records, never on their order, and to_json() stores no patient's value
// apart from category levels seen at least min_level_count times.
//
// NOTE: a stored mean and SD can still reveal a value when all but one of the pool's values are
// equal: nine zeros and one 5 give mean 0.5 and SD 1.5, from which the 5 follows.
class Encoder {
 public:
  // Fits the encoder on `fit_records` (record indices into `dataset`, each at most once).
  //  - Numeric: output "NAME" = (x - mean) / sd with the pool mean and population SD, or 0 when
  //    missing. The value column is dropped when SD is 0 or the pool has fewer than
  //    min_level_count values, because their mean and SD would nearly reveal them. Output
  //    "NAME:missing" is present when the pool has missing and non-missing values.
  //  - Categorical: output "NAME=LEVEL" for each level with count >= min_level_count in the pool,
  //    in sorted order. Output "NAME:other" takes rarer and unseen levels and is present only when
  //    the pool has a rare level. "NAME:missing" is as for numeric. A column whose pool values
  //    fall into a single output column is dropped as constant.
  // A column that varies in the pool but is dropped only because of min_level_count gets a note
  // in warnings().
  // Throws InputError when `fit_records` is empty, no output column is left (naming the columns
  // that min_level_count dropped, if any), or a column's values overflow a double. Throws
  // UsageError when min_level_count is 0, and InternalError when a record index is out of range
  // or repeated.
  static Encoder fit(const Dataset& dataset, std::span<const uint32_t> fit_records,
                     std::size_t min_level_count);

  // Encodes every record of `dataset` into a row-major matrix [records, width()]. The dataset must
  // have the same feature columns (names and kinds) as the one the encoder was fitted on, or
  // InputError names the column that differs.
  std::vector<float> transform(const Dataset& dataset) const;

  // Number of output columns.
  std::size_t width() const { return output_names_.size(); }
  // Output column names, [width()]: "age", "age:missing", "region=west", "region:other",
  // "region:missing".
  const std::vector<std::string>& output_names() const { return output_names_; }
  // Encoding of each dataset feature column, in dataset order, dropped columns included.
  const std::vector<EncodedColumn>& columns() const { return columns_; }
  std::size_t min_level_count() const { return min_level_count_; }
  // Human-readable notes from fit() on columns that --min-level-count dropped although they vary
  // in the pool, for the command line to log on stderr. Empty after from_json(), which does not
  // store them.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Serialises the fitted encoder. from_json(to_json()) gives an identical encoder, apart from
  // warnings().
  nlohmann::json to_json() const;
  // Reads an encoder written by to_json(). Throws InputError naming the JSON field, the value and
  // the expectation when the document is malformed.
  static Encoder from_json(const nlohmann::json& document);

 private:
  Encoder(std::vector<EncodedColumn> columns, std::size_t min_level_count);

  std::vector<EncodedColumn> columns_;
  std::size_t min_level_count_ = 0;
  std::vector<std::string> output_names_;
  std::vector<std::string> warnings_;
};

}  // namespace privaudit::data
