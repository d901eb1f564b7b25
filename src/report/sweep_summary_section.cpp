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
  const std::string records = count_text(number_at(counts, "pool_records"));
  const std::string patients = count_text(number_at(counts, "pool_patients"));
  const std::string pool = one_record_per_patient(sweep)
                               ? fmt::format("the {} patients of the audit pool, one record each,", patients)
                               : fmt::format("the {} records ({} patients) of the audit pool", records, patients);
  return fmt::format(
      "Every recipe trains {} models on the same plan: the same assignment of {} to the models' training sets, and the "
      "same {} test records.",
      count_text(number_at(&sweep, "models")), pool, count_text(number_at(counts, "test_records")));
}

// "rises from 3 to 41", "falls from 0.812 to 0.790" or "stays at 7".
std::string change_text(double first, double last, const std::string& first_text, const std::string& last_text) {
  if (first_text == last_text) return "stays at " + first_text;
  return (last > first ? "rises from " : "falls from ") + first_text + " to " + last_text;
}

double confirmed_count(const Json& recipe, const char* unit_key, double near) {
  return number_at(recipe_tail(recipe, unit_key, near), "confirmed");
}

// With `one_record_each`, the record counts repeat the patient counts and are left out.
std::string tail_change_sentence(const Json& recipes, double near, bool one_record_each) {
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
    const std::string records = one_record_each ? "" : " and " + count_text(first_records) + " records";
    return fmt::format("The only recipe, {}, has {} patients{} confirmed above AUC {} (above it on both halves of the "
                       "models).",
                       first_label, count_text(first_patients), records, threshold);
  }
  if (std::isnan(first_patients) || std::isnan(last_patients)) {
    return fmt::format("The confirmed count of patients above AUC {} is missing for {}, so the first and last recipes "
                       "cannot be compared.",
                       threshold, std::isnan(first_patients) ? first_label : last_label);
  }
  std::string sentence = fmt::format(
      "From {} to {}, the number of patients confirmed at near-certain risk ({} above {} on both halves of the "
      "models) {}",
      first_label, last_label, one_record_each ? "AUC" : "joint AUC", threshold,
      change_text(first_patients, last_patients, count_text(first_patients), count_text(last_patients)));
  if (!one_record_each && std::isfinite(first_records) && std::isfinite(last_records)) {
    sentence += "; the number of confirmed records " +
                change_text(first_records, last_records, count_text(first_records), count_text(last_records));
  }
  return sentence + ".";
}

double mean_test_auroc(const Json& recipe) { return number(find_path(recipe, {"utility", "test_auroc", "mean"})); }

