#include "report/dp_guarantee.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "report/markup.h"
#include "report/report_sections.h"

namespace privaudit::report::detail {

namespace {

// summary.json writes infinite values as the string "inf" (epsilon, clip_norm).
double number_or_infinity(const Json* value) {
  if (value != nullptr && value->is_string() && value->get<std::string>() == "inf") {
    return std::numeric_limits<double>::infinity();
  }
  return number(value);
}

BoundCheckCounts read_counts(const Json* entry) {
  BoundCheckCounts counts;
  counts.selected = number_at(entry, "selected");
  counts.confirmed = number_at(entry, "confirmed");
  counts.tested = number_at(entry, "tested");
  counts.min_models = number_at(entry, "min_models");
  counts.critical_z = number_at(entry, "z");
  counts.beyond_se = number_at(entry, "beyond_se");
  counts.max_z = number_at(entry, "max_z");
  counts.max_holdout_auc = number_at(entry, "max_holdout_auc");
  return counts;
}

// "patient" or "record" for running text; "unit" for a missing or unknown unit.
std::string unit_word(const DpGuarantee& dp) {
  return dp.unit == "patient" || dp.unit == "record" ? dp.unit : "unit";
}

std::string delta_text(double delta) { return format_significant(delta, 3); }

// "1 patient", "91 records", "no patient".
std::string unit_count(double count, const std::string& unit) {
  if (count == 0.0) return "no " + unit;
  return count_text(count) + " " + unit + (count == 1.0 ? "" : "s");
}

// One entry per unit that the bound check covers, patients first: {unit, counts}.
struct CheckedUnit {
  std::string unit;
  BoundCheckCounts counts;
};

std::vector<CheckedUnit> checked_units(const DpGuarantee& dp) {
  std::vector<CheckedUnit> units;
  if (dp.patients) units.push_back({"patient", *dp.patients});
  if (dp.records) units.push_back({"record", *dp.records});
  return units;
}

// "91 patients and 91 records" from one count per checked unit; `field` picks the count.
std::string counts_text(const std::vector<CheckedUnit>& units, double BoundCheckCounts::*field) {
  std::string out;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (i > 0) out += " and ";
    out += unit_count(units[i].counts.*field, units[i].unit);
  }
  return out;
}

// Sum of one count over the checked units; NaN counts add nothing.
double total(const std::vector<CheckedUnit>& units, double BoundCheckCounts::*field) {
  double sum = 0.0;
  for (const auto& unit : units) {
    if (std::isfinite(unit.counts.*field)) sum += unit.counts.*field;
  }
  return sum;
}

// The family-wise level as a percentage; 5%, the level privaudit uses, when the summary lacks it.
std::string alpha_text(const DpGuarantee& dp) {
  return percent(std::isfinite(dp.family_wise_alpha) ? dp.family_wise_alpha : 0.05, 0);
}

// How the check decides that a unit is above the bound by more than estimation noise explains.
std::string test_text(const DpGuarantee& dp) {
  return fmt::format("one-sided z test, Bonferroni-corrected over the units tested, family-wise {}", alpha_text(dp));
}

// The bound check result in words, after the guarantee sentence.
std::string check_sentences(const DpGuarantee& dp) {
  if (!dp.has_bound_check) {
    return " The summary has no bound check, so this report cannot say whether the measured AUCs stay under the "
           "bound.";
  }
  const std::vector<CheckedUnit> units = checked_units(dp);
  if (units.empty()) return " The bound check in the summary covers neither records nor patients.";

  const double confirmed = total(units, &BoundCheckCounts::confirmed);
  const double beyond = total(units, &BoundCheckCounts::beyond_se);
  const double tested = total(units, &BoundCheckCounts::tested);
  const double untested = total(units, &BoundCheckCounts::selected) - tested;
  const std::string min_models = count_text(units.front().counts.min_models);
  if (confirmed == 0.0) {
    return fmt::format(" On held-out models, {} is confirmed above the bound: none that one half of the models places "
                       "above it stays above it on the other half.",
                       counts_text(units, &BoundCheckCounts::confirmed));
  }
  std::string out = fmt::format(
      " On held-out models, {} {} confirmed above the bound: one half of the models places them above it, and so "
      "does the other half.",
      counts_text(units, &BoundCheckCounts::confirmed), confirmed == 1.0 ? "is" : "are");
  if (beyond > 0.0) {
    out += fmt::format(" Of them, {} {} above it by more than estimation noise explains ({}): see the warning above.",
                       counts_text(units, &BoundCheckCounts::beyond_se), beyond == 1.0 ? "is" : "are", test_text(dp));
  } else if (tested > 0.0) {
    out += fmt::format(
        " None of them is above it by more than estimation noise explains: {} {} tested ({}). Each half-B AUC is "
        "estimated from half of the models, so point estimates above the bound are expected from noise alone and do "
        "not contradict the guarantee.",
        counts_text(units, &BoundCheckCounts::tested), tested == 1.0 ? "was" : "were", test_text(dp));
  } else {
    out += fmt::format(" None of them has the {} IN and {} OUT models on the held-out half that the test against "
                       "estimation noise needs, so the check cannot tell them from noise.",
                       min_models, min_models);
  }
  if (tested > 0.0 && untested > 0.0) {
    out += fmt::format(" Another {} selected above the bound had too few held-out models to be tested.",
                       unit_count(untested, "unit"));
  }
  return out;
}

std::string unit_phrase(const DpGuarantee& dp) {
  if (dp.unit == "patient") return "patient-level DP-SGD (all records of a patient form one privacy unit)";
  if (dp.unit == "record") return "record-level DP-SGD (each record is one privacy unit)";
  return "DP-SGD";
}

}  // namespace

