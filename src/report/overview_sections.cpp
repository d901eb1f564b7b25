// The "summary" and "utility" sections: plain-language findings and the training recipe.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "report/dp_guarantee.h"
#include "report/markup.h"
#include "report/report_sections.h"

namespace privaudit::report::detail {

namespace {

// Aggregate AUC below which the summary calls an attack close to guessing (0.5).
constexpr double kNearGuessingAuc = 0.65;

struct BestAttack {
  std::string name;
  double auc = std::nan("");
};

BestAttack best_attack(const Json& summary) {
  BestAttack best;
  for (const auto& attack : array_or_empty(find(&summary, "attacks"))) {
    const double auc = number_at(find(&attack, "auc"), "mean");
    if (std::isfinite(auc) && (std::isnan(best.auc) || auc > best.auc)) {
      best = {attack_label(text_at(&attack, "name", "attack")), auc};
    }
  }
  return best;
}

// The tail entry of `list` at `threshold`, or nullptr.
const Json* tail_at(const Json* list, double threshold) {
  for (const auto& entry : array_or_empty(list)) {
    if (std::fabs(number_at(&entry, "threshold") - threshold) < 1e-9) return &entry;
  }
  return nullptr;
}

std::string fact(const std::string& value, const std::string& label, bool highlight = false) {
  return fmt::format("<div class=\"fact{}\"><span class=\"fact-value\">{}</span><span class=\"fact-label\">{}</span></div>\n",
                     highlight ? " highlight" : "", escape_xml(value), escape_xml(label));
}

std::string risk_sentence(const Json& summary, const BestAttack& best, double near, const Json* joint) {
  const double pool_patients = number(find_path(summary, {"counts", "pool_patients"}));
  std::string attack_part = "No aggregate attack result is available";
  if (std::isfinite(best.auc)) {
    attack_part = fmt::format("The best aggregate attack ({}) reaches AUC {}{}", best.name, fixed(best.auc, 3),
                              best.auc < kNearGuessingAuc ? ", which looks close to guessing" : "");
  }
  if (joint == nullptr || std::isnan(near)) {
    return attack_part + ". The count of patients at near-certain risk is not available in this summary.";
  }
  const double in_sample = number_at(joint, "in_sample");
  if (in_sample == 0.0) {
    return fmt::format("{}. No patient has a joint membership AUC above {} on all models.", attack_part, fixed(near, 2));
  }
  return fmt::format("{}{} {} of {} patients have a joint membership AUC above {} on all models: for them, "
                     "membership can be inferred almost without error.",
                     attack_part, std::isfinite(best.auc) ? ". Yet" : ".", count_text(in_sample),
                     count_text(pool_patients), fixed(near, 2));
}

std::string confirmation_sentence(const Json* joint, double near) {
  if (joint == nullptr) return "";
  const double selected = number_at(joint, "selected");
  const double confirmed = number_at(joint, "confirmed");
  if (selected == 0.0) {
    return fmt::format("No patient was above {} on half A of the models, so there is nothing to confirm on half B.",
                       fixed(near, 2));
  }
  const double mean_auc = number_at(joint, "mean_holdout_auc");
  std::string stay = "none stays";
  if (confirmed != 0.0) stay = count_text(confirmed) + (confirmed == 1.0 ? " stays" : " stay");
  std::string sentence = fmt::format(
      "Counting on the same models that estimated the AUCs overstates the tail (the winner's curse). Of {} patients "
      "above {} on one half of the models, {} above it on the other half, which did not select them",
      count_text(selected), fixed(near, 2), stay);
  if (std::isnan(mean_auc)) return sentence + ".";
  return sentence + fmt::format("; their mean AUC on that half is {}.", fixed(mean_auc, 3));
}

// The fact card of the confirmed near-certain patients: "7 of 19" who stay above the threshold of
// those selected on half A, or a plain "0" when half A selected no patient.
std::string confirmation_fact(const Json* joint, double near) {
  if (joint == nullptr) {
    return fact("n/a", fmt::format("patients above {} on half of the models stay above it on the other half",
                                   fixed(near, 2)));
  }
  if (number_at(joint, "selected") == 0.0) {
    return fact("0", fmt::format("patients above {} on half A of the models, so none to confirm on half B",
                                 fixed(near, 2)));
  }
  return fact(count_text(number_at(joint, "confirmed")) + " of " + count_text(number_at(joint, "selected")),
              fmt::format("patients above {} on half of the models stay above it on the other half", fixed(near, 2)));
}

std::string groups_sentence(const Json& summary, const std::vector<OverRepresentedGroup>& groups) {
  const Json* section = find(&summary, "groups");
  if (section == nullptr || !section->is_object()) {
    return "The group analysis is not in this summary, so this report cannot say which groups are most exposed.";
  }
  if (array_or_empty(find(section, "attributes")).empty()) {
    return "No patient attributes (such as race, sex or insurance) were audited, so this report cannot say which "
           "groups are most exposed. Name them with --attributes to add that analysis.";
  }
  const std::string top = percent(number_at(section, "top_fraction"), 0);
  if (groups.empty()) {
    return fmt::format("No group is over-represented among the top {} of records by record AUC beyond what chance "
                       "explains (per-group test, Bonferroni-corrected within each attribute).",
                       top);
  }
  std::string list;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    list += fmt::format("{}<strong>{} = {}</strong> ({} observed where {} were expected, {})",
                        i == 0 ? "" : (i + 1 == groups.size() ? " and " : ", "), escape_xml(g.attribute),
                        escape_xml(g.group), count_text(g.observed), fixed(g.expected, 1),
                        escape_xml(p_clause(g.p_value)));
  }
  return fmt::format("Among the top {} of records by record AUC, these groups are over-represented beyond chance "
                     "(Bonferroni-corrected within each attribute): {}.",
                     escape_xml(top), list);
}

}  // namespace

