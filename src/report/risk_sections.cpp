// The "survival", "attacks" and "patients" sections: how record and patient AUCs are distributed,
// the conventional aggregate attacks, and the most exposed patients.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/dp_guarantee.h"
#include "report/markup.h"
#include "report/palette.h"
#include "report/report_sections.h"
#include "report/svg_chart.h"

namespace privaudit::report::detail {

namespace {

// Rows of the exposed-patient table shown before the rest folds into a <details> element.
constexpr std::size_t kPatientRowsShown = 50;

// A survival-function chart, or a note when the curve is missing.
std::string survival_figure(const Json& summary, const std::string& unit, const char* key, double near) {
  const Json* curve = find_path(summary, {"survival", key});
  const std::vector<double> x = numbers(find(curve, "x"));
  const std::vector<double> sf = numbers(find(curve, "sf"));
  if (curve == nullptr || x.empty() || x.size() != sf.size()) {
    return fmt::format("<p class=\"missing\">The survival function of {} AUCs is not in this summary.</p>\n", unit);
  }
  LineChart chart;
  chart.id = std::string("survival-") + key;
  chart.title = fmt::format("{}: share with AUC above x", unit == "record" ? "Records" : "Patients");
  chart.x_axis.title = unit == "record" ? "record AUC x" : "patient AUC x (joint test)";
  chart.x_axis.max = 1.0;
  chart.y_axis.title = "share above x";
  chart.size.width = kGridChartWidth;
  chart.y_axis.scale = ScaleKind::log10;
  const double n = number_at(curve, "n");
  if (std::isfinite(n) && n >= 1.0) {
    // Half a step below 1/N, so that the last step (a single unit) is drawn above the axis line.
    chart.y_axis.min = 0.5 / n;
    chart.y_axis.max = 1.0;
  }
  LineSeries series;
  series.name = unit == "record" ? "records" : "patients";
  series.x = x;
  series.y = sf;
  std::vector<double> lower = numbers(find(curve, "lower"));
  std::vector<double> upper = numbers(find(curve, "upper"));
  if (lower.size() == x.size() && upper.size() == x.size()) {
    series.lower = std::move(lower);
    series.upper = std::move(upper);
  }
  series.interpolation = Interpolation::step_after;
  series.color = std::string(unit == "record" ? kBlue : kVermillion);
  chart.series.push_back(std::move(series));
  chart.x_references.push_back({0.5, "chance"});
  if (std::isfinite(near)) chart.x_references.push_back({near, "near-certain"});
  const std::optional<DpGuarantee> dp = read_dp_guarantee(summary);
  if (dp && dp_bound_drawn(*dp) && (unit == "record" || bound_covers_patients(*dp))) {
    chart.x_references.push_back({dp->auc_bound, dp_bound_label(*dp)});
  }

  std::string caption = fmt::format(
      "Share of the {} {}s whose AUC exceeds x, on a log scale down to a single {} (1/N, the lowest step). Shaded: 95% "
      "confidence band. Dashed lines: chance (0.5) and the near-certain threshold.",
      count_text(n), unit, unit);
  if (dp) caption += dp_survival_caption(*dp, unit, number(find(&summary, "models")));
  return figure(render_line_chart(chart), caption);
}

std::string tail_rows(const Json& summary, const char* key, const std::string& label) {
  std::string rows;
  for (const auto& entry : array_or_empty(find_path(summary, {"tails", key}))) {
    rows += table_row({escape_xml(label), escape_xml(fixed(number_at(&entry, "threshold"), 2)),
                       escape_xml(count_text(number_at(&entry, "in_sample"))),
                       escape_xml(count_text(number_at(&entry, "selected"))),
                       escape_xml(count_text(number_at(&entry, "confirmed"))),
                       escape_xml(fixed(number_at(&entry, "mean_holdout_auc"), 3))});
  }
  return rows;
}

}  // namespace

std::string render_survival_section(const Json& summary) {
  const double near = number(find_path(summary, {"config", "analysis", "near_certain_auc"}));
  std::string out = "<section id=\"survival\">\n<h2>Risk per record and per patient</h2>\n";
  out += "<p>Each record's AUC measures how well the models that trained on it can be told apart from those that did "
         "not, using that record's outputs alone. A patient's joint AUC combines all of the patient's records. The "
         "curves show how many records and patients exceed each AUC: the right end of each curve is the tail of "
         "near-certain membership.</p>\n";
  out += "<div class=\"chart-grid\">\n";
  out += survival_figure(summary, "record", "records", near);
  out += survival_figure(summary, "patient", "patients", near);
  out += "</div>\n";

  std::string rows = tail_rows(summary, "records", "records") +
                     tail_rows(summary, "patients_max", "patients, max record AUC") +
                     tail_rows(summary, "patients_joint", "patients, joint test");
  if (rows.empty()) {
    out += "<p class=\"missing\">The tail counts are not in this summary.</p>\n";
    return out + "</section>\n";
  }
  out += "<h3>Tail counts, confirmed against the winner's curse</h3>\n";
  out += "<p>The models are split into two halves. Half A selects the units above each threshold; half B, which "
         "played no part in the selection, re-measures them. The count on all models is biased upward, because "
         "noise pushes some estimates over the threshold; the confirmed count is not.</p>\n";
  out += "<table class=\"numbers\">\n<thead>" +
         table_row({"Unit", "AUC above", "On all models", "Selected on half A", "Confirmed on half B",
                    "Mean half-B AUC of the selected"},
                   true) +
         "</thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
  return out + "</section>\n";
}

std::string render_attacks_section(const Json& summary) {
  std::string out = "<section id=\"attacks\">\n<h2>Aggregate attacks</h2>\n";
  const double targets = number(find_path(summary, {"config", "analysis", "attacks", "targets"}));
  out += fmt::format(
      "<p>The conventional evaluation: {} of the models act as targets and the others as the attacker's reference "
      "models. Each attack scores every pool record against each target; the ROC curve shows the true positive rate "
      "(members found) at each false positive rate (non-members wrongly accused). Low false positive rates matter "
      "most, because an attacker needs to be right when they claim a person was in the training data.</p>\n",
      escape_xml(count_text(targets)));

  // 1. ROC curves on log-log axes, mean over targets with a band of one SD.
  const Json& roc = array_or_empty(find(&summary, "roc"));
  double fpr_min = std::numeric_limits<double>::infinity();
  for (const auto& attack : roc) {
    for (const double fpr : numbers(find(&attack, "fpr"))) {
      if (fpr > 0.0) fpr_min = std::min(fpr_min, fpr);
    }
  }
  if (roc.empty() || !std::isfinite(fpr_min) || fpr_min >= 1.0) {
    out += "<p class=\"missing\">The ROC curves are not in this summary.</p>\n";
  } else {
    LineChart chart;
    chart.id = "roc";
    chart.title = "ROC curves of the aggregate attacks";
    chart.x_axis = {"false positive rate", ScaleKind::log10, fpr_min, 1.0};
    chart.y_axis = {"true positive rate", ScaleKind::log10, fpr_min, 1.0};
    chart.size.height = 420.0;
    for (const auto& attack : roc) {
      LineSeries series;
      series.name = attack_label(text_at(&attack, "name", "attack"));
      series.x = numbers(find(&attack, "fpr"));
      series.y = numbers(find(&attack, "tpr_mean"));
      if (series.y.size() != series.x.size()) continue;
      const std::vector<double> sd = numbers(find(&attack, "tpr_sd"));
      if (sd.size() == series.x.size()) {
        for (std::size_t i = 0; i < sd.size(); ++i) {
          series.lower.push_back(series.y[i] - sd[i]);
          series.upper.push_back(series.y[i] + sd[i]);
        }
      }
      chart.series.push_back(std::move(series));
    }
    LineSeries chance;
    chance.name = "chance (random guessing)";
    chance.x = {fpr_min, 1.0};
    chance.y = {fpr_min, 1.0};
    chance.dashed = true;
    chance.hover_points = false;
    chance.color = std::string(kGrey);
    chart.series.push_back(std::move(chance));
    chart.x_references = {{0.001, "0.1% FPR"}, {0.01, "1% FPR"}};
    out += figure(render_line_chart(chart),
                  "Mean true positive rate over the target models against the false positive rate, both on log "
                  "scales. Shaded: ± one standard deviation over targets. A curve on the dashed diagonal is no "
                  "better than guessing.");
  }

  // 2. AUC and TPR at fixed FPR.
  const Json& attacks = array_or_empty(find(&summary, "attacks"));
  if (attacks.empty()) {
    out += "<p class=\"missing\">The aggregate attack results are not in this summary.</p>\n";
    return out + "</section>\n";
  }
  out += "<table class=\"numbers\">\n<thead>" +
         table_row({"Attack", "AUC", "TPR at 0.1% FPR", "TPR at 1% FPR"}, true) + "</thead>\n<tbody>\n";
  std::string notes;
  for (const auto& attack : attacks) {
    out += table_row({escape_xml(attack_label(text_at(&attack, "name", "attack"))),
                      escape_xml(mean_sd_text(find(&attack, "auc"), 3)),
                      escape_xml(mean_sd_text(find(&attack, "tpr_at_fpr_0.001"), 3)),
                      escape_xml(mean_sd_text(find(&attack, "tpr_at_fpr_0.01"), 3))});
    const double a = number_at(&attack, "rmia_offline_a");
    if (std::isfinite(a)) {
      notes += fmt::format("<p class=\"note\">{} used a = {}, tuned on reference models only, never on the target's "
                           "membership.</p>\n",
                           escape_xml(attack_label(text_at(&attack, "name", "attack"))), escape_xml(fixed(a, 2)));
    }
  }
  out += "</tbody>\n</table>\n<p class=\"note\">Mean ± standard deviation over the target models.</p>\n" + notes;
  return out + "</section>\n";
}

namespace {

std::string patient_row(std::size_t rank, const Json& patient) {
  std::string groups;
  const Json* group_map = find(&patient, "groups");
  if (group_map != nullptr && group_map->is_object()) {
    for (const auto& item : group_map->items()) {
      groups += fmt::format("{}<span class=\"group\">{}: {}</span>", groups.empty() ? "" : " ", escape_xml(item.key()),
                            escape_xml(text(&item.value(), "n/a")));
    }
  }
  const double auc = number_at(&patient, "joint_auc");
  const double se = number_at(&patient, "joint_auc_se");
  const std::string joint = std::isnan(se) ? fixed(auc, 3) : fixed(auc, 3) + " ± " + fixed(se, 3);
  return table_row({std::to_string(rank), "<code>" + escape_xml(text_at(&patient, "id", "n/a")) + "</code>",
                    escape_xml(joint), escape_xml(fixed(number_at(&patient, "max_record_auc"), 3)),
                    escape_xml(count_text(number_at(&patient, "records"))), groups});
}

}  // namespace

std::string render_patients_section(const Json& summary) {
  std::string out = "<section id=\"patients\">\n<h2>Most exposed patients</h2>\n";
  const Json& patients = array_or_empty(find(&summary, "exposed_patients"));
  if (patients.empty()) {
    out += "<p class=\"missing\">The summary lists no exposed patients.</p>\n";
    return out + "</section>\n";
  }
  const bool pseudonymized = text(find_path(summary, {"config", "analysis", "pseudonymized_ids"})) == "true";
  out += fmt::format(
      "<p>The {} patients with the highest joint membership AUC, highest first. Joint AUC ± its Hanley-McNeil "
      "standard error; the maximum record AUC is the single most exposed record of the patient. {} The table never "
      "shows feature values; groups with fewer patients than the reporting minimum read \"suppressed\".</p>\n",
      count_text(static_cast<double>(patients.size())),
      pseudonymized ? "Patient ids are pseudonyms (keyed hashes): only the holder of the key can map them back."
                    : "Patient ids are shown as in the input file; treat this report as confidential as the data.");
  const std::string head = "<table class=\"numbers patients\">\n<thead>" +
                           table_row({"#", "Patient", "Joint AUC ± SE", "Max record AUC", "Records", "Groups"}, true) +
                           "</thead>\n<tbody>\n";
  out += head;
  for (std::size_t i = 0; i < patients.size(); ++i) {
    if (i == kPatientRowsShown) {
      out += fmt::format("</tbody>\n</table>\n<details>\n<summary>Show the other {} patients</summary>\n{}",
                         patients.size() - kPatientRowsShown, head);
    }
    out += patient_row(i + 1, patients[i]);
  }
  out += "</tbody>\n</table>\n";
  if (patients.size() > kPatientRowsShown) out += "</details>\n";
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
