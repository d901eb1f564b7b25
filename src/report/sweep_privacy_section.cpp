// The "sweep-privacy-utility" section of an epsilon sweep: test AUROC and confirmed tails against
// epsilon, each DP recipe's AUC bound next to the largest AUC measured on half B of the models,
// and the bound check of every recipe.
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

// Caption sentence for charts that leave out the patient series.
constexpr const char* kOneRecordNote =
    "Every patient has one record here, so the patients are the records and only the record series is drawn.";

// A DP recipe placed on the epsilon axis.
struct EpsilonPoint {
  double epsilon = 0.0;  // target epsilon, else the accountant's; > 0
  std::size_t index = 0;  // position in "recipes"
};

// The DP recipes with a positive epsilon, by ascending epsilon.
std::vector<EpsilonPoint> epsilon_points(const Json& recipes) {
  std::vector<EpsilonPoint> points;
  for (std::size_t i = 0; i < recipes.size(); ++i) {
    if (!recipe_uses_dp(recipes[i])) continue;
    double epsilon = recipe_epsilon(recipes[i]);
    if (!std::isfinite(epsilon)) epsilon = number_at(recipe_dp(recipes[i]), "epsilon");
    if (std::isfinite(epsilon) && epsilon > 0.0) points.push_back({epsilon, i});
  }
  std::stable_sort(points.begin(), points.end(),
                   [](const EpsilonPoint& a, const EpsilonPoint& b) { return a.epsilon < b.epsilon; });
  return points;
}

// The epsilon axis, fixed so that the dashed lines of the recipes without DP can span the whole
// plot.
Axis epsilon_axis(const std::vector<EpsilonPoint>& points) {
  return padded_log_axis("ε (log scale)", points.front().epsilon, points.back().epsilon);
}

// Reads one quantity of a recipe; NaN when it is missing.
using Reader = double (*)(const Json& recipe, double near);

// A line with points over the DP recipes, and a dashed horizontal line at the value of each recipe
// without DP. The dashed line names its recipe only when there are several without DP.
void add_series(LineChart& chart, const Json& recipes, const std::vector<EpsilonPoint>& points, double near,
                const std::string& name, std::string_view color, Reader value, Reader sd) {
  LineSeries series;
  series.name = name;
  series.color = std::string(color);
  const bool band = sd != nullptr;
  for (const auto& point : points) {
    const double y = value(recipes[point.index], near);
    series.x.push_back(point.epsilon);
    series.y.push_back(y);
    if (band) {
      const double spread = sd(recipes[point.index], near);
      series.lower.push_back(y - spread);
      series.upper.push_back(y + spread);
    }
  }
  chart.series.push_back(std::move(series));

  const auto without_dp = std::count_if(recipes.begin(), recipes.end(),
                                        [](const Json& recipe) { return !recipe_uses_dp(recipe); });
  for (std::size_t i = 0; i < recipes.size(); ++i) {
    if (recipe_uses_dp(recipes[i])) continue;
    const double y = value(recipes[i], near);
    if (!std::isfinite(y)) continue;
    LineSeries flat;
    flat.name = name + ", without DP" + (without_dp > 1 ? " (" + recipe_label(recipes[i], i) + ")" : "");
    flat.color = std::string(color);
    flat.dashed = true;
    flat.hover_points = false;
    flat.x = {chart.x_axis.min, chart.x_axis.max};
    flat.y = {y, y};
    chart.series.push_back(std::move(flat));
  }
}

// One unit's entry of a recipe's bound check: "records" or "patients"; nullptr when missing.
const Json* check_entry(const Json& recipe, const char* unit_key) {
  return find(find(recipe_dp(recipe), "bound_check"), unit_key);
}

double auroc_mean(const Json& recipe, double) { return number(find_path(recipe, {"utility", "test_auroc", "mean"})); }
double auroc_sd(const Json& recipe, double) { return number(find_path(recipe, {"utility", "test_auroc", "sd"})); }
double patients_confirmed(const Json& recipe, double near) {
  return number_at(recipe_tail(recipe, "patients_joint", near), "confirmed");
}
double records_confirmed(const Json& recipe, double near) {
  return number_at(recipe_tail(recipe, "records", near), "confirmed");
}
double auc_bound(const Json& recipe, double) { return recipe_auc_bound(recipe); }
double records_max_holdout(const Json& recipe, double) {
  return number_at(check_entry(recipe, "records"), "max_holdout_auc");
}
double patients_max_holdout(const Json& recipe, double) {
  return number_at(check_entry(recipe, "patients"), "max_holdout_auc");
}