std::string render_summary_section(const Json& summary) {
  const BestAttack best = best_attack(summary);
  const double near = number(find_path(summary, {"config", "analysis", "near_certain_auc"}));
  const Json* joint = tail_at(find_path(summary, {"tails", "patients_joint"}), near);
  const auto groups = over_represented_groups(summary);
  const double pool_patients = number(find_path(summary, {"counts", "pool_patients"}));
  const double pool_records = number(find_path(summary, {"counts", "pool_records"}));
  const double models = number(find(&summary, "models"));

  const std::optional<DpGuarantee> dp = read_dp_guarantee(summary);

  std::string out = "<section id=\"summary\">\n<h2>Summary</h2>\n";
  // A violated DP bound comes first, because it outweighs everything else on the page.
  if (dp) out += dp_violation_html(*dp);
  out += "<div class=\"facts\">\n";
  out += fact(std::isfinite(best.auc) ? fixed(best.auc, 3) : "n/a",
              "best aggregate attack AUC" + (best.name.empty() ? "" : " (" + best.name + ")"));
  out += fact(joint == nullptr ? "n/a" : count_text(number_at(joint, "in_sample")),
              fmt::format("of {} patients with joint AUC above {} (near-certain)", count_text(pool_patients),
                          fixed(near, 2)),
              joint != nullptr && number_at(joint, "in_sample") > 0);
  out += confirmation_fact(joint, near);
  const bool has_groups = !array_or_empty(find_path(summary, {"groups", "attributes"})).empty();
  out += fact(has_groups ? count_text(static_cast<double>(groups.size())) : "n/a",
              has_groups && groups.size() == 1 ? "group over-represented among the most exposed records"
                                               : "groups over-represented among the most exposed records",
              !groups.empty());
  out += "</div>\n";
  if (dp) out += dp_summary_html(*dp);

  out += "<h3>What a membership attack is</h3>\n<p>Someone who holds a trained model and a person's record tries to "
         "tell whether that record was part of the model's training data. For a medical model, being in the "
         "training data can itself be sensitive: it can reveal that the person was treated at this hospital or has "
         "the condition the model was built for. Models tend to be more confident on their training records, and "
         "attacks exploit that difference.</p>\n";

  out += "<h3>What this audit measured</h3>\n";
  out += fmt::format(
      "<p>privaudit trained {} models with the same recipe, each on a random half of the {} patients ({} records) "
      "in the audit pool, so that every patient was in the training data of half of the models and absent from the "
      "other half. For each record and each patient it measured how well the models' outputs separate the two "
      "halves, as an AUC: 0.5 means an attacker does no better than a coin toss, 1.0 means membership can be read "
      "off without error. It also ran the conventional attacks, which report one number for the whole data set.</p>\n",
      count_text(models), count_text(pool_patients), count_text(pool_records));

  out += "<h3>Findings</h3>\n<ul class=\"findings\">\n";
  out += "<li>" + escape_xml(risk_sentence(summary, best, near, joint)) + "</li>\n";
  if (joint != nullptr) out += "<li>" + escape_xml(confirmation_sentence(joint, near)) + "</li>\n";
  out += "<li>" + groups_sentence(summary, groups) + "</li>\n";
  const Json* auroc = find_path(summary, {"utility", "test_auroc"});
  if (auroc != nullptr) {
    out += fmt::format("<li>The models reach a test AUROC of {} (mean ± SD over models) on patients that no model "
                       "trained on.</li>\n",
                       escape_xml(mean_sd_text(auroc, 3)));
  }
  out += "</ul>\n";
  out += "<p class=\"note\">An aggregate AUC close to 0.5 does not mean that every patient is safe: it averages over "
         "many patients with no measurable risk and a few with near-certain risk. The per-patient counts above are "
         "the ones to act on.</p>\n";
  return out + "</section>\n";
}

