// The sections of the sweep report and the readers they share. Internal to the report module:
// sweep_report.cpp puts the sections in order inside the page. Each section takes the whole
// sweep.json (format: docs/sweep-format.md), reads it with the defensive readers of
// report_format.h, and states in plain words when its data are missing.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "report/dp_guarantee.h"
#include "report/report_format.h"
#include "report/svg_chart.h"

namespace privaudit::report::detail {

// The "recipes" array of the sweep, or an empty array. Elements may be of any JSON type: the
// readers below treat a non-object recipe as one whose fields are all missing.
const Json& sweep_recipes(const Json& sweep);

// The recipe's "label", else its "name", else "recipe N" (1-based), unescaped.
std::string recipe_label(const Json& recipe, std::size_t index);

// Target epsilon of the recipe; NaN when it is null or missing, which means trained without DP-SGD.
double recipe_epsilon(const Json& recipe);

// The recipe's "dp" object, or nullptr when it has none (trained without DP-SGD).
const Json* recipe_dp(const Json& recipe);

// Whether the recipe was trained with DP-SGD: it has a "dp" object or a finite target epsilon.
bool recipe_uses_dp(const Json& recipe);

// dp.auc_bound, the maximum membership AUC any attack can reach; NaN without DP or when missing.
double recipe_auc_bound(const Json& recipe);

// The recipe's "dp" object read as a DP-SGD guarantee (dp_guarantee.h); nullopt without one.
std::optional<DpGuarantee> recipe_guarantee(const Json& recipe);

// The recipe's epsilon for tables, chart labels and methods: the target epsilon as written
// (target_epsilon_text: "1000", "10.5"), else the accountant's epsilon to 4 significant digits
// (accounted_epsilon_text). "none" for a recipe trained without DP-SGD, "n/a" for a DP recipe
// with neither.
std::string recipe_epsilon_text(const Json& recipe);

// Escaped HTML of a table cell's content for the recipe's epsilon: recipe_epsilon_text, with the
// accountant's epsilon on a second line when the recipe has both a target and an accounted value.
std::string epsilon_cell_html(const Json& recipe);

// Label of a DP recipe's bound reference line: "eps=10 bound" with recipe_epsilon_text, else
// "DP bound".
std::string bound_label(const Json& recipe);

// Whether the survival charts draw the recipe's AUC bound as a line, by the run report's rule
// (dp_bound_drawn): a finite epsilon and a bound below 1.000 at three decimals.
bool bound_drawn(const Json& recipe);

// Whether every patient of the audit pool has exactly one record (counts.pool_patients equals
// counts.pool_records), so that patient results repeat the record results.
bool one_record_per_patient(const Json& sweep);

// Whether the report has the privacy-utility section: the sweep's kind is "epsilon" or the target
// epsilons differ.
bool has_privacy_utility_section(const Json& sweep);

// Fixes a count axis (starting at 0) whose largest plotted value is `largest`: its start goes a
// twentieth of `largest` below 0, so that markers at 0 clear the axis line, and its end is rounded
// outward from the data. When nothing above 0 is plotted (`largest` 0 or NaN) the axis spans
// 0 to 1 with ticks at 0 and 1 only.
void set_count_axis(Axis& axis, double largest);

// The entry of tails.<unit_key> ("records" or "patients_joint") whose threshold is `threshold`,
// or nullptr.
const Json* recipe_tail(const Json& recipe, const char* unit_key, double threshold);

// The aggregate attack with the largest mean AUC.
struct BestAttack {
  std::string name;  // readable name ("RMIA online"); empty when no attack has a finite mean AUC
  double auc = std::numeric_limits<double>::quiet_NaN();  // mean AUC over the target models
  const Json* entry = nullptr;                             // the attack's object in "attacks"
};
BestAttack best_attack(const Json& recipe);

// Whether two recipes have different finite parameter counts.
bool parameters_vary(const Json& sweep);

// Whether the recipes' target epsilons differ (null counts as a value of its own).
bool epsilons_vary(const Json& sweep);

// Axes fixed a little beyond the data, so that points at the extremes are not cut by the plot edge.
// The log10 axis spans [lo / 1.4, hi * 1.4]. The linear axis spans [lo, hi] widened by a tenth of
// its range on each side. Both require finite lo <= hi, and the log axis also lo > 0.
Axis padded_log_axis(const std::string& title, double lo, double hi);
Axis padded_linear_axis(const std::string& title, double lo, double hi);

// "A", "A and B", "A, B and C"; "" for an empty list.
std::string join_words(const std::vector<std::string>& words);

std::string render_sweep_summary_section(const Json& sweep);
std::string render_sweep_survival_section(const Json& sweep);
std::string render_sweep_capacity_section(const Json& sweep);
std::string render_sweep_privacy_utility_section(const Json& sweep);
std::string render_sweep_groups_section(const Json& sweep);
std::string render_sweep_methods_section(const Json& sweep);

}  // namespace privaudit::report::detail