LineChart epsilon_chart(const std::string& id, const std::string& title, const std::string& y_title,
                        const std::vector<EpsilonPoint>& points) {
  LineChart chart;
  chart.id = id;
  chart.title = title;
  chart.x_axis = epsilon_axis(points);
  chart.y_axis.title = y_title;
  chart.size.width = kGridChartWidth;
  return chart;
}

// The largest finite y value of the chart's series; NaN when there is none.
double largest_y(const LineChart& chart) {
  double largest = std::nan("");
  for (const auto& series : chart.series) {
    for (const double y : series.y) {
      if (std::isfinite(y) && !(y <= largest)) largest = y;
    }
  }
  return largest;
}

// For one unit of one DP recipe whose largest half-B AUC lies above its bound, why that does not
// by itself break the guarantee: the z test over the selected units. "" when it lies below.
std::string above_bound_sentence(const Json& recipe, const char* unit_key, const std::string& unit) {
  const Json* entry = check_entry(recipe, unit_key);
  const double bound = recipe_auc_bound(recipe);
  const double largest = number_at(entry, "max_holdout_auc");
  if (!(largest > bound)) return "";
  const double tested = number_at(entry, "tested");
  const double selected = number_at(entry, "selected");
  const double beyond = number_at(entry, "beyond_se");
  std::string sentence = fmt::format("At ε = {}, the largest half-B AUC of the {}s ({}) is above the bound ({}), ",
                                     recipe_epsilon_text(recipe), unit, fixed(largest, 3), auc_bound_text(bound));
  if (beyond > 0.0) {
    return sentence + fmt::format("and {} of the {} {}s tested {} above it by more than noise explains (largest z {}, "
                                  "critical {}).",
                                  count_text(beyond), count_text(tested), unit, beyond == 1.0 ? "is" : "are",
                                  fixed(number_at(entry, "max_z"), 2), fixed(number_at(entry, "z"), 2));
  }
  if (tested > 0.0) {
    return sentence + fmt::format("but the largest z of the {} {}s tested is {}, below the critical {}, so none of "
                                  "them is above the bound by more than noise explains.",
                                  count_text(tested), unit, fixed(number_at(entry, "max_z"), 2),
                                  fixed(number_at(entry, "z"), 2));
  }
  if (selected > 0.0) {
    return sentence + fmt::format("but none of the {} {}s above the bound on half A had enough models on half B for "
                                  "the test.",
                                  count_text(selected), unit);
  }
  return sentence + fmt::format("but no {} was above the bound on half A, which selects the {}s to test, so none "
                                "was tested.",
                                unit, unit);
}

std::string bound_caption(const Json& sweep, const std::vector<EpsilonPoint>& points, bool one_record_each) {
  const Json& recipes = sweep_recipes(sweep);
  const double pool_records = number(find_path(sweep, {"counts", "pool_records"}));
  const std::string pool =
      std::isfinite(pool_records) ? " (" + count_text(pool_records) + " records in the pool)" : std::string();
  std::string caption = fmt::format(
      "Black: the maximum membership AUC that any attack can reach under each recipe's privacy profile. Coloured: the "
      "largest AUC of any {} on half B of the models. That largest value is a maximum over one noisy estimate per "
      "unit{}, each from half of the models, so it can lie above the bound by noise alone and is not itself a test of "
      "the bound. The bound check below tests each unit selected on half A with a z statistic against a Bonferroni-corrected "
      "critical value, and its table lists the largest z next to that critical value.",
      one_record_each ? "record" : "patient or record", pool);
  for (const auto& point : points) {
    const Json& recipe = recipes[point.index];
    for (const std::string& sentence :
         {above_bound_sentence(recipe, "records", "record"),
          one_record_each ? std::string() : above_bound_sentence(recipe, "patients", "patient")}) {
      if (!sentence.empty()) caption += " " + sentence;
    }
  }
  if (one_record_each) caption += " " + std::string(kOneRecordNote);
  return caption + " A bound of 1 means no limit.";
}

