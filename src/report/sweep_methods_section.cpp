// The "sweep-methods" section: how the recipes are compared, what the confirmed counts and the DP
// bound mean, and where each recipe's complete run lives.
#include <fmt/format.h>

#include <cmath>

#include "report/markup.h"
#include "report/report_sections.h"
#include "report/sweep_sections.h"

namespace privaudit::report::detail {

namespace {

// "mlp, depth 1, width 256": the model kind, then its other scalar settings in key order (the
// order in which nlohmann::json stores object members). Logistic regression has no hidden layers,
// so the width and depth that sweep.json carries for it (the command line's defaults) are left out.
std::string model_text(const Json* model) {
  if (model == nullptr || !model->is_object()) return "n/a";
  const std::string kind = text_at(model, "kind", "model");
  std::string out = kind;
  for (const auto& item : model->items()) {
    if (item.key() == "kind" || item.value().is_structured() || item.value().is_null()) continue;
    if (kind == "logistic" && (item.key() == "width" || item.key() == "depth")) continue;
    out += ", " + item.key() + " " + text(&item.value());
  }
  return out;
}

// "ε = 10 (accounted 9.98)" with a target epsilon, else "ε = 9.98 (accounted)".
std::string methods_epsilon_text(const Json& recipe) {
  const std::optional<DpGuarantee> dp = recipe_guarantee(recipe);
  const double accounted = dp ? dp->epsilon : std::nan("");
  const std::string epsilon = "ε = " + recipe_epsilon_text(recipe);
  if (std::isnan(accounted)) return epsilon;
  if (!std::isfinite(recipe_epsilon(recipe))) return epsilon + " (accounted)";
  return epsilon + " (accounted " + accounted_epsilon_text(accounted) + ")";
}

std::string dp_text(const Json& recipe) {
  const Json* dp = recipe_dp(recipe);
  if (dp == nullptr) return recipe_uses_dp(recipe) ? methods_epsilon_text(recipe) : "none";
  return fmt::format("{}-level, {} at δ = {}, noise multiplier {}, clip norm {}, sampling rate {}, {} steps",
                     text_at(dp, "unit", "n/a"), methods_epsilon_text(recipe),
                     format_significant(number_at(dp, "delta"), 3),
                     format_significant(number_at(dp, "noise_multiplier"), 3),
                     format_significant(number_at(dp, "clip_norm"), 3),
                     format_significant(number_at(dp, "sampling_rate"), 3), count_text(number_at(dp, "steps")));
}

std::string seconds_text(double seconds) {
  if (std::isnan(seconds)) return "n/a";
  if (seconds < 60.0) return fmt::format("{:.1f} s", seconds);
  return fmt::format("{:.1f} min", seconds / 60.0);
}

std::string recipe_row(const Json& recipe, std::size_t index) {
  std::string folder = text_at(&recipe, "dir");
  if (folder.empty() && !text_at(&recipe, "name").empty()) folder = "recipes/" + text_at(&recipe, "name");
  return table_row({escape_xml(recipe_label(recipe, index)),
                    // No line break inside a folder name: browsers break at its hyphens otherwise.
                    folder.empty() ? "n/a" : "<code style=\"white-space: nowrap\">" + escape_xml(folder) + "</code>",
                    escape_xml(model_text(find(&recipe, "model"))),
                    escape_xml(count_text(number_at(&recipe, "parameters"))), escape_xml(dp_text(recipe)),
                    escape_xml(seconds_text(number_at(&recipe, "train_seconds")))});
}

}  // namespace

std::string render_sweep_methods_section(const Json& sweep) {
  std::string out = "<section id=\"sweep-methods\">\n<h2>Methods</h2>\n";
  out += "<dl class=\"metrics\">\n";
  out += "<dt>One plan for all recipes</dt><dd>The sweep folder is planned once: every recipe trains its models on the "
         "same assignment of pool records to training sets and is tested on the same test split. Differences between "
         "recipes therefore come from the recipes, not from a new draw of training sets.</dd>\n";
  out += "<dt>Confirmed counts</dt><dd>The models of a recipe are split into two halves. Half A selects the records "
         "(patients) whose AUC is above a threshold; half B, which played no part in the selection, re-measures them. "
         "A unit is confirmed when it is above the threshold on half B too. Counting on all models overstates the "
         "tail, because estimation noise pushes some units over the threshold (the winner's curse); the confirmed "
         "count does not.</dd>\n";
  out += "<dt>DP AUC bound</dt><dd>For a recipe trained with DP-SGD, the maximum membership AUC that any attack can "
         "reach against a mechanism with the recipe's privacy profile: the area under the best ROC curve that δ(ε), "
         "accounted over all training steps, allows. A bound of 1 means that the guarantee does not limit the AUC. "
         "The bound check counts the records (patients) selected above the bound on half A that stay above it on "
         "half B, and those that a one-sided z test, Bonferroni-corrected over the units tested, places above it "
         "beyond estimation noise.</dd>\n";
  out += "<dt>Per-recipe folders</dt><dd>Each recipe is a complete run folder under <code>recipes/</code> in the sweep "
         "folder, with a copy of the plan and the recipe's full results, including its aggregate attacks and most "
         "exposed patients.</dd>\n";
  out += "</dl>\n";

  out += fmt::format("<p>Sweep folder <code>{}</code>, written by {} {}.</p>\n",
                     escape_xml(text_at(&sweep, "run", "n/a")), escape_xml(text_at(&sweep, "tool", "privaudit")),
                     escape_xml(text_at(&sweep, "version", "n/a")));
  const Json& recipes = sweep_recipes(sweep);
  if (recipes.empty()) {
    out += "<p class=\"missing\">The sweep file lists no recipes.</p>\n";
    return out + "</section>\n";
  }
  out += "<table class=\"numbers\">\n<thead>" +
         table_row({"Recipe", "Folder", "Model", "Parameters", "DP-SGD", "Training time"}, true) +
         "</thead>\n<tbody>\n";
  for (std::size_t i = 0; i < recipes.size(); ++i) out += recipe_row(recipes[i], i);
  return out + "</tbody>\n</table>\n</section>\n";
}

}  // namespace privaudit::report::detail
