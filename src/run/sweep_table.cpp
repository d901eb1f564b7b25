#include "run/sweep_table.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"
#include "core/version.h"
#include "run/csv_writer.h"
#include "run/options_json.h"

namespace privaudit::run {
namespace {

const nlohmann::json kNull = nullptr;

// Models per recipe below which the tail counts are mostly chance (as in the audit summary).
constexpr long long kFewModels = 32;

// summary[key] or null.
const nlohmann::json& field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// The entry of a tail-count list at `threshold`, or null.
const nlohmann::json& tail_at(const nlohmann::json& tails, double threshold) {
  if (!tails.is_array()) return kNull;
  for (const auto& entry : tails) {
    if (entry.value("threshold", -1.0) == threshold) return entry;
  }
  return kNull;
}

nlohmann::json dp_json(const nlohmann::json& privacy) {
  if (!privacy.is_object()) return nullptr;
  nlohmann::json dp;
  for (const char* key : {"unit", "epsilon", "delta", "noise_multiplier", "clip_norm",
                          "sampling_rate", "steps", "auc_bound", "auc_bound_single_pair"}) {
    dp[key] = field(privacy, key);
  }
  const nlohmann::json& check = field(privacy, "bound_check");
  dp["bound_check"] = {{"records", field(check, "records")},
                       {"patients", field(check, "patients")}};
  return dp;
}

nlohmann::json attacks_json(const nlohmann::json& attacks) {
  nlohmann::json out = nlohmann::json::array();
  if (!attacks.is_array()) return out;
  for (nlohmann::json attack : attacks) {
    attack.erase("per_target_auc");
    out.push_back(attack);
  }
  return out;
}

// Record-level disparity per attribute, without the bootstrap intervals.
nlohmann::json groups_json(const nlohmann::json& groups) {
  nlohmann::json out = nlohmann::json::array();
  const nlohmann::json& attributes = field(groups, "attributes");
  if (!attributes.is_array()) return out;
  for (const auto& attribute : attributes) {
    const nlohmann::json& level = field(attribute, "record_level");
    nlohmann::json entry = {{"attribute", field(attribute, "name")},
                            {"p_value", field(level, "p_value")},
                            {"p_bonferroni", field(level, "p_bonferroni")},
                            {"groups", nlohmann::json::array()}};
    const nlohmann::json& members = field(attribute, "groups");
    if (members.is_array()) {
      for (const auto& group : members) {
        if (group.value("suppressed", false)) {
          entry["groups"].push_back({{"name", field(group, "name")}, {"suppressed", true}});
          continue;
        }
        const nlohmann::json& record = field(group, "record_level");
        entry["groups"].push_back({{"name", field(group, "name")},
                                   {"suppressed", false},
                                   {"patients", field(group, "patients")},
                                   {"residual", field(record, "residual")},
                                   {"p_value", field(record, "p_value")},
                                   {"observed", field(record, "observed")},
                                   {"expected", field(record, "expected")}});
      }
    }
    out.push_back(entry);
  }
  return out;
}

nlohmann::json recipe_json(const SweepRecipe& recipe, const nlohmann::json& summary) {
  const nlohmann::json& binormal = field(field(summary, "record_auc"), "binormal");
  const nlohmann::json& tails = field(summary, "tails");
  return {
      {"name", recipe.name},
      {"label", recipe.label},
      {"dir", fmt::format("recipes/{}", recipe.name)},
      {"model", model_spec_to_json(recipe.recipe.model)},
      {"parameters", field(field(summary, "training"), "parameters")},
      {"epsilon", recipe.epsilon ? nlohmann::json(*recipe.epsilon) : kNull},
      {"dp", dp_json(field(summary, "privacy"))},
      {"utility", field(summary, "utility")},
      {"attacks", attacks_json(field(summary, "attacks"))},
      {"tails", {{"records", field(tails, "records")},
                 {"patients_joint", field(tails, "patients_joint")}}},
      {"survival", field(summary, "survival")},
      {"record_auc", {{"mean", field(binormal, "mean")},
                      {"p50", field(binormal, "p50")},
                      {"p99", field(binormal, "p99")},
                      {"max", field(binormal, "max")}}},
      {"groups", groups_json(field(summary, "groups"))},
      {"train_seconds", field(field(summary, "timing"), "train_seconds")},
  };
}

std::string cell(const nlohmann::json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (value.is_number()) return fmt::format("{:.6g}", value.get<double>());
  if (value.is_string()) return value.get<std::string>();
  return "";
}

// The attack with the largest mean AUC, or null.
const nlohmann::json& best_attack(const nlohmann::json& attacks) {
  const nlohmann::json* best = &kNull;
  double best_auc = -1.0;
  if (!attacks.is_array()) return kNull;
  for (const auto& attack : attacks) {
    const nlohmann::json& auc = field(field(attack, "auc"), "mean");
    if (auc.is_number() && auc.get<double>() > best_auc) {
      best_auc = auc.get<double>();
      best = &attack;
    }
  }
  return *best;
}

}  // namespace

nlohmann::json sweep_json(const std::filesystem::path& dir, SweepKind kind,
                          const std::vector<SweepRecipe>& recipes,
                          const std::vector<nlohmann::json>& summaries,
                          const AnalysisOptions& analysis) {
  PRIVAUDIT_CHECK(recipes.size() == summaries.size() && !recipes.empty(),
                  fmt::format("sweep has {} recipes and {} summaries", recipes.size(),
                              summaries.size()));
  const nlohmann::json& counts = field(summaries.front(), "counts");
  nlohmann::json sweep = {
      {"tool", "privaudit"},
      {"version", kVersion},
      {"run", dir.string()},
      {"kind", kind == SweepKind::kCapacity ? "capacity" : "epsilon"},
      {"models", field(summaries.front(), "models")},
      {"counts", {{"pool_records", field(counts, "pool_records")},
                  {"pool_patients", field(counts, "pool_patients")},
                  {"test_records", field(counts, "test_records")}}},
      {"near_certain_auc", analysis.near_certain_auc},
      {"min_group_patients", analysis.groups.suppression.min_group_patients},
      {"recipes", nlohmann::json::array()},
  };
  for (std::size_t r = 0; r < recipes.size(); ++r) {
    sweep["recipes"].push_back(recipe_json(recipes[r], summaries[r]));
  }
  return sweep;
}

std::string sweep_csv(const nlohmann::json& sweep) {
  const double near = sweep.value("near_certain_auc", 0.95);
  std::vector<std::vector<nlohmann::json>> rows;
  rows.push_back({"name", "label", "kind", "width", "depth", "parameters", "target_epsilon",
                  "epsilon", "delta", "noise_multiplier", "auc_bound", "test_auroc_mean",
                  "test_auroc_sd", "best_attack", "best_attack_auc", "best_attack_tpr_at_fpr_0.001",
                  fmt::format("records_in_sample_above_{:g}", near),
                  fmt::format("records_confirmed_above_{:g}", near),
                  fmt::format("patients_in_sample_above_{:g}", near),
                  fmt::format("patients_confirmed_above_{:g}", near),
                  "records_selected_above_bound", "records_confirmed_above_bound",
                  "records_beyond_se_above_bound", "train_seconds"});
  for (const auto& recipe : sweep.at("recipes")) {
    const nlohmann::json& model = field(recipe, "model");
    const nlohmann::json& dp = field(recipe, "dp");
    const nlohmann::json& auroc = field(field(recipe, "utility"), "test_auroc");
    const nlohmann::json& attack = best_attack(field(recipe, "attacks"));
    const nlohmann::json& records = tail_at(field(field(recipe, "tails"), "records"), near);
    const nlohmann::json& patients = tail_at(field(field(recipe, "tails"), "patients_joint"), near);
    const nlohmann::json& check = field(field(dp, "bound_check"), "records");
    rows.push_back({field(recipe, "name"), field(recipe, "label"),
                    field(model, "kind"), field(model, "width"),
                    field(model, "depth"), field(recipe, "parameters"),
                    field(recipe, "epsilon"), field(dp, "epsilon"),
                    field(dp, "delta"), field(dp, "noise_multiplier"),
                    field(dp, "auc_bound"), field(auroc, "mean"),
                    field(auroc, "sd"), field(attack, "name"),
                    field(field(attack, "auc"), "mean"),
                    field(field(attack, "tpr_at_fpr_0.001"), "mean"),
                    field(records, "in_sample"), field(records, "confirmed"),
                    field(patients, "in_sample"), field(patients, "confirmed"),
                    field(check, "selected"), field(check, "confirmed"),
                    field(check, "beyond_se"), field(recipe, "train_seconds")});
  }
  CsvWriter writer;
  for (const auto& row : rows) {
    for (const nlohmann::json& value : row) {
      if (value.is_number_integer() || value.is_number_unsigned()) {
        writer.integer(value.get<long long>());
      } else if (value.is_number()) {
        writer.number(value.get<double>());
      } else if (value.is_string()) {
        writer.text(value.get<std::string>());
      } else {
        writer.text("");
      }
    }
    writer.end_row();
  }
  return writer.str();
}

std::string format_sweep_summary(const nlohmann::json& sweep) {
  const double near = sweep.value("near_certain_auc", 0.95);
  std::string out = fmt::format(
      "privaudit {}: {} sweep of {} recipes on one plan ({} models each, {} pool patients)\n",
      kVersion, sweep.value("kind", ""), sweep.at("recipes").size(), cell(field(sweep, "models")),
      cell(field(field(sweep, "counts"), "pool_patients")));
  out += fmt::format("  {:<26} {:>10} {:>9} {:>9} {:>15} {:>12} {:>12}\n", "recipe", "parameters",
                     "epsilon", "AUC bound", "test AUROC", "best attack",
                     fmt::format("pat. > {:g}", near));
  out += fmt::format("  {:<26} {:>10} {:>9} {:>9} {:>15} {:>12} {:>12}\n", "", "", "", "",
                     "(mean ± SD)", "AUC", "conf. (B)");
  for (const auto& recipe : sweep.at("recipes")) {
    const nlohmann::json& dp = field(recipe, "dp");
    const nlohmann::json& auroc = field(field(recipe, "utility"), "test_auroc");
    const nlohmann::json& attack = best_attack(field(recipe, "attacks"));
    const nlohmann::json& patients = tail_at(field(field(recipe, "tails"), "patients_joint"), near);
    // The target epsilon reads better than the accountant's 999.996; a DP recipe without a target
    // shows the accounted value.
    const nlohmann::json& target = field(recipe, "epsilon");
    const nlohmann::json& epsilon = field(dp, "epsilon");
    const nlohmann::json& bound = field(dp, "auc_bound");
    out += fmt::format(
        "  {:<26} {:>10} {:>9} {:>9} {:>15} {:>12} {:>12}\n", recipe.value("label", ""),
        cell(field(recipe, "parameters")),
        target.is_number()    ? fmt::format("{:g}", target.get<double>())
        : epsilon.is_number() ? fmt::format("{:.4g}", epsilon.get<double>())
                              : std::string("none"),
        bound.is_number() ? fmt::format("{:.4f}", bound.get<double>()) : std::string("-"),
        field(auroc, "mean").is_number()
            ? fmt::format("{:.3f} ± {:.3f}", field(auroc, "mean").get<double>(),
                          field(auroc, "sd").is_number() ? field(auroc, "sd").get<double>() : 0.0)
            : std::string("-"),
        field(field(attack, "auc"), "mean").is_number()
            ? fmt::format("{:.3f}", field(field(attack, "auc"), "mean").get<double>())
            : std::string("-"),
        cell(field(patients, "confirmed")));
  }
  const nlohmann::json& models = field(sweep, "models");
  if (models.is_number() && models.get<double>() < kFewModels) {
    out += fmt::format(
        "  Note: with {} models per recipe each half gives a record about {} IN and {} OUT "
        "signals, so the\n  tail counts are mostly chance; use at least {} models.\n",
        models.get<long long>(), models.get<long long>() / 4, models.get<long long>() / 4,
        kFewModels);
  }
  for (const auto& recipe : sweep.at("recipes")) {
    const nlohmann::json& check = field(field(field(recipe, "dp"), "bound_check"), "records");
    if (check.is_object() && check.value("beyond_se", 0) > 0) {
      out += fmt::format(
          "  WARNING: {}: {} record(s) exceed the DP bound by more than their standard errors "
          "explain; a correct DP-SGD run does this only by chance\n",
          recipe.value("label", ""), check.value("beyond_se", 0));
    }
  }
  return out;
}

}  // namespace privaudit::run