namespace {

const std::map<std::string, std::string>& setting_labels() {
  static const std::map<std::string, std::string> kLabels = {
      {"kind", "Model"},
      {"width", "Width (units per hidden layer)"},
      {"depth", "Depth (hidden layers)"},
      {"optimizer", "Optimizer"},
      {"learning_rate", "Learning rate"},
      {"batch_size", "Batch size"},
      {"epochs", "Epochs"},
      {"schedule", "Learning-rate schedule"},
      {"warmup_epochs", "Warm-up epochs"},
      {"weight_decay", "Weight decay"},
      {"momentum", "Momentum (SGD)"},
      {"adam_beta1", "Adam β1"},
      {"adam_beta2", "Adam β2"},
      {"adam_eps", "Adam ε"},
      {"class_weighting", "Class weighting"},
      {"test_auroc", "Test AUROC"},
      {"test_accuracy", "Test accuracy"},
      {"test_loss", "Test loss (cross-entropy)"},
      {"train_loss", "Training loss (cross-entropy)"},
      {"out_loss", "Loss on pool records the model did not train on"},
  };
  return kLabels;
}

// The DP-SGD row of the recipe table: the accounted settings of a DP-SGD run, "off" for a run
// without it. For a summary whose training options request DP-SGD but that has no privacy object
// (written by a damaged or partial run), the row states that instead of claiming either.
std::string dp_row_text(const Json& summary, const Json* train) {
  const std::optional<DpGuarantee> dp = read_dp_guarantee(summary);
  if (dp) return dp_recipe_text(*dp);
  const std::string requested = text_at(train, "privacy", "off");
  if (requested == "off") return "off";
  return requested + "-level requested, but the summary has no DP-SGD guarantee";
}

std::string setting_label(const std::string& key) {
  const auto it = setting_labels().find(key);
  return it == setting_labels().end() ? key : it->second;
}

// Rows for every key of `object`, those in `order` first, leaving out `skip`.
std::string setting_rows(const Json* object, const std::vector<std::string>& order,
                         const std::vector<std::string>& skip = {}) {
  if (object == nullptr || !object->is_object()) return "";
  std::vector<std::string> keys;
  for (const auto& key : order) {
    if (object->contains(key)) keys.push_back(key);
  }
  for (const auto& item : object->items()) {
    if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) keys.push_back(item.key());
  }
  std::string rows;
  for (const auto& key : keys) {
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    rows += table_row({escape_xml(setting_label(key)), escape_xml(text_at(object, key, "n/a"))});
  }
  return rows;
}

}  // namespace

