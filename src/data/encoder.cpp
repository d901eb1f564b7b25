#include "data/encoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"
#include "data/quote_text.h"

namespace privaudit::data {

namespace {

// Feature columns listed by name in the error for an empty encoding.
constexpr std::size_t kMaxListedDrops = 5;

// A column, or its value column, dropped only because of --min-level-count: without it the column
// would vary in the audit pool.
struct CountDrop {
  // Explanation of the drop, such as "column 'age' was dropped because ...".
  std::string cause;
  // Largest --min-level-count that would keep it.
  std::size_t max_min_level_count = 0;
};

// Neumaier's compensated sum of `values` in the given order.
double compensated_sum(const std::vector<double>& values) {
  double sum = 0.0;
  double compensation = 0.0;
  for (const double value : values) {
    const double total = sum + value;
    if (std::fabs(sum) >= std::fabs(value)) {
      compensation += (sum - total) + value;
    } else {
      compensation += (value - total) + sum;
    }
    sum = total;
  }
  return sum + compensation;
}

// Fits a numeric column on the pool. Values are sorted before summing, so the result does not
// depend on the order of the fit records.
EncodedColumn fit_numeric(const FeatureColumn& feature, std::span<const uint32_t> fit_records,
                          std::size_t min_level_count, std::vector<CountDrop>& drops) {
  EncodedColumn column;
  column.name = feature.name;
  column.kind = FeatureKind::numeric;

  // 1. Collect the pool's values. Adding 0.0 turns -0.0 into +0.0, so that the sort order is total.
  std::vector<double> values;
  values.reserve(fit_records.size());
  for (const uint32_t record : fit_records) {
    if (const auto& value = feature.numeric_values[record]) {
      values.push_back(*value + 0.0);
    }
  }
  const bool any_missing = values.size() < fit_records.size();
  column.missing_column = any_missing && !values.empty();
  std::sort(values.begin(), values.end());
  if (values.empty() || values.front() == values.back()) {
    return column;
  }
  // A mean and SD of fewer than min_level_count values would come close to revealing them.
  if (values.size() < min_level_count) {
    // The missing indicator, when present, stays, so only the values are dropped.
    const std::string name = quote_text(feature.name);
    const std::string dropped = column.missing_column
                                    ? fmt::format("the values of column {} were", name)
                                    : fmt::format("column {} was", name);
    drops.push_back({fmt::format("{} dropped because the audit pool has only {} non-missing "
                                 "values, fewer than --min-level-count {}",
                                 dropped, values.size(), min_level_count),
                     values.size()});
    return column;
  }

  // 2. Mean, then the population SD from deviations scaled by the largest one, which avoids
  //    overflow and underflow of the squares.
  const auto n = static_cast<double>(values.size());
  const double mean = compensated_sum(values) / n;
  double scale = 0.0;
  for (double& value : values) {
    value -= mean;
    scale = std::max(scale, std::fabs(value));
  }
  for (double& value : values) {
    value = (value / scale) * (value / scale);
  }
  const double sd = scale * std::sqrt(compensated_sum(values) / n);
  if (!std::isfinite(mean) || !std::isfinite(sd) || sd <= 0.0) {
    throw InputError(
        fmt::format("numeric column {} cannot be standardised: its values in the "
                    "audit pool are too large for double precision (mean {}, "
                    "standard deviation {}). Rescale the column.",
                    quote_text(feature.name), mean, sd));
  }
  column.value_column = true;
  column.mean = mean;
  column.sd = sd;
  return column;
}

// Fits a categorical column on the pool.
EncodedColumn fit_categorical(const FeatureColumn& feature, std::span<const uint32_t> fit_records,
                              std::size_t min_level_count, std::vector<CountDrop>& drops) {
  EncodedColumn column;
  column.name = feature.name;
  column.kind = FeatureKind::categorical;

  // 1. Count levels and missing values in the pool.
  std::unordered_map<std::string_view, std::size_t> counts;
  std::size_t missing = 0;
  for (const uint32_t record : fit_records) {
    if (const auto& value = feature.categorical_values[record]) {
      ++counts[*value];
    } else {
      ++missing;
    }
  }

  // 2. Frequent levels get their own column, and rare ones share "other".
  bool any_rare = false;
  for (const auto& [level, count] : counts) {
    if (count >= min_level_count) {
      column.levels.emplace_back(level);
    } else {
      any_rare = true;
    }
  }
  std::sort(column.levels.begin(), column.levels.end());
  column.other_column = any_rare;
  column.missing_column = missing > 0 && !counts.empty();

  // 3. A column whose pool values all land in one output column is constant: drop it. With two
  //    or more distinct levels, that happens only when --min-level-count pools them all.
  const std::size_t states = column.levels.size() + (any_rare ? 1 : 0) + (missing > 0 ? 1 : 0);
  if (states <= 1) {
    if (counts.size() >= 2) {
      std::size_t max_count = 0;
      for (const auto& [level, count] : counts) {
        max_count = std::max(max_count, count);
      }
      drops.push_back(
          {fmt::format("column {} was dropped because none of its {} distinct values occurs at "
                       "least --min-level-count {} times in the audit pool (the most frequent "
                       "occurs {} times)",
                       quote_text(feature.name), counts.size(), min_level_count, max_count),
           max_count});
    }
    column.levels.clear();
    column.other_column = false;
    column.missing_column = false;
  }
  return column;
}

// Builds the output column names of one encoded column.
void append_output_names(const EncodedColumn& column, std::vector<std::string>& names) {
  if (column.kind == FeatureKind::numeric) {
    if (column.value_column) {
      names.push_back(column.name);
    }
  } else {
    for (const std::string& level : column.levels) {
      names.push_back(column.name + "=" + level);
    }
    if (column.other_column) {
      names.push_back(column.name + ":other");
    }
  }
  if (column.missing_column) {
    names.push_back(column.name + ":missing");
  }
}

// Throws the InputError for a fit that leaves no output column, naming the columns that
// --min-level-count dropped, if any.
[[noreturn]] void throw_empty_encoding(const Dataset& dataset, std::size_t pool_records,
                                       std::size_t min_level_count,
                                       const std::vector<CountDrop>& drops) {
  if (drops.empty()) {
    throw InputError(
        fmt::format("every feature column of '{}' is constant in the audit pool of "
                    "{} records, so the encoded features would be empty. Choose "
                    "other feature columns with --features.",
                    dataset.input_path, pool_records));
  }
  std::string causes;
  std::size_t largest_keeping = 0;
  for (std::size_t i = 0; i < drops.size(); ++i) {
    if (i < kMaxListedDrops) {
      std::string cause = drops[i].cause;
      cause[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cause[0])));
      causes += " " + cause + ".";
    }
    largest_keeping = std::max(largest_keeping, drops[i].max_min_level_count);
  }
  if (drops.size() > kMaxListedDrops) {
    const std::size_t more = drops.size() - kMaxListedDrops;
    causes += fmt::format(" {} more {} dropped because of --min-level-count.", more,
                          more == 1 ? "column was" : "columns were");
  }
  const std::size_t constant = dataset.features.size() - drops.size();
  if (constant == 1) {
    causes += " The other feature column is constant in the pool.";
  } else if (constant > 1) {
    causes += fmt::format(" The other {} feature columns are constant in the pool.", constant);
  }
  throw InputError(fmt::format(
      "no feature column of '{}' is left for the audit pool of {} records.{} Lower "
      "--min-level-count from {} to {} or less to keep at least one column, or choose other "
      "feature columns with --features.",
      dataset.input_path, pool_records, causes, min_level_count, largest_keeping));
}

}  // namespace