std::optional<DpGuarantee> read_dp_guarantee(const Json& summary) {
  return read_privacy_object(find(&summary, "privacy"));
}

std::optional<DpGuarantee> read_privacy_object(const Json* privacy) {
  if (privacy == nullptr || !privacy->is_object()) return std::nullopt;
  DpGuarantee dp;
  dp.unit = text_at(privacy, "unit");
  dp.epsilon = number_or_infinity(find(privacy, "epsilon"));
  dp.delta = number_at(privacy, "delta");
  dp.target_epsilon = number_at(privacy, "target_epsilon");
  dp.clip_norm = number_or_infinity(find(privacy, "clip_norm"));
  dp.noise_multiplier = number_at(privacy, "noise_multiplier");
  dp.sampling_rate = number_at(privacy, "sampling_rate");
  dp.steps = number_at(privacy, "steps");
  dp.order = number_at(privacy, "order");
  dp.auc_bound = number_at(privacy, "auc_bound");
  dp.auc_bound_single_pair = number_at(privacy, "auc_bound_single_pair");
  dp.accountant = text_at(privacy, "accountant");
  const Json* check = find(privacy, "bound_check");
  if (check != nullptr && check->is_object()) {
    dp.has_bound_check = true;
    dp.family_wise_alpha = number_at(check, "family_wise_alpha");
    const Json* records = find(check, "records");
    const Json* patients = find(check, "patients");
    if (records != nullptr && records->is_object()) dp.records = read_counts(records);
    if (patients != nullptr && patients->is_object()) dp.patients = read_counts(patients);
  }
  return dp;
}

bool bound_limits_auc(const DpGuarantee& dp) {
  return std::isfinite(dp.auc_bound) && dp.auc_bound < 1.0 && !std::isinf(dp.epsilon);
}

bool bound_covers_patients(const DpGuarantee& dp) { return dp.unit == "patient" || dp.patients.has_value(); }

bool dp_bound_drawn(const DpGuarantee& dp) { return bound_limits_auc(dp) && fixed(dp.auc_bound, 3) != "1.000"; }

