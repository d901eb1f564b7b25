// Reading summary.json defensively and formatting its numbers for the HTML report. Any value may
// be missing, null or of an unexpected type: readers then return nullptr, NaN or a fallback, and
// formatters print "n/a", so one damaged field never stops the whole report.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace privaudit::report {

using Json = nlohmann::json;

// The value at `key`, or nullptr when `object` is null or not an object, lacks `key`, or the
// value is JSON null.
const Json* find(const Json* object, std::string_view key);

// find() along a path of keys from `root`.
const Json* find_path(const Json& root, std::initializer_list<std::string_view> keys);

// The array at `value`, or an empty array when `value` is null or not an array.
const Json& array_or_empty(const Json* value);

// A number, or NaN when `value` is null or not a number (booleans are not numbers here).
double number(const Json* value);
double number_at(const Json* object, std::string_view key);

// Strings as they are, numbers and booleans in JSON notation, anything else `fallback`.
std::string text(const Json* value, std::string_view fallback = "");
std::string text_at(const Json* object, std::string_view key, std::string_view fallback = "");

// Elements of an array as numbers, non-numbers as NaN; empty when `value` is not an array.
std::vector<double> numbers(const Json* value);

// Fixed notation with `decimals` decimals; "n/a" for NaN, "∞" for infinities.
std::string fixed(double value, int decimals);

// An integer count with thousands separators ("3,745"); "n/a" for NaN.
std::string count_text(double value);

// A p-value: "< 0.001" below 0.001, else three decimals ("0.043"); "n/a" for NaN.
std::string p_value_text(double p);

// A p-value as a clause for running text: "p = 0.043", "p < 0.001" or "p = n/a".
std::string p_clause(double p);

// A share in [0, 1] as a percentage with `decimals` decimals ("11.7%"); "n/a" for NaN.
std::string percent(double share, int decimals = 1);

// "{mean} ± {sd}" from an object with "mean" and "sd"; the SD is left out when missing.
std::string mean_sd_text(const Json* entry, int decimals);

// "{value} ({ci_low} to {ci_high})" from an object with "value", "ci_low" and "ci_high"; values are
// scaled by 100 and printed with "%" when `as_percent`.
std::string estimate_text(const Json* entry, int decimals, bool as_percent = false);

// Significance mark of a group's two-sided p-value: "**" below 0.05 / groups_tested (Bonferroni
// over the groups of its attribute), "*" below 0.05, else "". NaN gives "".
std::string significance_mark(double p_value, std::size_t groups_tested);

// Lower-case ASCII letters and digits of `name` with other runs as '-', for element ids; "item"
// when nothing is left.
std::string slug(std::string_view name);

// Human-readable name of an aggregate attack ("lira_online" -> "LiRA online").
std::string attack_label(const std::string& name);

}  // namespace privaudit::report
