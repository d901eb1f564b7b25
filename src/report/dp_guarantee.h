// The DP-SGD guarantee of a run, read from the "privacy" object of summary.json, and the report
// text that states it in the summary, survival and methods sections. Internal to the report module.
// The bound_check keys are defined in docs/sweep-format.md.
#pragma once

#include <limits>
#include <optional>
#include <string>

#include "report/report_format.h"

namespace privaudit::report::detail {

// A number missing from the summary.
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// One unit's entry of privacy.bound_check ("records" or "patients"). Missing numbers are NaN.
struct BoundCheckCounts {
  double selected = kMissing;         // units above the bound on half A of the models
  double confirmed = kMissing;        // of them, units above the bound on half B too
  double tested = kMissing;           // selected units with enough half-B models for the z test
  double min_models = kMissing;       // minimum half-B IN and OUT models each for a unit to be tested
  double critical_z = kMissing;       // Bonferroni critical value; NaN when nothing was tested
  double beyond_se = kMissing;        // tested units with z above critical_z
  double max_z = kMissing;            // largest z over the tested units
  double max_holdout_auc = kMissing;  // largest half-B AUC of any unit
};

// The DP-SGD settings and guarantee of one run. Missing numbers are NaN.
struct DpGuarantee {
  std::string unit;  // "patient" or "record"; "" when missing
  // Accounted epsilon at `delta`; +infinity where summary.json has "inf" (no noise or no clipping).
  double epsilon = kMissing;
  double delta = kMissing;
  double target_epsilon = kMissing;         // NaN when no target was requested
  double clip_norm = kMissing;              // L2 norm C; +infinity when clipping was off
  double noise_multiplier = kMissing;       // sigma: noise SD divided by C
  double sampling_rate = kMissing;          // Poisson sampling rate q per step
  double steps = kMissing;                  // DP-SGD steps of one model
  double order = kMissing;                  // RDP order that gave epsilon
  double auc_bound = kMissing;              // maximum membership AUC from the whole privacy profile, in [0.5, 1]
  double auc_bound_single_pair = kMissing;  // the same from the one (epsilon, delta) pair alone
  std::string accountant;
  bool has_bound_check = false;             // privacy.bound_check is an object
  double family_wise_alpha = kMissing;      // false-alarm rate of each bound check
  std::optional<BoundCheckCounts> records;   // absent without a bound check
  std::optional<BoundCheckCounts> patients;  // absent when the patient check does not apply
};

// The guarantee, or nullopt when summary.json has no "privacy" object (trained without DP-SGD).
std::optional<DpGuarantee> read_dp_guarantee(const Json& summary);

// The guarantee read from one privacy object: summary.json's "privacy", or a recipe's "dp" in
// sweep.json, which has the same keys less target_epsilon, order and accountant. nullopt when
// `privacy` is null or not an object.
std::optional<DpGuarantee> read_privacy_object(const Json* privacy);

// Whether the bound limits the membership AUC at all: finite, below 1, and with a finite epsilon.
bool bound_limits_auc(const DpGuarantee& dp);

// Whether the bound applies to patients: per-patient DP, or a patient check in the summary
// (record-level DP where every patient has one record).
bool bound_covers_patients(const DpGuarantee& dp);

// Whether a survival chart draws the bound as a reference line: it limits the AUC and does not
// round to 1.000, where a line at the right edge would only hide the ends of the curves.
bool dp_bound_drawn(const DpGuarantee& dp);

// An accounted epsilon to 4 significant digits in fixed notation: "1000" for 999.996 (never
// "1e+03"), "0.997", "9.988". "∞" for infinity, "n/a" for NaN.
std::string accounted_epsilon_text(double epsilon);

// A target epsilon as the user wrote it, in {fmt}'s {:g} form: "1000", "10.5".
std::string target_epsilon_text(double epsilon);

// A membership AUC bound for tables, with four decimals ("0.9609"). "1 (no limit)" when it is 1 at
// four decimals (0.9999999999998981 is no limit in practice), "n/a" when missing.
std::string auc_bound_text(double bound);

// Label of the bound's reference line on a survival chart: "DP bound 0.614".
std::string dp_bound_label(const DpGuarantee& dp);

// One line for the recipe table: "patient-level; ε = 1 at δ = 0.000267; noise multiplier 3.41, clip
// norm 1, sampling rate 0.0342, 870 steps".
std::string dp_recipe_text(const DpGuarantee& dp);

// HTML of the prominent notice that units exceed the bound beyond estimation noise; "" when no
// unit does.
std::string dp_violation_html(const DpGuarantee& dp);

// HTML paragraph for the summary section: the guarantee in plain words and the bound check result.
std::string dp_summary_html(const DpGuarantee& dp);

// Plain text appended to the caption of a survival chart of `unit` ("record" or "patient"): what
// the bound line is, or why it is not drawn.
std::string dp_survival_caption(const DpGuarantee& dp, const std::string& unit, double models);

// HTML for the methods section: the DP-SGD settings, how the bound is computed and how it is
// checked.
std::string dp_methods_html(const DpGuarantee& dp);

}  // namespace privaudit::report::detail