// The mean test AUROC of the first, the best and the last recipe, so that a peak between the two
// ends is not hidden.
std::string utility_sentence(const Json& recipes) {
  if (recipes.size() < 2) return "";
  const std::size_t last_index = recipes.size() - 1;
  const double first = mean_test_auroc(recipes.front());
  const double last = mean_test_auroc(recipes.back());
  if (std::isnan(first) || std::isnan(last)) return "";
  std::size_t best_index = 0;
  for (std::size_t i = 1; i < recipes.size(); ++i) {
    if (mean_test_auroc(recipes[i]) > mean_test_auroc(recipes[best_index])) best_index = i;
  }
  const double best = mean_test_auroc(recipes[best_index]);
  const std::string first_label = recipe_label(recipes.front(), 0);
  const std::string last_label = recipe_label(recipes.back(), last_index);
  const std::string first_text = fixed(first, 3);
  const std::string last_text = fixed(last, 3);
  const std::string best_text = fixed(best, 3);

  if (best_text != first_text && best_text != last_text) {
    return fmt::format("Over the same recipes, the mean test AUROC is {} for {}, peaks at {} with {}, and is {} for {}.",
                       first_text, first_label, best_text, recipe_label(recipes[best_index], best_index), last_text,
                       last_label);
  }
  if (first_text == last_text) return "Over the same recipes, the mean test AUROC stays at " + first_text + ".";
  const bool first_best = best_text == first_text;
  return fmt::format("Over the same recipes, the mean test AUROC {} from {} ({}{}) to {} ({}{}).",
                     last > first ? "rises" : "falls", first_text, first_label, first_best ? ", the highest" : "",
                     last_text, last_label, first_best ? "" : ", the highest");
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

// With `one_record_each`, the patient check repeats the record check, so each unit counts once, as
// a patient.
BoundFindings bound_findings(const Json& recipes, bool one_record_each) {
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
    if (one_record_each) {
      if (patients == nullptr) patients = records;
      records = nullptr;
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
  const BoundFindings findings = bound_findings(recipes, one_record_per_patient(sweep));
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
  return escape_xml(auc_bound_text(recipe_auc_bound(recipe)));
}

std::string tail_cell(const Json& recipe, const char* unit_key, double near) {
  const Json* entry = recipe_tail(recipe, unit_key, near);
  if (entry == nullptr) return "n/a";
  return escape_xml(count_text(number_at(entry, "in_sample")) + " / " + count_text(number_at(entry, "confirmed")));
}

// Columns shown in the recipe table.
struct TableLayout {
  bool dp = true;           // the ε and DP AUC bound columns, left out when no recipe used DP-SGD
  bool record_tail = true;  // the record tail column, left out when every patient has one record
};

std::string recipe_row(const Json& recipe, std::size_t index, double near, const TableLayout& layout) {
  const BestAttack best = best_attack(recipe);
  std::string attack_cell = "n/a";
  if (!best.name.empty()) {
    attack_cell = escape_xml(mean_sd_text(find(best.entry, "auc"), 3)) + "<span class=\"ci\">" + escape_xml(best.name) +
                  "</span>";
  }
  std::vector<std::string> cells = {escape_xml(recipe_label(recipe, index)),
                                    escape_xml(count_text(number_at(&recipe, "parameters")))};
  if (layout.dp) {
    cells.push_back(epsilon_cell_html(recipe));
    cells.push_back(bound_cell(recipe));
  }
  cells.push_back(escape_xml(mean_sd_text(find_path(recipe, {"utility", "test_auroc"}), 3)));
  cells.push_back(attack_cell);
  cells.push_back(escape_xml(mean_sd_text(find(best.entry, "tpr_at_fpr_0.001"), 3)));
  if (layout.record_tail) cells.push_back(tail_cell(recipe, "records", near));
  cells.push_back(tail_cell(recipe, "patients_joint", near));
  return table_row(cells);
}

std::string recipe_table(const Json& sweep, const Json& recipes, double near) {
  TableLayout layout;
  layout.dp = std::any_of(recipes.begin(), recipes.end(), [](const Json& recipe) { return recipe_uses_dp(recipe); });
  layout.record_tail = !one_record_per_patient(sweep);
  const std::string threshold = std::isnan(near) ? "the near-certain threshold" : fixed(near, 2);

  std::vector<std::string> header = {"Recipe", "Parameters"};
  if (layout.dp) header.insert(header.end(), {"ε", "DP AUC bound"});
  header.insert(header.end(), {"Test AUROC", "Best attack AUC", "Its TPR at 0.1% FPR"});
  if (layout.record_tail) {
    header.push_back(escape_xml("Records above " + threshold + ": all models / confirmed"));
    header.push_back(escape_xml("Patients above " + threshold + ": all models / confirmed"));
  } else {
    header.push_back(escape_xml("Patients (one record each) above " + threshold + ": all models / confirmed"));
  }
  std::string out = "<table class=\"numbers\">\n<thead>" + table_row(header, true) + "</thead>\n<tbody>\n";
  for (std::size_t i = 0; i < recipes.size(); ++i) out += recipe_row(recipes[i], i, near, layout);
  out += "</tbody>\n</table>\n";

  std::string note = "Mean ± standard deviation over the models (test AUROC) or over the target models (attacks).";
  if (layout.dp) {
    note += " ε: the target privacy budget, \"none\" for training without DP-SGD, with the ε that the privacy "
            "accountant reports under it.";
  }
  note += " Best attack: the aggregate attack with the largest mean AUC, named under its AUC. All models / confirmed: ";
  note += layout.record_tail
              ? "records (patients) above the threshold when measured on all models, and those selected on half A of "
                "the models that stay above it on half B. Patients are counted by the joint test over their records."
              : "patients above the threshold when measured on all models, and those selected on half A of the models "
                "that stay above it on half B.";
  return out + "<p class=\"note\">" + escape_xml(note) + "</p>\n";
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
  std::string findings = tail_change_sentence(recipes, near, one_record_per_patient(sweep));
  const std::string utility = utility_sentence(recipes);
  if (!utility.empty()) findings += " " + utility;
  out += "<p>" + escape_xml(findings) + "</p>\n";

  // 2. One row per recipe, in the order requested.
  out += recipe_table(sweep, recipes, near);
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
