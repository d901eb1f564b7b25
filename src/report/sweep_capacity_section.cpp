// The "sweep-capacity" section: confirmed near-certain patients and test AUROC against the number
// of trainable parameters, one point per recipe.
#include <fmt/format.h>

#include <cmath>

#include "report/chart_frame.h"
#include "report/markup.h"
#include "report/palette.h"
#include "report/report_sections.h"
#include "report/svg_chart.h"
#include "report/sweep_sections.h"

namespace privaudit::report::detail {

namespace {

// A scatter chart with one single-point series per recipe, so that the legend names each recipe
// in the colour it has in the survival charts. `counts` starts the y axis just below 0 (see
// set_count_axis); otherwise the axis is padded around the data. Returns "" when no recipe has a
// drawable point.
std::string capacity_chart(const Json& sweep, const std::string& id, const std::string& title,
                           const std::string& y_title, bool counts,
                           double (*value)(const Json& recipe, double near),
                           std::string (*detail)(const Json& recipe, double near)) {
  const Json& recipes = sweep_recipes(sweep);
  const double near = number_at(&sweep, "near_certain_auc");
  ScatterChart chart;
  chart.id = id;
  chart.title = title;
  chart.size.width = kGridChartWidth;
  Extent x_extent;
  Extent y_extent;
  for (std::size_t i = 0; i < recipes.size(); ++i) {
    const Json& recipe = recipes[i];
    const double parameters = number_at(&recipe, "parameters");
    const double y = value(recipe, near);
    ScatterSeries series;
    series.name = recipe_label(recipe, i);
    series.color = std::string(series_color(i));
    series.points.push_back({parameters, y, detail(recipe, near)});
    chart.series.push_back(std::move(series));
    if (parameters > 0.0 && std::isfinite(parameters) && std::isfinite(y)) {
      x_extent.add(parameters, ScaleKind::log10);
      y_extent.add(y, ScaleKind::linear);
    }
  }
  if (x_extent.empty()) return "";
  chart.x_axis = padded_log_axis("trainable parameters per model", x_extent.min, x_extent.max);
  if (counts) {
    chart.y_axis = {y_title};
    set_count_axis(chart.y_axis, y_extent.empty() ? kUnset : y_extent.max);
  } else {
    chart.y_axis = padded_linear_axis(y_title, y_extent.min, y_extent.max);
  }
  return render_scatter_chart(chart);
}

double confirmed_patients(const Json& recipe, double near) {
  return number_at(recipe_tail(recipe, "patients_joint", near), "confirmed");
}

std::string confirmed_detail(const Json& recipe, double near) {
  return count_text(number_at(recipe_tail(recipe, "patients_joint", near), "in_sample")) + " above on all models";
}

double test_auroc(const Json& recipe, double /*near*/) {
  return number(find_path(recipe, {"utility", "test_auroc", "mean"}));
}

std::string auroc_detail(const Json& recipe, double /*near*/) {
  return "test AUROC " + mean_sd_text(find_path(recipe, {"utility", "test_auroc"}), 3);
}

// Labels of the recipes that a log-scale parameter axis cannot show.
std::vector<std::string> recipes_without_parameters(const Json& recipes) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < recipes.size(); ++i) {
    if (!(number_at(&recipes[i], "parameters") > 0.0)) labels.push_back(recipe_label(recipes[i], i));
  }
  return labels;
}

}  // namespace

std::string render_sweep_capacity_section(const Json& sweep) {
  std::string out = "<section id=\"sweep-capacity\">\n<h2>Capacity</h2>\n";
  const double near = number_at(&sweep, "near_certain_auc");
  const std::string threshold = std::isnan(near) ? "the near-certain threshold" : fixed(near, 2);
  out += "<p>A model with more parameters can memorise more of its training data, which raises the membership risk "
         "of the records it memorises; it may also generalise better. Each point is one recipe.</p>\n";

  const std::string tails = capacity_chart(sweep, "sweep-capacity-tails", "Confirmed near-certain patients",
                                           "patients confirmed above " + threshold, true, confirmed_patients,
                                           confirmed_detail);
  const std::string utility = capacity_chart(sweep, "sweep-capacity-auroc", "Test AUROC",
                                             "test AUROC (mean over models)", false, test_auroc, auroc_detail);
  if (tails.empty() && utility.empty()) {
    out += "<p class=\"missing\">No recipe has both a parameter count and a confirmed tail count or test AUROC in this "
           "sweep file.</p>\n";
    return out + "</section>\n";
  }
  const std::vector<std::string> unplaced = recipes_without_parameters(sweep_recipes(sweep));
  const std::string unplaced_note =
      unplaced.empty() ? "" : " Not shown, because the parameter count is missing: " + join_words(unplaced) + ".";

  out += "<div class=\"chart-grid\">\n";
  if (tails.empty()) {
    out += "<p class=\"missing\">The confirmed tail counts of patients are not in this sweep file.</p>\n";
  } else {
    out += figure(tails, "Patients whose joint membership AUC is above " + threshold +
                             " on half A of the models and stays above it on half B, against the trainable parameters "
                             "of one model (log scale)." +
                             unplaced_note);
  }
  if (utility.empty()) {
    out += "<p class=\"missing\">The test AUROC is not in this sweep file.</p>\n";
  } else {
    out += figure(utility, "Mean test AUROC over the models of each recipe, against the trainable parameters of one "
                           "model (log scale). The tooltip of each point shows the standard deviation." +
                               unplaced_note);
  }
  out += "</div>\n";
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