std::string accounted_epsilon_text(double epsilon) {
  if (std::isnan(epsilon)) return "n/a";
  if (std::isinf(epsilon)) return epsilon > 0.0 ? "∞" : "-∞";
  if (epsilon == 0.0) return "0";
  // Fixed notation with as many decimals as 4 significant digits need, then without trailing
  // zeros. {:.4g} would print 999.996 as "1e+03".
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(epsilon))));
  std::string text = fmt::format("{:.{}f}", epsilon, std::max(0, 3 - magnitude));
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

std::string target_epsilon_text(double epsilon) {
  return std::isfinite(epsilon) ? fmt::format("{:g}", epsilon) : accounted_epsilon_text(epsilon);
}

std::string auc_bound_text(double bound) {
  if (std::isnan(bound)) return "n/a";
  const std::string text = fixed(bound, 4);
  return bound >= 1.0 || text == "1.0000" ? "1 (no limit)" : text;
}

std::string dp_bound_label(const DpGuarantee& dp) { return "DP bound " + fixed(dp.auc_bound, 3); }

std::string dp_recipe_text(const DpGuarantee& dp) {
  const std::string unit = dp.unit.empty() ? "unit not stated" : dp.unit + "-level";
  const std::string epsilon = std::isinf(dp.epsilon)
                                  ? "ε infinite (no guarantee)"
                                  : "ε = " + accounted_epsilon_text(dp.epsilon) + " at δ = " + delta_text(dp.delta);
  const std::string clip =
      std::isinf(dp.clip_norm) ? "no clipping" : "clip norm " + format_significant(dp.clip_norm, 3);
  return fmt::format("{}; {}; noise multiplier {}, {}, sampling rate {}, {} steps", unit, epsilon,
                     format_significant(dp.noise_multiplier, 3), clip, format_significant(dp.sampling_rate, 3),
                     count_text(dp.steps));
}

std::string dp_violation_html(const DpGuarantee& dp) {
  const std::vector<CheckedUnit> units = checked_units(dp);
  if (!(total(units, &BoundCheckCounts::beyond_se) > 0.0)) return "";
  std::vector<CheckedUnit> violating;
  for (const auto& unit : units) {
    if (unit.counts.beyond_se > 0.0) violating.push_back(unit);
  }
  const std::string text = fmt::format(
      "{} {} a membership AUC on held-out models above the DP bound of {} by more than estimation noise explains ({}). "
      "For a correctly trained and accounted DP-SGD model, estimation noise alone does this in at most about {} of audits per "
      "check, so it most likely points to a bug in the DP training or its privacy accounting. Do not rely on the "
      "stated ε = {} until the cause is found.",
      counts_text(violating, &BoundCheckCounts::beyond_se),
      total(violating, &BoundCheckCounts::beyond_se) == 1.0 ? "has" : "have", fixed(dp.auc_bound, 3), test_text(dp),
      alpha_text(dp), accounted_epsilon_text(dp.epsilon));
  return "<div class=\"fact highlight violation\">\n<p><strong class=\"mark\">Privacy bound violated.</strong> " +
         escape_xml(text) + "</p>\n</div>\n";
}

std::string dp_summary_html(const DpGuarantee& dp) {
  const std::string unit = unit_word(dp);
  std::string text;
  if (std::isinf(dp.epsilon)) {
    std::string cause = "without noise or without gradient clipping";
    if (std::isinf(dp.clip_norm)) cause = "without gradient clipping";
    if (dp.noise_multiplier == 0.0) {
      cause = std::isinf(dp.clip_norm) ? "without noise and without clipping" : "without noise";
    }
    text = fmt::format("The models were trained with {}, but {}, so the privacy accountant reports an infinite ε. "
                       "DP-SGD gives no privacy guarantee here: it does not limit the membership AUC of any {}.",
                       unit_phrase(dp), cause, unit);
  } else {
    text = fmt::format("The models were trained with {} at ε = {} and δ = {}.", unit_phrase(dp),
                       accounted_epsilon_text(dp.epsilon), delta_text(dp.delta));
    if (std::isnan(dp.auc_bound)) {
      text += " The summary does not contain the membership AUC bound of this guarantee.";
    } else if (!bound_limits_auc(dp)) {
      text += " This budget allows a membership AUC of up to 1, so it gives no privacy guarantee against membership "
              "inference.";
    } else {
      text += fmt::format(" By this guarantee, no membership attack can exceed AUC {} on any {}.",
                          fixed(dp.auc_bound, 3), unit);
      if (fixed(dp.auc_bound, 3) == "1.000") {
        text += " That is no practical limit: the bound is below 1 only beyond the third decimal.";
      }
      if (!bound_covers_patients(dp)) {
        text += " A patient with several records is covered only by group privacy, with ε growing with the number of "
                "records, so the bound does not limit a patient's joint AUC and patients are not checked against it.";
      }
      text += check_sentences(dp);
    }
  }
  return "<p><strong>Differential privacy.</strong> " + escape_xml(text) + "</p>\n";
}

