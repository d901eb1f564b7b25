// The "sweep-summary" section: what the sweep varied, one table row per recipe, and plain
// sentences on how the near-certain tail and utility change and whether the DP bounds hold.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/markup.h"
#include "report/report_sections.h"
#include "report/sweep_sections.h"

namespace privaudit::report::detail {

namespace {

std::string varied_sentence(const Json& sweep, std::size_t recipes) {
  const std::string kind = text_at(&sweep, "kind");
  const std::string count = fmt::format("{} recipe{}", recipes, recipes == 1 ? "" : "s");
  if (kind == "capacity") {
    return "This sweep varies the model capacity (trainable parameters per model) over " + count + ".";
  }
  if (kind == "epsilon") return "This sweep varies the privacy budget ε of DP-SGD training over " + count + ".";
  if (kind.empty()) return "The sweep file does not say what varies between its " + count + ".";
  return "The sweep file names an unknown kind \"" + kind + "\" for its " + count +
         "; this report expects \"capacity\" or \"epsilon\".";
}

std::string plan_sentence(const Json& sweep) {
  const Json* counts = find(&sweep, "counts");
  return fmt::format(
      "Every recipe trains {} models on the same plan: the same assignment of the {} records ({} patients) of the "
      "audit pool to the models' training sets, and the same {} test records.",
      count_text(number_at(&sweep, "models")), count_text(number_at(counts, "pool_records")),
      count_text(number_at(counts, "pool_patients")), count_text(number_at(counts, "test_records")));
}

// "rises from 3 to 41", "falls from 0.812 to 0.790" or "stays at 7".
std::string change_text(double first, double last, const std::string& first_text, const std::string& last_text) {
  if (first_text == last_text) return "stays at " + first_text;
  return (last > first ? "rises from " : "falls from ") + first_text + " to " + last_text;
}

double confirmed_count(const Json& recipe, const char* unit_key, double near) {
  return number_at(recipe_tail(recipe, unit_key, near), "confirmed");
}

std::string tail_change_sentence(const Json& recipes, double near) {
  if (std::isnan(near)) {
    return "The sweep file does not state the near-certain threshold, so the tails are not compared.";
  }
  const Json& first = recipes.front();
  const Json& last = recipes.back();
  const std::string first_label = recipe_label(first, 0);
  const std::string last_label = recipe_label(last, recipes.size() - 1);
  const double first_patients = confirmed_count(first, "patients_joint", near);
  const double last_patients = confirmed_count(last, "patients_joint", near);
  const double first_records = confirmed_count(first, "records", near);
  const double last_records = confirmed_count(last, "records", near);
  const std::string threshold = fixed(near, 2);

  if (recipes.size() == 1) {
    return fmt::format("The only recipe, {}, has {} patients and {} records confirmed above AUC {} (above it on both "
                       "halves of the models).",
                       first_label, count_text(first_patients), count_text(first_records), threshold);
  }
  if (std::isnan(first_patients) || std::isnan(last_patients)) {
    return fmt::format("The confirmed count of patients above AUC {} is missing for {}, so the first and last recipes "
                       "cannot be compared.",
                       threshold, std::isnan(first_patients) ? first_label : last_label);
  }
  std::string sentence = fmt::format(
      "From {} to {}, the number of patients confirmed at near-certain risk (joint AUC above {} on both halves of the "
      "models) {}",
      first_label, last_label, threshold,
      change_text(first_patients, last_patients, count_text(first_patients), count_text(last_patients)));
  if (std::isfinite(first_records) && std::isfinite(last_records)) {
    sentence += "; the number of confirmed records " +
                change_text(first_records, last_records, count_text(first_records), count_text(last_records));
  }
  return sentence + ".";
}

std::string utility_sentence(const Json& recipes) {
  if (recipes.size() < 2) return "";
  const double first = number(find_path(recipes.front(), {"utility", "test_auroc", "mean"}));
  const double last = number(find_path(recipes.back(), {"utility", "test_auroc", "mean"}));
  if (std::isnan(first) || std::isnan(last)) return "";
  const std::string change = change_text(first, last, fixed(first, 3), fixed(last, 3));
  return "Over the same recipes, the mean test AUROC " + change + ".";
}

// "1 patient", "3 records".
std::string unit_count(double count, const char* unit) {
  return count_text(count) + " " + unit + (count == 1.0 ? "" : "s");
}

// "2 patients and 3 records", leaving out zero counts; "" when both are zero.
std::string units_text(double patients, double records) {
  std::vector<std::string> parts;
  if (patients > 0.0) parts.push_back(unit_count(patients, "patient"));
  if (records > 0.0) parts.push_back(unit_count(records, "record"));
  return join_words(parts);
}

// How a bound check decides that a unit is beyond estimation noise, as docs/sweep-format.md defines
// beyond_se.
constexpr const char* kBoundTest =
    "one-sided z test against the bound, Bonferroni-corrected over the units tested, family-wise 5%";

struct BoundFindings {
  std::vector<std::string> dp_recipes;  // labels of the recipes trained with DP-SGD
  std::vector<std::string> unlimited;   // DP recipes whose AUC bound is 1, which need no check
  std::vector<std::string> unchecked;   // other DP recipes without a bound check
  std::vector<std::string> violations;  // "LABEL (2 patients and 3 records)"
  double records_within_noise = 0.0;    // confirmed above a bound, but not beyond estimation noise
  double patients_within_noise = 0.0;
  double records_untested = 0.0;        // selected above a bound, but with too few models on half B
  double patients_untested = 0.0;
};

// Confirmed units of one bound_check entry that are not beyond estimation noise.
double within_noise(const Json* unit) {
  const double confirmed = number_at(unit, "confirmed");
  const double beyond = number_at(unit, "beyond_se");
  if (!std::isfinite(confirmed)) return 0.0;
  return std::max(0.0, confirmed - (std::isfinite(beyond) ? beyond : 0.0));
}

// Selected units of one bound_check entry that had too few models on half B for the z test.
double untested(const Json* unit) {
  const double selected = number_at(unit, "selected");
  const double tested = number_at(unit, "tested");
  if (!std::isfinite(selected) || !std::isfinite(tested)) return 0.0;
  return std::max(0.0, selected - tested);
}

BoundFindings bound_findings(const Json& recipes) {
  BoundFindings findings;
  for (std::size_t i = 0; i < recipes.size(); ++i) {
    const Json& recipe = recipes[i];
    if (!recipe_uses_dp(recipe)) continue;
    const std::string label = recipe_label(recipe, i);
    findings.dp_recipes.push_back(label);
    const Json* check = find(recipe_dp(recipe), "bound_check");
    const Json* records = find(check, "records");
    const Json* patients = find(check, "patients");
    if (records == nullptr && patients == nullptr) {
      // sweep.json has a bound check only where the bound is below 1.
      (recipe_auc_bound(recipe) >= 1.0 ? findings.unlimited : findings.unchecked).push_back(label);
      continue;
    }
    const std::string beyond = units_text(number_at(patients, "beyond_se"), number_at(records, "beyond_se"));
    if (!beyond.empty()) findings.violations.push_back(label + " (" + beyond + ")");
    findings.records_within_noise += within_noise(records);
    findings.patients_within_noise += within_noise(patients);
    findings.records_untested += untested(records);
    findings.patients_untested += untested(patients);
  }
  return findings;
}

std::string violation_notice(const BoundFindings& findings) {
  const std::string text = fmt::format(
      "In {}, the membership AUC measured on half B of the models is above the recipe's DP AUC bound by more than "
      "estimation noise explains ({}). This points to a bug in the DP training or its privacy accounting. Do not rely "
      "on the stated ε of {} until the cause is found.",
      join_words(findings.violations), kBoundTest, findings.violations.size() == 1 ? "this recipe" : "these recipes");
  return "<div class=\"fact highlight violation\">\n<p><strong class=\"mark\">Privacy bound violated.</strong> " +
         escape_xml(text) + "</p>\n</div>\n";
}

std::string bounds_hold_sentence(const BoundFindings& findings) {
  std::string sentence = fmt::format(
      "The confirmed tails stay under the DP bounds: in no DP recipe{} is a record's or patient's AUC on half B of the "
      "models above the recipe's AUC bound by more than estimation noise explains ({}).",
      findings.unchecked.empty() ? "" : " with a bound check", kBoundTest);
  const std::string within = units_text(findings.patients_within_noise, findings.records_within_noise);
  if (!within.empty()) sentence += " " + within + " confirmed above a bound are within estimation noise of it.";
  return sentence;
}

// The prominent violation notice, or the plain sentence that the confirmed tails stay under the
// bounds, followed by what was not checked. Nothing when no recipe used DP-SGD in a sweep that is
// not an epsilon sweep.
std::string bound_block(const Json& sweep, const Json& recipes) {
  const BoundFindings findings = bound_findings(recipes);
  if (findings.dp_recipes.empty()) {
    if (text_at(&sweep, "kind") != "epsilon") return "";
    return "<p>No recipe of this sweep was trained with DP-SGD, so there is no privacy bound to check.</p>\n";
  }

  std::string out;
  const std::size_t checked = findings.dp_recipes.size() - findings.unlimited.size() - findings.unchecked.size();
  if (!findings.violations.empty()) {
    out += violation_notice(findings);
  } else if (checked > 0) {
    out += "<p>" + escape_xml(bounds_hold_sentence(findings)) + "</p>\n";
  }

  std::vector<std::string> notes;
  const std::string untested_units = units_text(findings.patients_untested, findings.records_untested);
  if (!untested_units.empty()) {
    notes.push_back(untested_units + " above a bound on half A had too few models on half B for the test, so the "
                                     "check says nothing about them.");
  }
  if (!findings.unlimited.empty()) {
    notes.push_back(fmt::format("{} {} an AUC bound of 1, which does not limit the membership AUC, so there is "
                                "nothing to check.",
                                join_words(findings.unlimited), findings.unlimited.size() == 1 ? "has" : "have"));
  }
  if (!notes.empty()) {
    std::string text = notes.front();
    for (std::size_t i = 1; i < notes.size(); ++i) text += " " + notes[i];
    out += "<p>" + escape_xml(text) + "</p>\n";
  }
  if (!findings.unchecked.empty()) {
    out += "<p class=\"missing\">" +
           escape_xml(fmt::format("The bound check is missing for {}, so this report cannot say whether {} tails stay "
                                  "under the bound.",
                                  join_words(findings.unchecked), findings.unchecked.size() == 1 ? "its" : "their")) +
           "</p>\n";
  }
  return out;
}

std::string bound_cell(const Json& recipe) {
  if (!recipe_uses_dp(recipe)) return "none";
  const double bound = recipe_auc_bound(recipe);
  if (bound >= 1.0) return "1 (no limit)";
  return escape_xml(fixed(bound, 4));
}

std::string tail_cell(const Json& recipe, const char* unit_key, double near) {
  const Json* entry = recipe_tail(recipe, unit_key, near);
  if (entry == nullptr) return "n/a";
  return escape_xml(count_text(number_at(entry, "in_sample")) + " / " + count_text(number_at(entry, "confirmed")));
}

std::string recipe_row(const Json& recipe, std::size_t index, double near) {
  const BestAttack best = best_attack(recipe);
  std::string attack_cell = "n/a";
  if (!best.name.empty()) {
    attack_cell = escape_xml(mean_sd_text(find(best.entry, "auc"), 3)) + "<span class=\"ci\">" + escape_xml(best.name) +
                  "</span>";
  }
  return table_row({escape_xml(recipe_label(recipe, index)), escape_xml(count_text(number_at(&recipe, "parameters"))),
                    epsilon_cell_html(recipe), bound_cell(recipe),
                    escape_xml(mean_sd_text(find_path(recipe, {"utility", "test_auroc"}), 3)), attack_cell,
                    escape_xml(mean_sd_text(find(best.entry, "tpr_at_fpr_0.001"), 3)),
                    tail_cell(recipe, "records", near), tail_cell(recipe, "patients_joint", near)});
}

}  // namespace

std::string render_sweep_summary_section(const Json& sweep) {
  std::string out = "<section id=\"sweep-summary\">\n<h2>Summary</h2>\n";
  const Json& recipes = sweep_recipes(sweep);
  const double near = number_at(&sweep, "near_certain_auc");
  out += "<p>" + escape_xml(varied_sentence(sweep, recipes.size()) + " " + plan_sentence(sweep)) + "</p>\n";
  if (recipes.empty()) {
    out += "<p class=\"missing\">The sweep file lists no recipes, so there is nothing to compare.</p>\n";
    return out + "</section>\n";
  }

  // 1. Plain findings: the bound check first, because a violation outweighs everything else.
  out += bound_block(sweep, recipes);
  std::string findings = tail_change_sentence(recipes, near);
  const std::string utility = utility_sentence(recipes);
  if (!utility.empty()) findings += " " + utility;
  out += "<p>" + escape_xml(findings) + "</p>\n";

  // 2. One row per recipe, in the order requested.
  const std::string threshold = std::isnan(near) ? "the near-certain threshold" : fixed(near, 2);
  out += "<table class=\"numbers\">\n<thead>" +
         table_row({"Recipe", "Parameters", "ε", "DP AUC bound", "Test AUROC", "Best attack AUC", "Its TPR at 0.1% FPR",
                    escape_xml("Records above " + threshold + ": all models / confirmed"),
                    escape_xml("Patients above " + threshold + ": all models / confirmed")},
                   true) +
         "</thead>\n<tbody>\n";
  for (std::size_t i = 0; i < recipes.size(); ++i) out += recipe_row(recipes[i], i, near);
  out += "</tbody>\n</table>\n";
  out += "<p class=\"note\">Mean ± standard deviation over the models (test AUROC) or over the target models "
         "(attacks). ε: the target privacy budget, \"none\" for training without DP-SGD, with the ε that the privacy "
         "accountant reports under it. Best attack: the aggregate attack with the largest mean AUC, named under its "
         "AUC. All models / confirmed: records (patients) above the threshold when measured on all models, and those "
         "selected on half A of the models that stay above it on half B. Patients are counted by the joint test over "
         "their records.</p>\n";
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