std::size_t EncodedColumn::width() const {
  std::size_t width = missing_column ? 1 : 0;
  if (kind == FeatureKind::numeric) {
    return width + (value_column ? 1 : 0);
  }
  return width + levels.size() + (other_column ? 1 : 0);
}

Encoder::Encoder(std::vector<EncodedColumn> columns, std::size_t min_level_count)
    : columns_(std::move(columns)), min_level_count_(min_level_count) {
  for (const EncodedColumn& column : columns_) {
    append_output_names(column, output_names_);
  }
}

Encoder Encoder::fit(const Dataset& dataset, std::span<const uint32_t> fit_records,
                     std::size_t min_level_count) {
  // 1. Check the arguments.
  if (min_level_count < 1) {
    throw UsageError("--min-level-count is 0: expected at least 1.");
  }
  if (fit_records.empty()) {
    throw InputError(
        fmt::format("cannot fit the feature encoder for '{}': the audit pool has no "
                    "records.",
                    dataset.input_path));
  }
  std::vector<bool> seen(dataset.records(), false);
  for (const uint32_t record : fit_records) {
    PRIVAUDIT_CHECK(
        record < dataset.records(),
        fmt::format("fit record {} is out of range for {} records", record, dataset.records()));
    PRIVAUDIT_CHECK(!seen[record], fmt::format("fit record {} is listed twice", record));
    seen[record] = true;
  }

  // 2. Fit each column.
  std::vector<EncodedColumn> columns;
  std::vector<CountDrop> drops;
  for (const FeatureColumn& feature : dataset.features) {
    if (feature.kind == FeatureKind::numeric) {
      columns.push_back(fit_numeric(feature, fit_records, min_level_count, drops));
    } else {
      columns.push_back(fit_categorical(feature, fit_records, min_level_count, drops));
    }
  }
  Encoder encoder(std::move(columns), min_level_count);

  // 3. Report what --min-level-count dropped, and reject an empty encoding with its real cause.
  if (encoder.width() == 0) {
    throw_empty_encoding(dataset, fit_records.size(), min_level_count, drops);
  }
  for (const CountDrop& drop : drops) {
    encoder.warnings_.push_back(
        fmt::format("feature encoder for '{}': {}. Lower --min-level-count to {} or less to keep "
                    "it.",
                    dataset.input_path, drop.cause, drop.max_min_level_count));
  }
  return encoder;
}

