// The "sweep-survival" section: the survival functions of record and patient AUCs of every
// recipe overlaid, with each DP recipe's AUC bound as a vertical line.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/markup.h"
#include "report/palette.h"
#include "report/report_sections.h"
#include "report/svg_chart.h"
#include "report/sweep_sections.h"

namespace privaudit::report::detail {

namespace {

bool any_record_level_dp(const Json& recipes) {
  return std::any_of(recipes.begin(), recipes.end(),
                     [](const Json& recipe) { return text_at(recipe_dp(recipe), "unit") == "record"; });
}

// One chart with a step line per recipe that has the curve, or a note when none has it.
std::string survival_figure(const Json& sweep, const std::string& unit, const char* key) {
  const Json& recipes = sweep_recipes(sweep);
  const double near = number_at(&sweep, "near_certain_auc");

  LineChart chart;
  chart.id = std::string("sweep-survival-") + key;
  chart.title = fmt::format("{}: share with AUC above x", unit == "record" ? "Records" : "Patients");
  chart.x_axis.title = unit == "record" ? "record AUC x" : "patient AUC x (joint test)";
  chart.x_axis.max = 1.0;
  chart.y_axis.title = "share above x";
  chart.y_axis.scale = ScaleKind::log10;
  chart.size.width = kGridChartWidth;
  chart.x_references.push_back({0.5, "chance"});
  if (std::isfinite(near)) chart.x_references.push_back({near, "near-certain"});

  std::vector<std::string> missing;
  double largest_n = std::nan("");
  bool any_dp = false;
  for (std::size_t i = 0; i < recipes.size(); ++i) {
    const Json& recipe = recipes[i];
    const std::string label = recipe_label(recipe, i);
    if (recipe_uses_dp(recipe)) {
      any_dp = true;
      // A bound of 1.000 to three decimals is no practical limit, and a line at the right edge would
      // only hide the curves' ends.
      if (bound_drawn(recipe)) chart.x_references.push_back({recipe_auc_bound(recipe), bound_label(recipe)});
    }
    const Json* curve = find(find(&recipe, "survival"), key);
    std::vector<double> x = numbers(find(curve, "x"));
    std::vector<double> sf = numbers(find(curve, "sf"));
    if (x.empty() || x.size() != sf.size()) {
      missing.push_back(label);
      continue;
    }
    const double n = number_at(curve, "n");
    if (std::isfinite(n) && n >= 1.0 && !(n <= largest_n)) largest_n = n;
    LineSeries series;
    series.name = label;
    series.x = std::move(x);
    series.y = std::move(sf);
    std::vector<double> lower = numbers(find(curve, "lower"));
    std::vector<double> upper = numbers(find(curve, "upper"));
    if (lower.size() == series.x.size() && upper.size() == series.x.size()) {
      series.lower = std::move(lower);
      series.upper = std::move(upper);
    }
    series.interpolation = Interpolation::step_after;
    series.color = std::string(series_color(i));
    chart.series.push_back(std::move(series));
  }
  if (chart.series.empty()) {
    return fmt::format("<p class=\"missing\">No recipe has the survival function of {} AUCs in this sweep file.</p>\n",
                       unit);
  }
  if (std::isfinite(largest_n)) {
    // Half a step below 1/N of the largest pool, as in the single-run report, so that the last
    // step (a single unit) is drawn above the axis line.
    chart.y_axis.min = 0.5 / largest_n;
    chart.y_axis.max = 1.0;
  }

  std::string caption = fmt::format(
      "Share of the {}{}s whose AUC exceeds x, one curve per recipe, on a log scale down to a single {}. Shaded: 95% "
      "confidence bands. Dashed lines: chance (0.5) and the near-certain threshold.",
      std::isfinite(largest_n) ? count_text(largest_n) + " " : "", unit, unit);
  if (any_dp) {
    // The curves are point estimates, each from a finite number of models, so a noisy unit can lie
    // past its bound without contradicting the guarantee. The bound check distinguishes the two.
    const std::string check = has_privacy_utility_section(sweep) ? "The bound check (section Privacy and utility)"
                                                                 : "The bound check in the summary";
    caption += fmt::format(
        " Each DP recipe's AUC bound is a dashed line labelled with its ε: under that recipe's guarantee, no "
        "membership attack can exceed it on any {0}. The plotted curves are estimates from each recipe's models, so "
        "estimation noise alone carries some {0}s past a bound. {1} tests whether any lies above its bound by more "
        "than noise explains. A bound of 1.000 to three decimals is no practical limit and is not drawn.",
        unit, check);
    if (unit == "patient" && any_record_level_dp(recipes) && !one_record_per_patient(sweep)) {
      caption += " A record-level bound covers one record, so for a patient with several records it is no limit.";
    }
  }
  if (!missing.empty()) caption += " No curve in the sweep file for " + join_words(missing) + ".";
  return figure(render_line_chart(chart), caption);
}

}  // namespace

std::string render_sweep_survival_section(const Json& sweep) {
  std::string out = "<section id=\"sweep-survival\">\n<h2>Risk per record and per patient</h2>\n";
  if (sweep_recipes(sweep).empty()) {
    out += "<p class=\"missing\">The sweep file lists no recipes, so there are no curves to show.</p>\n";
    return out + "</section>\n";
  }
  out += "<p>Each curve is one recipe: the share of records (left) and patients (right) whose membership AUC exceeds "
         "x. A curve further up and to the right means more records or patients whose membership can be inferred. "
         "The right end of each curve is the near-certain tail.</p>\n";
  out += "<div class=\"chart-grid\">\n";
  out += survival_figure(sweep, "record", "records");
  out += survival_figure(sweep, "patient", "patients");
  out += "</div>\n";
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
