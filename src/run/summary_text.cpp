#include "run/summary_text.h"

#include <fmt/format.h>

#include <cmath>

#include "report/report_format.h"

namespace privaudit::run {

namespace {

// Aggregate AUC below which the summary calls the attack close to guessing (0.5).
constexpr double kNearGuessingAuc = 0.65;
// Below this many models the summary warns that record-level counts are noisy.
constexpr long long kFewModels = 32;

double number(const nlohmann::json& value) {
  return value.is_number() ? value.get<double>() : std::nan("");
}

std::string mean_sd(const nlohmann::json& entry, const char* format = "{:.3f}") {
  const double mean = number(entry.at("mean"));
  const double sd = number(entry.at("sd"));
  if (!std::isfinite(mean)) return "n/a";
  std::string text = fmt::format(fmt::runtime(format), mean);
  if (std::isfinite(sd)) text += " ± " + fmt::format(fmt::runtime(format), sd);
  return text;
}

// Replaces control characters in text from the input file (group names) so that the summary cannot
// carry terminal escape sequences.
std::string printable(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

const nlohmann::json* find_tail(const nlohmann::json& tails, double threshold) {
  for (const auto& tail : tails) {
    if (std::fabs(tail.at("threshold").get<double>() - threshold) < 1e-12) return &tail;
  }
  return nullptr;
}


// The DP-SGD guarantee and how the confirmed tail compares with its AUC bound; empty without
// DP-SGD.
std::string privacy_lines(const nlohmann::json& privacy) {
  if (!privacy.is_object()) return "";
  const auto& epsilon = privacy.at("epsilon");
  const std::string epsilon_text =
      epsilon.is_number() ? fmt::format("{:.3g}", epsilon.get<double>()) : "infinite";
  std::string out = fmt::format(
      "  DP-SGD per {}: epsilon {} at delta {:.3g} (noise multiplier {:.3g}, sampling rate {:.3g}, "
      "{} steps); no attack can exceed membership AUC {:.4f}\n",
      privacy.at("unit").get<std::string>(), epsilon_text, privacy.at("delta").get<double>(),
      privacy.at("noise_multiplier").get<double>(), privacy.at("sampling_rate").get<double>(),
      privacy.at("steps").get<long long>(), privacy.at("auc_bound").get<double>());
  const auto check = privacy.find("bound_check");
  if (check != privacy.end()) {
    const auto& records = check->at("records");
    out += fmt::format(
        "  records above that bound: {} selected on half A, {} confirmed on half B; of {} with "
        "enough models to test, {} beyond their standard errors (Bonferroni, family-wise 5%){}\n",
        records.at("selected").get<long long>(), records.at("confirmed").get<long long>(),
        records.at("tested").get<long long>(), records.at("beyond_se").get<long long>(),
        records.at("beyond_se").get<long long>() > 0 ? " (a correct DP-SGD run cannot do this)" : "");
  }
  return out;
}

}  // namespace

std::string format_summary(const nlohmann::json& summary) {
  std::string out;
  const auto& counts = summary.at("counts");
  const auto& config = summary.at("config");
  const auto& model = config.at("model");
  out += fmt::format("privaudit {}: membership audit of {}\n", summary.at("version").get<std::string>(),
                     summary.at("input").at("path").get<std::string>());
  const std::string kind = model.at("kind").get<std::string>();
  // Logistic regression and the small CNN have no size to set; resnet1d counts blocks and wrn
  // is named WRN-depth-widen.
  const long long width = model.at("width").get<long long>();
  const long long depth = model.at("depth").get<long long>();
  std::string shape;
  if (kind == "wrn") {
    shape = fmt::format("WRN-{}-{}, ", depth, width);
  } else if (kind == "resnet1d") {
    shape = fmt::format("{} residual blocks, ", depth);
  } else if (kind != "logistic" && kind != "cnn") {
    shape = fmt::format("width {}, depth {}, ", width, depth);
  }
  out += fmt::format("  {} pool records from {} patients; {} test records held out; {} {} models "
                     "({}{} parameters each)\n",
                     counts.at("pool_records").get<long long>(), counts.at("pool_patients").get<long long>(),
                     counts.at("test_records").get<long long>(), summary.at("models").get<long long>(), kind,
                     shape, summary.at("training").at("parameters").dump());
  const auto& utility = summary.at("utility");
  out += fmt::format("  utility: test AUROC {}, accuracy {} (mean ± SD over models)\n",
                     mean_sd(utility.at("test_auroc")), mean_sd(utility.at("test_accuracy")));
  out += privacy_lines(summary.value("privacy", nlohmann::json())) + "\n";

  const long long targets = config.at("analysis").at("attacks").at("targets").get<long long>();
  out += fmt::format("Aggregate attacks ({} target model{}, the other models as references)\n", targets,
                     targets == 1 ? "" : "s");
  out += fmt::format("  {:<14} {:>15} {:>17} {:>17}\n", "attack", "AUC", "TPR @ 0.1% FPR", "TPR @ 1% FPR");
  double best_auc = 0;
  for (const auto& attack : summary.at("attacks")) {
    best_auc = std::max(best_auc, number(attack.at("auc").at("mean")));
    out += fmt::format("  {:<14} {:>15} {:>17} {:>17}\n", report::attack_label(attack.at("name").get<std::string>()),
                       mean_sd(attack.at("auc")), mean_sd(attack.at("tpr_at_fpr_0.001")),
                       mean_sd(attack.at("tpr_at_fpr_0.01")));
  }

  const auto& tails = summary.at("tails");
  const long long models = summary.at("models").get<long long>();
  out += "\nMembership risk per record and per patient (AUC of telling the models that trained on it\n"
         "from those that did not; half A selects, half B confirms, against the winner's curse)\n";
  out += fmt::format("  {:<22} {:>9} {:>14} {:>14} {:>14}\n", "", "AUC above", fmt::format("all {} models", models),
                     "selected (A)", "confirmed (B)");
  const auto add_rows = [&](const char* label, const nlohmann::json& list) {
    for (const auto& tail : list) {
      out += fmt::format("  {:<22} {:>9} {:>14} {:>14} {:>14}\n", label, tail.at("threshold").get<double>(),
                         tail.at("in_sample").get<long long>(), tail.at("selected").get<long long>(),
                         tail.at("confirmed").get<long long>());
    }
  };
  add_rows("records", tails.at("records"));
  add_rows("patients, max record", tails.at("patients_max"));
  add_rows("patients, joint test", tails.at("patients_joint"));
  if (counts.at("pool_records") == counts.at("pool_patients")) {
    out += "  (each patient has one record here, so the patient rows equal the record rows)\n";
  }
  if (models < kFewModels) {
    out += fmt::format("  Note: with {} models each half gives a record about {} IN and {} OUT signals, so these\n"
                       "  counts are noisy; use at least {} models (the Nature study used 200).\n",
                       models, models / 4, models / 4, kFewModels);
  }

  if (summary.contains("groups") && !summary.at("groups").at("attributes").empty()) {
    const auto& groups = summary.at("groups");
    out += fmt::format("\nGroups among the top {:g}% of records by AUC (Pearson residual (O - E) / sqrt(E); "
                       "groups under {} patients suppressed)\n",
                       100.0 * groups.at("top_fraction").get<double>(),
                       groups.at("min_group_patients").get<long long>());
    for (const auto& attribute : groups.at("attributes")) {
      const auto& level = attribute.at("record_level");
      const nlohmann::json* largest = nullptr;
      for (const auto& group : attribute.at("groups")) {
        if (group.at("suppressed").get<bool>() || !group.at("record_level").at("residual").is_number()) continue;
        if (largest == nullptr || group.at("record_level").at("residual").get<double>() >
                                      largest->at("record_level").at("residual").get<double>()) {
          largest = &group;
        }
      }
      out += fmt::format("  {:<14} chi-square p = {:<10} (Bonferroni {:<10})", printable(attribute.at("name").get<std::string>()),
                         level.at("p_value").is_number() ? fmt::format("{:.3g}", level.at("p_value").get<double>()) : "n/a",
                         level.at("p_bonferroni").is_number()
                             ? fmt::format("{:.3g}", level.at("p_bonferroni").get<double>())
                             : "n/a");
      if (level.at("top_n").get<long long>() == 0) {
        out += "  (the top set is empty: too few records)";
      } else if (largest != nullptr && level.at("dof").get<long long>() >= 1) {
        out += fmt::format("  largest residual: {} = {:+.2f} ({} of {} top records, {:.1f} expected)",
                           printable(largest->at("name").get<std::string>()),
                           largest->at("record_level").at("residual").get<double>(),
                           largest->at("record_level").at("observed").get<long long>(), level.at("top_n").get<long long>(),
                           largest->at("record_level").at("expected").get<double>());
      }
      out += "\n";
    }
  }

  const double near = config.at("analysis").at("near_certain_auc").get<double>();
  const nlohmann::json* joint = find_tail(tails.at("patients_joint"), near);
  if (joint != nullptr) {
    const long long near_count = joint->at("in_sample").get<long long>();
    const std::string attack = fmt::format("The best aggregate attack reaches AUC {:.3f}{}", best_auc,
                                           best_auc < kNearGuessingAuc ? ", close to guessing" : "");
    if (near_count == 0) {
      out += fmt::format("\n{}; no patient has a joint membership AUC above {} on all models.\n", attack, near);
    } else {
      out += fmt::format(
          "\n{}, yet {} of {} patients have a joint membership AUC above {} on all models; {} patients "
          "selected on half A stay above it on half B.\n",
          attack, near_count, counts.at("pool_patients").get<long long>(), near,
          joint->at("confirmed").get<long long>());
    }
  }
  out += fmt::format("Outputs: {}/{{records.csv, patients.csv, groups.csv, roc.csv, summary.json, "
                     "signals.npy, membership.npy}}\n",
                     summary.at("run").get<std::string>());
  return out;
}

}  // namespace privaudit::run