std::vector<float> Encoder::transform(const Dataset& dataset) const {
  // 1. Match the dataset's feature columns to the fitted ones by name and kind.
  std::unordered_map<std::string_view, const FeatureColumn*> by_name;
  for (const FeatureColumn& feature : dataset.features) {
    by_name.emplace(feature.name, &feature);
  }
  std::vector<const FeatureColumn*> matched;
  for (const EncodedColumn& column : columns_) {
    const auto it = by_name.find(column.name);
    if (it == by_name.end()) {
      throw InputError(
          fmt::format("'{}' has no feature column {}, which the feature encoder was "
                      "fitted on. Load the data with the same column options as "
                      "when the encoder was fitted.",
                      dataset.input_path, quote_text(column.name)));
    }
    if (it->second->kind != column.kind) {
      throw InputError(
          fmt::format("feature column {} of '{}' is {}, but the feature encoder was "
                      "fitted on it as {}. Use the same --numeric and --categorical "
                      "options as when the encoder was fitted.",
                      quote_text(column.name), dataset.input_path, to_string(it->second->kind),
                      to_string(column.kind)));
    }
    matched.push_back(it->second);
  }
  if (dataset.features.size() != columns_.size()) {
    throw InputError(
        fmt::format("'{}' has {} feature columns, but the feature encoder was fitted "
                    "on {}. Load the data with the same column options as when the "
                    "encoder was fitted.",
                    dataset.input_path, dataset.features.size(), columns_.size()));
  }

  // 2. Fill the matrix [records, width] column block by column block.
  const std::size_t records = dataset.records();
  const std::size_t stride = width();
  std::vector<float> matrix(records * stride, 0.0f);
  std::size_t offset = 0;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const EncodedColumn& column = columns_[c];
    const FeatureColumn& feature = *matched[c];
    // The missing indicator, when present, is the last column of the block.
    const std::size_t missing_offset = offset + column.width() - 1;
    if (column.kind == FeatureKind::numeric) {
      for (std::size_t r = 0; r < records; ++r) {
        float* row = matrix.data() + r * stride;
        const auto& value = feature.numeric_values[r];
        if (value && column.value_column) {
          row[offset] = static_cast<float>((*value - column.mean) / column.sd);
        }
        if (!value && column.missing_column) {
          row[missing_offset] = 1.0f;
        }
      }
    } else {
      std::unordered_map<std::string_view, std::size_t> level_offset;
      for (std::size_t l = 0; l < column.levels.size(); ++l) {
        level_offset.emplace(column.levels[l], offset + l);
      }
      const std::size_t other_offset = offset + column.levels.size();
      for (std::size_t r = 0; r < records; ++r) {
        float* row = matrix.data() + r * stride;
        const auto& value = feature.categorical_values[r];
        if (!value) {
          if (column.missing_column) {
            row[missing_offset] = 1.0f;
          }
          continue;
        }
        const auto it = level_offset.find(*value);
        if (it != level_offset.end()) {
          row[it->second] = 1.0f;
        } else if (column.other_column) {
          row[other_offset] = 1.0f;
        }
      }
    }
    offset += column.width();
  }
  return matrix;
}

}  // namespace privaudit::data