std::string dp_survival_caption(const DpGuarantee& dp, const std::string& unit, double models) {
  if (!bound_limits_auc(dp)) {
    return " No DP bound is drawn: the DP-SGD guarantee of this run does not limit the membership AUC.";
  }
  if (!dp_bound_drawn(dp)) {
    return " No DP bound is drawn: the DP-SGD bound is 1.000 to three decimals, which is no practical limit.";
  }
  if (unit == "patient" && !bound_covers_patients(dp)) {
    return " The record-level DP bound is not drawn here: a patient with several records is covered only by group "
           "privacy, so the bound does not limit a patient's joint AUC.";
  }
  const std::string from = std::isfinite(models) ? "from " + count_text(models) + " models" : "";
  return fmt::format(
      " Dashed line \"DP bound\": under the DP-SGD guarantee (ε = {}, δ = {}), no membership attack can exceed AUC {} "
      "on any {}. The plotted AUCs are estimates{}{}, so estimation noise alone places some of them above the bound. "
      "The bound check in the summary tests whether any lies further above it than noise explains.",
      accounted_epsilon_text(dp.epsilon), delta_text(dp.delta), fixed(dp.auc_bound, 3), unit, from.empty() ? "" : " ",
      from);
}

namespace {

std::string setting_row(const std::string& label, const std::string& value) {
  return table_row({escape_xml(label), escape_xml(value)});
}

std::string check_row(const CheckedUnit& unit) {
  const BoundCheckCounts& c = unit.counts;
  return table_row({escape_xml(unit.unit + "s"), escape_xml(count_text(c.selected)), escape_xml(count_text(c.confirmed)),
                    escape_xml(count_text(c.tested)), escape_xml(fixed(c.critical_z, 2)),
                    escape_xml(fixed(c.max_z, 2)), escape_xml(count_text(c.beyond_se)),
                    escape_xml(fixed(c.max_holdout_auc, 3))});
}

}  // namespace