std::string charts(const Json& sweep, const std::vector<EpsilonPoint>& points) {
  const Json& recipes = sweep_recipes(sweep);
  const double near = number_at(&sweep, "near_certain_auc");
  const bool one_record_each = one_record_per_patient(sweep);
  const std::string threshold = std::isnan(near) ? "the near-certain threshold" : fixed(near, 2);
  const std::string no_dp_note = " Dashed horizontal lines: the recipe without DP (ε = ∞), which has no place on the "
                                 "ε axis.";
  const bool any_without_dp = std::any_of(recipes.begin(), recipes.end(),
                                          [](const Json& recipe) { return !recipe_uses_dp(recipe); });

  LineChart utility = epsilon_chart("sweep-epsilon-auroc", "Utility: test AUROC", "test AUROC", points);
  add_series(utility, recipes, points, near, "test AUROC", kBlue, auroc_mean, auroc_sd);

  LineChart tails = epsilon_chart("sweep-epsilon-tails", "Confirmed near-certain tail", "confirmed above " + threshold,
                                  points);
  // With one record per patient, the patient series would lie exactly under the record series.
  if (!one_record_each) add_series(tails, recipes, points, near, "patients", kVermillion, patients_confirmed, nullptr);
  add_series(tails, recipes, points, near, "records", kBlue, records_confirmed, nullptr);
  set_count_axis(tails.y_axis, largest_y(tails));

  LineChart bound = epsilon_chart("sweep-epsilon-bound", "Allowed and measured membership AUC", "membership AUC",
                                  points);
  bound.y_axis.max = 1.0;
  bound.size.width = 640.0;
  add_series(bound, recipes, points, near, "DP AUC bound", kBlack, auc_bound, nullptr);
  if (!one_record_each) {
    add_series(bound, recipes, points, near, "largest half-B AUC, patients", kVermillion, patients_max_holdout,
               nullptr);
  }
  add_series(bound, recipes, points, near, "largest half-B AUC, records", kBlue, records_max_holdout, nullptr);

  std::string out = "<div class=\"chart-grid\">\n";
  out += figure(render_line_chart(utility),
                "Mean test AUROC over the models of each DP recipe against its ε (log scale). Shaded: ± one standard "
                "deviation over the models." +
                    (any_without_dp ? no_dp_note : std::string()));
  const std::string tail_units = one_record_each ? "Records" : "Patients (joint test) and records";
  out += figure(render_line_chart(tails),
                tail_units + " whose AUC is above " + threshold +
                    " on half A of the models and stays above it on half B, against ε (log scale)." +
                    (any_without_dp ? no_dp_note : std::string()) +
                    (one_record_each ? " " + std::string(kOneRecordNote) : std::string()));
  out += "</div>\n";
  out += figure(render_line_chart(bound), bound_caption(sweep, points, one_record_each));
  return out;
}

// "1.69 / 3.77": the largest z of the tested units and the Bonferroni critical value; "none tested"
// when no unit was tested.
std::string z_text(const Json* unit) {
  const double critical = number_at(unit, "z");
  if (std::isnan(critical)) return "none tested";
  return fixed(number_at(unit, "max_z"), 2) + " / " + fixed(critical, 2);
}

constexpr int kCheckColumns = 5;

// The cells of one unit ("records" or "patients") of a bound check.
std::string check_cells(const Json* unit) {
  if (unit == nullptr) {
    std::string cells;
    for (int i = 0; i < kCheckColumns; ++i) cells += "<td>n/a</td>";
    return cells;
  }
  const double beyond = number_at(unit, "beyond_se");
  const std::string beyond_text = escape_xml(count_text(beyond));
  return fmt::format("<td>{} / {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                     escape_xml(count_text(number_at(unit, "selected"))),
                     escape_xml(count_text(number_at(unit, "confirmed"))),
                     escape_xml(count_text(number_at(unit, "tested"))), escape_xml(z_text(unit)),
                     beyond > 0.0 ? "<span class=\"mark\">" + beyond_text + "</span>" : beyond_text,
                     escape_xml(fixed(number_at(unit, "max_holdout_auc"), 3)));
}

