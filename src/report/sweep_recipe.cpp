// Readers of one recipe of sweep.json, shared by the sweep report's sections.
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "report/markup.h"
#include "report/sweep_sections.h"

namespace privaudit::report::detail {

const Json& sweep_recipes(const Json& sweep) { return array_or_empty(find(&sweep, "recipes")); }

std::string recipe_label(const Json& recipe, std::size_t index) {
  std::string label = text_at(&recipe, "label");
  if (label.empty()) label = text_at(&recipe, "name");
  return label.empty() ? fmt::format("recipe {}", index + 1) : label;
}

double recipe_epsilon(const Json& recipe) { return number_at(&recipe, "epsilon"); }

const Json* recipe_dp(const Json& recipe) {
  const Json* dp = find(&recipe, "dp");
  return dp != nullptr && dp->is_object() ? dp : nullptr;
}

bool recipe_uses_dp(const Json& recipe) {
  return recipe_dp(recipe) != nullptr || std::isfinite(recipe_epsilon(recipe));
}

double recipe_auc_bound(const Json& recipe) { return number_at(recipe_dp(recipe), "auc_bound"); }

std::optional<DpGuarantee> recipe_guarantee(const Json& recipe) { return read_privacy_object(recipe_dp(recipe)); }

// The accountant's epsilon of a DP recipe; +infinity where sweep.json has "inf", NaN when missing.
double accounted_epsilon(const Json& recipe) {
  const std::optional<DpGuarantee> dp = recipe_guarantee(recipe);
  return dp ? dp->epsilon : std::nan("");
}

std::string recipe_epsilon_text(const Json& recipe) {
  if (!recipe_uses_dp(recipe)) return "none";
  const double target = recipe_epsilon(recipe);
  if (std::isfinite(target)) return target_epsilon_text(target);
  const double accounted = accounted_epsilon(recipe);
  return std::isnan(accounted) ? "n/a" : accounted_epsilon_text(accounted);
}

std::string epsilon_cell_html(const Json& recipe) {
  std::string cell = escape_xml(recipe_epsilon_text(recipe));
  const double accounted = accounted_epsilon(recipe);
  if (std::isfinite(recipe_epsilon(recipe)) && !std::isnan(accounted)) {
    cell += "<span class=\"ci\">accounted " + escape_xml(accounted_epsilon_text(accounted)) + "</span>";
  }
  return cell;
}

std::string bound_label(const Json& recipe) {
  const std::string epsilon = recipe_epsilon_text(recipe);
  return epsilon == "n/a" || epsilon == "none" ? "DP bound" : "eps=" + epsilon + " bound";
}

bool bound_drawn(const Json& recipe) {
  const std::optional<DpGuarantee> dp = recipe_guarantee(recipe);
  return dp && dp_bound_drawn(*dp);
}

bool one_record_per_patient(const Json& sweep) {
  const Json* counts = find(&sweep, "counts");
  const double patients = number_at(counts, "pool_patients");
  return patients > 0.0 && patients == number_at(counts, "pool_records");
}

bool has_privacy_utility_section(const Json& sweep) {
  return text_at(&sweep, "kind") == "epsilon" || epsilons_vary(sweep);
}

void set_count_axis(Axis& axis, double largest) {
  if (!(largest > 0.0)) {
    axis.min = -0.05;
    axis.max = 1.0;
    axis.target_ticks = 2;
    return;
  }
  // The 1-2-5 ticks round the axis end up to at most about 1.5 times the largest count. The margin
  // is then at least a thirty-first of the axis, about 7.5 units on a plot 235 units high, which is
  // more than a marker's radius of 5.
  axis.min = -largest / 20.0;
  axis.max = kUnset;
}

const Json* recipe_tail(const Json& recipe, const char* unit_key, double threshold) {
  if (std::isnan(threshold)) return nullptr;
  for (const auto& entry : array_or_empty(find(find(&recipe, "tails"), unit_key))) {
    // Thresholds are written as decimal literals such as 0.95, so a small tolerance suffices.
    if (std::fabs(number_at(&entry, "threshold") - threshold) < 1e-9) return &entry;
  }
  return nullptr;
}

BestAttack best_attack(const Json& recipe) {
  BestAttack best;
  for (const auto& attack : array_or_empty(find(&recipe, "attacks"))) {
    const double auc = number_at(find(&attack, "auc"), "mean");
    if (std::isfinite(auc) && (std::isnan(best.auc) || auc > best.auc)) {
      best = {attack_label(text_at(&attack, "name", "attack")), auc, &attack};
    }
  }
  return best;
}

bool parameters_vary(const Json& sweep) {
  std::set<double> values;
  for (const auto& recipe : sweep_recipes(sweep)) {
    const double parameters = number_at(&recipe, "parameters");
    if (std::isfinite(parameters)) values.insert(parameters);
  }
  return values.size() > 1;
}

bool epsilons_vary(const Json& sweep) {
  std::set<double> values;
  bool without_dp = false;
  for (const auto& recipe : sweep_recipes(sweep)) {
    const double epsilon = recipe_epsilon(recipe);
    if (std::isnan(epsilon)) {
      without_dp = true;
    } else {
      values.insert(epsilon);
    }
  }
  return values.size() + (without_dp ? 1 : 0) > 1;
}

Axis padded_log_axis(const std::string& title, double lo, double hi) {
  // A factor of 1.4 adds about a seventh of a decade at each end. On a plot about 400 units wide
  // that spans up to ten decades, this leaves more than a marker's radius (5 units).
  constexpr double kFactor = 1.4;
  return {title, ScaleKind::log10, lo / kFactor, hi * kFactor};
}

Axis padded_linear_axis(const std::string& title, double lo, double hi) {
  double pad = (hi - lo) / 10.0;
  if (!(pad > 0.0)) pad = lo != 0.0 ? std::fabs(lo) / 100.0 : 0.01;
  return {title, ScaleKind::linear, lo - pad, hi + pad};
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace privaudit::report::detail
