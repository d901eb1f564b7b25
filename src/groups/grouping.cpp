#include "groups/grouping.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"
#include "data/number_parse.h"
#include "stats/descriptive.h"

namespace privaudit::groups {
namespace {

// Significant digits of bin edges in group names, before more are added to tell edges apart.
constexpr int kEdgeDigits = 3;
// Digits that print every double distinctly.
constexpr int kMaxEdgeDigits = 17;

std::optional<double> parse_finite(const std::string& text) {
  const data::ParsedNumber parsed = data::parse_number(text);
  if (parsed.status != data::NumberStatus::finite) {
    return std::nullopt;
  }
  return parsed.value;
}

// Formats one bin edge with `digits` significant digits, but never rounds away integer digits:
// 1234.5 prints as "1234" or "1235" rather than "1.23e+03".
std::string format_edge(double value, int digits) {
  if (value == 0.0) {
    return "0";  // also for -0.0
  }
  const double magnitude = std::abs(value);
  const int integer_digits = magnitude >= 1.0 ? static_cast<int>(std::log10(magnitude)) + 1 : 0;
  const int precision = std::min(kMaxEdgeDigits, std::max(digits, integer_digits));
  return fmt::format("{:.{}g}", value, precision);
}

// Formats ascending distinct edges with the fewest digits (at least kEdgeDigits) that keep adjacent
// edges apart.
std::vector<std::string> format_edges(std::span<const double> edges) {
  std::vector<std::string> texts;
  for (int digits = kEdgeDigits; digits <= kMaxEdgeDigits; ++digits) {
    texts.clear();
    for (const double edge : edges) {
      texts.push_back(format_edge(edge, digits));
    }
    if (std::adjacent_find(texts.begin(), texts.end()) == texts.end()) {
      break;
    }
  }
  return texts;
}

// Fills the groups of a numeric attribute: quantile bins over the non-missing values.
void bin_numeric(const std::vector<std::optional<double>>& numbers,
                 const GroupingOptions& options, Grouping& grouping) {
  // 1. Quantile edges with equal edges merged.
  std::vector<double> sorted;
  for (const auto& number : numbers) {
    if (number) {
      sorted.push_back(*number);
    }
  }
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> edges;
  for (std::size_t k = 0; k <= options.numeric_bins; ++k) {
    const double q = static_cast<double>(k) / static_cast<double>(options.numeric_bins);
    edges.push_back(stats::quantile_sorted(sorted, q));
  }
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());

  // 2. Names. The outer bins are open-ended ("< 7.1", ">= 8.12") because their outer edges are the
  //    minimum and maximum, which would publish the most extreme patients' exact values. One
  //    distinct value (possible with max_categorical_levels = 0) gives one bin, "all values".
  const std::vector<std::string> texts = format_edges(edges);
  if (edges.size() == 1) grouping.group_names.push_back("all values");
  for (std::size_t j = 0; j + 1 < edges.size(); ++j) {
    const bool first = j == 0;
    const bool last = j + 2 == edges.size();
    if (first && last) {
      grouping.group_names.push_back("all values");
    } else if (first) {
      grouping.group_names.push_back(fmt::format("< {}", texts[j + 1]));
    } else if (last) {
      grouping.group_names.push_back(fmt::format(">= {}", texts[j]));
    } else {
      grouping.group_names.push_back(fmt::format("[{}, {})", texts[j], texts[j + 1]));
    }
  }

  // 3. Bin of each value: the last edge at or below it. The maximum joins the last bin.
  const std::size_t bins = grouping.group_names.size();
  std::vector<std::size_t> bin_of_unit(numbers.size(), bins);
  std::vector<std::size_t> bin_units(bins, 0);
  for (std::size_t unit = 0; unit < numbers.size(); ++unit) {
    if (!numbers[unit]) {
      continue;
    }
    const auto above = std::upper_bound(edges.begin(), edges.end(), *numbers[unit]);
    const auto bin = static_cast<std::size_t>(above - edges.begin()) - 1;
    bin_of_unit[unit] = std::min(bin, bins - 1);
    ++bin_units[bin_of_unit[unit]];
  }