// The bound check of every recipe. With `one_record_each`, the patient columns would repeat the
// record columns, so only one group of columns is shown (the record check, else the patient check).
std::string bound_table(const Json& recipes, bool one_record_each) {
  const int units = one_record_each ? 1 : 2;
  const std::string unit_headers =
      "<th>Selected / confirmed</th><th>Tested</th><th>Largest z / critical z</th><th>Beyond noise</th><th>Max "
      "half-B AUC</th>";
  std::string out = "<table class=\"numbers\">\n<thead>\n<tr><th rowspan=\"2\">Recipe</th><th rowspan=\"2\">ε</th>"
                    "<th rowspan=\"2\">DP unit</th><th rowspan=\"2\">AUC bound</th>";
  if (one_record_each) {
    out += fmt::format("<th colspan=\"{}\">Records (one per patient)</th></tr>\n", kCheckColumns);
  } else {
    out += fmt::format("<th colspan=\"{0}\">Records</th><th colspan=\"{0}\">Patients</th></tr>\n", kCheckColumns);
  }
  out += "<tr>" + unit_headers + (one_record_each ? "" : unit_headers) + "</tr>\n</thead>\n<tbody>\n";

  const int check_span = units * kCheckColumns;
  for (std::size_t i = 0; i < recipes.size(); ++i) {
    const Json& recipe = recipes[i];
    const std::string label = escape_xml(recipe_label(recipe, i));
    if (!recipe_uses_dp(recipe)) {
      out += fmt::format("<tr><td>{}</td><td colspan=\"{}\">trained without DP-SGD: no bound</td></tr>\n", label,
                         check_span + 3);
      continue;
    }
    const Json* dp = recipe_dp(recipe);
    const Json* check = find(dp, "bound_check");
    const double bound = recipe_auc_bound(recipe);
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>", label, epsilon_cell_html(recipe),
                       escape_xml(text_at(dp, "unit", "n/a")), escape_xml(auc_bound_text(bound)));
    if (check == nullptr && bound >= 1.0) {
      out += fmt::format("<td colspan=\"{}\">nothing to check: the bound does not limit the AUC</td></tr>\n",
                         check_span);
    } else if (one_record_each) {
      const Json* records = find(check, "records");
      out += check_cells(records != nullptr ? records : find(check, "patients")) + "</tr>\n";
    } else {
      out += check_cells(find(check, "records")) + check_cells(find(check, "patients")) + "</tr>\n";
    }
  }
  return out + "</tbody>\n</table>\n<p class=\"note\">Largest z / critical z: the largest z of the tested units "
               "against the Bonferroni critical value; a unit counts as beyond noise when its z exceeds the critical "
               "value. DP-SGD settings (δ, noise multiplier, clip norm, sampling rate, steps) are listed under "
               "Methods.</p>\n";
}

}  // namespace

std::string render_sweep_privacy_utility_section(const Json& sweep) {
  std::string out = "<section id=\"sweep-privacy-utility\">\n<h2>Privacy and utility</h2>\n";
  const Json& recipes = sweep_recipes(sweep);
  out += "<p>A smaller ε adds more noise to training: it lowers the maximum membership AUC that any attack can reach "
         "(the DP AUC bound), and usually also the model's accuracy. The charts show what each ε costs in utility and "
         "what it buys in privacy, measured and guaranteed.</p>\n";
  const std::vector<EpsilonPoint> points = epsilon_points(recipes);
  if (points.empty()) {
    out += "<p class=\"missing\">No recipe in this sweep file has a DP-SGD ε above zero, so there is nothing to plot "
           "against ε.</p>\n";
  } else {
    out += charts(sweep, points);
  }
  if (recipes.empty()) return out + "</section>\n";

  out += "<h3>Bound check</h3>\n";
  out += "<p>For each DP recipe with a bound below 1, half A of the models selects the records (patients) whose AUC is "
         "above the recipe's AUC bound, and half B re-measures them. Confirmed: still above the bound on half B. "
         "Tested: selected units with enough models in and out of training on half B for a z test, z = (half-B AUC − "
         "bound) / SE, with the Hanley-McNeil standard error at AUC = bound. Beyond noise: tested units whose z exceeds "
         "the Bonferroni critical value for that many one-sided tests at a family-wise 5% level. Estimation noise "
         "does not explain such a unit, so it points to a bug in the DP training or its accounting.</p>\n";
  out += bound_table(recipes, one_record_per_patient(sweep));
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