std::string dp_methods_html(const DpGuarantee& dp) {
  const std::string unit = unit_word(dp);
  std::string out = "<h3>Differential privacy (DP-SGD)</h3>\n";
  out += "<p>" +
         escape_xml(fmt::format(
             "Every model was trained with DP-SGD (differentially private stochastic gradient descent). At each "
             "step, every {0} of the model's training half joins the batch independently with probability q (Poisson sampling). The "
             "gradient of each sampled {0}{1} is clipped to L2 norm C, and Gaussian noise with standard deviation "
             "σ·C is added to the sum of the clipped gradients. The privacy accountant composes the Rényi DP of "
             "all steps and converts it to (ε, δ).",
             unit, unit == "patient" ? ", summed over the patient's records," : "")) +
         "</p>\n";

  out += "<table class=\"settings\">\n<tbody>\n";
  out += setting_row("Privacy unit", dp.unit.empty() ? "n/a" : dp.unit);
  out += setting_row("Clip norm C", std::isinf(dp.clip_norm) ? "none (clipping off)" : format_significant(dp.clip_norm, 3));
  std::string noise = format_significant(dp.noise_multiplier, 3);
  if (std::isfinite(dp.target_epsilon)) {
    noise += ", calibrated to reach the target ε = " + target_epsilon_text(dp.target_epsilon);
  }
  out += setting_row("Noise multiplier σ", noise);
  out += setting_row("Sampling rate q", format_significant(dp.sampling_rate, 3));
  out += setting_row("Steps", count_text(dp.steps));
  out += setting_row("δ", delta_text(dp.delta));
  std::string epsilon = std::isinf(dp.epsilon) ? "infinite: no guarantee" : accounted_epsilon_text(dp.epsilon);
  if (std::isfinite(dp.order)) epsilon += ", at RDP order " + format_significant(dp.order, 3);
  out += setting_row("ε", epsilon);
  out += setting_row("Accountant", dp.accountant.empty() ? "n/a" : dp.accountant);
  std::string bound = bound_limits_auc(dp) ? auc_bound_text(dp.auc_bound) : "1 (no limit)";
  if (std::isnan(dp.auc_bound)) bound = "n/a";
  if (bound_limits_auc(dp) && bound != "1 (no limit)" && std::isfinite(dp.auc_bound_single_pair)) {
    bound += "; the single pair (ε, δ) alone gives " + auc_bound_text(dp.auc_bound_single_pair);
  }
  out += setting_row("Membership AUC bound", bound);
  out += "</tbody>\n</table>\n";

  out += "<p>" +
         escape_xml(
             "The membership AUC bound is the largest AUC that any membership attack can reach under the whole "
             "privacy profile of the run. For each ε on a grid, the RDP curve of the composed steps gives δ(ε), "
             "and every such pair limits the attack's false negative rate β at false positive rate α to "
             "β ≥ max(0, 1 − δ − exp(ε)·α, exp(−ε)·(1 − δ − α)). The bound is the area under the best ROC curve "
             "that these limits together allow. It is at most the bound 1 − (1 − δ)² / (1 + exp(ε)) of the single "
             "pair (ε, δ) that the accountant reports. A bound of 1 does not limit the AUC.") +
         "</p>\n";

  if (!dp.has_bound_check) {
    out += bound_limits_auc(dp)
               ? "<p class=\"missing\">The bound check is not in this summary.</p>\n"
               : "<p>There is no bound check, because a bound of 1 excludes no AUC.</p>\n";
    return out;
  }
  const std::vector<CheckedUnit> units = checked_units(dp);
  const std::string min_models = count_text(units.empty() ? kMissing : units.front().counts.min_models);
  out += "<p>" +
         escape_xml(fmt::format(
             "The bound check reuses the two halves of the models of the tail confirmation. Half A selects the "
             "records (patients) whose AUC is above the bound; half B re-measures them, and those still above it "
             "are confirmed. Each selected unit with at least {0} IN and {0} OUT models on half B is tested: "
             "z = (half-B AUC − bound) / SE₀, with SE₀ the Hanley-McNeil standard error at AUC = bound, against "
             "the one-sided critical value that a Bonferroni correction over the units tested gives at a "
             "family-wise {1}. A unit above it exceeds the bound by more than estimation noise explains, which a "
             "correct DP-SGD run does only by chance.",
             min_models, alpha_text(dp))) +
         "</p>\n";
  if (!bound_covers_patients(dp)) {
    out += "<p>Patients are not checked: record-level DP covers a patient with several records only by group "
           "privacy, so the bound does not apply to a patient's joint AUC.</p>\n";
  }
  if (units.empty()) return out;
  out += "<table class=\"numbers\">\n<thead>" +
         table_row({"Unit", "Selected on half A", "Confirmed on half B", "Tested", "Critical z", "Largest z",
                    "Beyond estimation noise", "Largest half-B AUC"},
                   true) +
         "</thead>\n<tbody>\n";
  for (const auto& unit_entry : units) out += check_row(unit_entry);
  out += "</tbody>\n</table>\n";
  out += "<p class=\"note\">Critical z and largest z read n/a when no unit was tested. The largest half-B AUC is over "
         "all units, selected or not.</p>\n";
  return out;
}

}  // namespace privaudit::report::detail