  // 4. Drop empty bins, which ties can cause: with 4 bins, the values 0 0 0 1 1 1 3 3 3 3 4 5
  // have the edges 0, 0.75, 2, 3, 5, and no value lies in [2, 3).
  std::vector<std::string> names;
  std::vector<std::int32_t> group_of_bin(bins, -1);
  for (std::size_t bin = 0; bin < bins; ++bin) {
    if (bin_units[bin] > 0) {
      group_of_bin[bin] = static_cast<std::int32_t>(names.size());
      names.push_back(std::move(grouping.group_names[bin]));
    }
  }
  grouping.group_names = std::move(names);
  for (std::size_t unit = 0; unit < numbers.size(); ++unit) {
    if (numbers[unit]) {
      grouping.group_of_unit[unit] = group_of_bin[bin_of_unit[unit]];
    }
  }
}

// Fills the groups of a categorical attribute: one group per distinct value text.
void group_categories(std::span<const std::optional<std::string>> values,
                      const std::vector<std::optional<double>>& numbers, bool all_numbers,
                      Grouping& grouping) {
  // 1. Distinct texts, with their numeric value when every value is a number.
  std::map<std::string, double> distinct;
  for (std::size_t unit = 0; unit < values.size(); ++unit) {
    if (values[unit]) {
      distinct.emplace(*values[unit], all_numbers ? *numbers[unit] : 0.0);
    }
  }

  // 2. Sort. std::map already orders the texts by bytes, and numbers go by value, then text.
  std::vector<std::pair<double, std::string>> order;
  for (const auto& [text, number] : distinct) {
    order.emplace_back(number, text);
  }
  if (all_numbers) {
    std::sort(order.begin(), order.end());
  }

  // 3. Group index of each unit.
  std::map<std::string, std::int32_t> index_of;
  for (const auto& [number, text] : order) {
    index_of.emplace(text, static_cast<std::int32_t>(grouping.group_names.size()));
    grouping.group_names.push_back(text);
  }
  for (std::size_t unit = 0; unit < values.size(); ++unit) {
    if (values[unit]) {
      grouping.group_of_unit[unit] = index_of.at(*values[unit]);
    }
  }
}

}  // namespace

void GroupingOptions::validate() const {
  if (numeric_bins < 2) {
    throw UsageError(fmt::format(
        "--numeric-bins {} is invalid: expected at least 2 quantile groups per numeric attribute.",
        numeric_bins));
  }
}

Grouping make_grouping(std::string attribute, std::span<const std::optional<std::string>> values,
                       const GroupingOptions& options) {
  options.validate();
  constexpr auto kMaxUnits = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
  PRIVAUDIT_CHECK(values.size() <= kMaxUnits,
                  fmt::format("make_grouping: {} units exceed the int32 group index range",
                              values.size()));

  // 1. Parse the values and count the distinct ones.
  std::vector<std::optional<double>> numbers(values.size());
  bool all_numbers = true;
  bool any_missing = false;
  std::vector<std::string_view> distinct;
  for (std::size_t unit = 0; unit < values.size(); ++unit) {
    if (!values[unit]) {
      any_missing = true;
      continue;
    }
    if (*values[unit] == kMissingGroupName) {
      throw InputError(fmt::format(
          "attribute \"{}\" has the value \"{}\", which is the name of the missing-value group: "
          "rename that value in the input table",
          attribute, kMissingGroupName));
    }
    numbers[unit] = parse_finite(*values[unit]);
    all_numbers = all_numbers && numbers[unit].has_value();
    distinct.push_back(*values[unit]);
  }
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());

  // 2. Groups of the non-missing values.
  Grouping grouping;
  grouping.attribute = std::move(attribute);
  grouping.group_of_unit.assign(values.size(), -1);
  grouping.numeric =
      !distinct.empty() && all_numbers && distinct.size() > options.max_categorical_levels;
  if (grouping.numeric) {
    bin_numeric(numbers, options, grouping);
  } else {
    group_categories(values, numbers, all_numbers, grouping);
  }

  // 3. The missing-value group comes last.
  if (any_missing) {
    const auto missing = static_cast<std::int32_t>(grouping.group_names.size());
    grouping.group_names.emplace_back(kMissingGroupName);
    for (std::size_t unit = 0; unit < values.size(); ++unit) {
      if (!values[unit]) {
        grouping.group_of_unit[unit] = missing;
      }
    }
  }
  return grouping;
}

}  // namespace privaudit::groups
