// Splits units (records or patients) into groups by one attribute such as race, insurance, sex or
// age, for the group disparity and group risk analyses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace privaudit::groups {

// Name of the group of units whose attribute value is missing.
inline constexpr std::string_view kMissingGroupName = "(missing)";

// Rules that turn attribute values into groups. Error messages name each field by its
// command-line option: `numeric_bins` is --numeric-bins and `max_categorical_levels` is
// --max-categorical-levels.
struct GroupingOptions {
  // Number of quantile groups for a numeric attribute. Range >= 2. Fewer groups remain when
  // quantiles coincide or a bin is empty, both caused by tied values.
  std::size_t numeric_bins = 4;
  // An attribute whose non-missing values are all numbers stays categorical when it has at most
  // this many distinct values, so that 0/1 flags and small scores keep one group per value.
  // 0 bins every all-number attribute.
  std::size_t max_categorical_levels = 12;

  // Throws UsageError naming the option, the value and the constraint.
  void validate() const;
};

// Group membership of each unit for one attribute.
struct Grouping {
  std::string attribute;  // attribute (column) name
  bool numeric = false;   // true when the groups are quantile bins of a numeric attribute
  // Group names, [groups]: category values, bins such as "[6.6, 7.1)", and kMissingGroupName last
  // when a value is missing.
  std::vector<std::string> group_names;
  // Group index of each unit, [units], in [0, group_names.size()).
  std::vector<std::int32_t> group_of_unit;

  std::size_t groups() const { return group_names.size(); }
};

// Builds the groups of one attribute from its value per unit, [units], where nullopt is missing.
//
// A value is a number when it parses completely as a finite decimal number, as the data module
// decides for feature columns (ASCII spaces and tabs around it and one leading '+' allowed).
// - Numeric: all non-missing values are numbers and there are more than max_categorical_levels
//   distinct values. The groups are numeric_bins quantile bins with edges at numpy.quantile(values,
//   k / numeric_bins) ("linear" method), k = 0..numeric_bins, and equal edges merged. Inner bins
//   are closed on the left, "[7.1, 7.4)"; the outer bins are open-ended, "< 7.1" and ">= 7.9", so
//   that the minimum and maximum (single patients' values) are never printed. Edges are
//   printed with 3 significant digits (all integer digits for larger numbers), with more digits
//   when two adjacent edges would otherwise print the same. Bins that no value falls into, which
//   tied values can cause, are dropped.
// - Categorical: one group per distinct value text. Groups are sorted by numeric value (then text)
//   when all values are numbers, else by text in byte order. "1" and "1.0" are separate groups.
// Missing values form the last group, kMissingGroupName, which exists only when a value is missing.
// All values missing gives only that group, and no units gives no groups.
//
// Validates `options` first (UsageError). Throws InputError when a value is the text
// kMissingGroupName, which would be confused with the missing-value group.
Grouping make_grouping(std::string attribute, std::span<const std::optional<std::string>> values,
                       const GroupingOptions& options);

}  // namespace privaudit::groups