std::string render_utility_section(const Json& summary) {
  std::string out = "<section id=\"utility\">\n<h2>Training recipe and utility</h2>\n";
  out += "<p>Every model was trained with this recipe; only the training half of the patients differs. Privacy risk "
         "depends on the recipe: larger models and longer training usually memorise more.</p>\n";
  const Json* model = find_path(summary, {"config", "model"});
  const Json* train = find_path(summary, {"config", "train"});
  if (model == nullptr && train == nullptr) {
    out += "<p class=\"missing\">The summary does not contain the training recipe.</p>\n";
  } else {
    out += "<table class=\"settings\">\n<thead>" + table_row({"Setting", "Value"}, true) + "</thead>\n<tbody>\n";
    out += setting_rows(model, {"kind", "width", "depth"});
    const Json* parameters = find_path(summary, {"training", "parameters"});
    if (parameters != nullptr) out += table_row({"Trainable parameters per model", escape_xml(count_text(number(parameters)))});
    out += table_row({"Models trained", escape_xml(count_text(number(find(&summary, "models"))))});
    // Settings of an optimizer that was not used would only confuse. The methods section lists them all.
    const std::string optimizer = text_at(train, "optimizer");
    std::vector<std::string> unused;
    if (optimizer == "adam" || optimizer == "adamw") unused = {"momentum"};
    if (optimizer == "sgd") unused = {"adam_beta1", "adam_beta2", "adam_eps"};
    // The requested DP settings never show as raw rows. With DP-SGD they differ from the settings
    // the models trained with (dp_noise before calibration, dp_delta null for the default), so one
    // row shows the accounted values. Without DP-SGD they were not used, so one row reads "off".
    unused.insert(unused.end(),
                  {"privacy", "dp_clip", "dp_noise", "dp_delta", "dp_sampling_rate", "dp_target_epsilon"});
    out += setting_rows(train,
                        {"optimizer", "learning_rate", "batch_size", "epochs", "schedule", "warmup_epochs",
                         "weight_decay", "momentum", "adam_beta1", "adam_beta2", "adam_eps", "class_weighting"},
                        unused);
    out += table_row({"DP-SGD", escape_xml(dp_row_text(summary, train))});
    out += "</tbody>\n</table>\n";
  }

  out += "<h3>Utility</h3>\n";
  const Json* utility = find(&summary, "utility");
  if (utility == nullptr || !utility->is_object() || utility->empty()) {
    out += "<p class=\"missing\">The summary does not contain utility measurements.</p>\n";
    return out + "</section>\n";
  }
  out += "<p>Diagnostic performance of the models, mean ± standard deviation over models. The test split holds "
         "patients that no model trained on.</p>\n";
  out += "<table class=\"numbers\">\n<thead>" + table_row({"Metric", "Mean ± SD", "Models"}, true) + "</thead>\n<tbody>\n";
  const std::vector<std::string> order = {"test_auroc", "test_accuracy", "test_loss", "train_loss", "out_loss"};
  std::vector<std::string> keys;
  for (const auto& key : order) {
    if (utility->contains(key)) keys.push_back(key);
  }
  for (const auto& item : utility->items()) {
    if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) keys.push_back(item.key());
  }
  for (const auto& key : keys) {
    const Json* entry = find(utility, key);
    out += table_row({escape_xml(setting_label(key)), escape_xml(mean_sd_text(entry, 3)),
                      escape_xml(count_text(number_at(entry, "models")))});
  }
  out += "</tbody>\n</table>\n";
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
