#include "run/analyze_stage.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <cmath>
#include <numeric>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/npy.h"
#include "core/random.h"
#include "core/version.h"
#include "risk/patient_risk.h"
#include "risk/record_risk.h"
#include "risk/tail_confirmation.h"
#include "run/csv_writer.h"
#include "run/gallery.h"
#include "run/model_utility.h"
#include "run/run_context.h"
#include "stats/descriptive.h"
#include "stats/survival.h"
#include "core/sha256.h"
#include "attacks/lira.h"

namespace privaudit::run {

namespace fs = std::filesystem;

namespace {

// Points kept per survival curve in summary.json: the whole tail and a thinned body.
constexpr std::size_t kSurvivalPoints = 600;
constexpr std::size_t kMaxExposedPatients = 1000;
// A shorter key makes the pseudonyms guessable by trying keys.
constexpr std::size_t kMinKeyBytes = 16;

nlohmann::json finite_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

// Quantiles of the finite values, with their count; the extreme tail is where the risk sits.
nlohmann::json distribution(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
               values.end());
  std::sort(values.begin(), values.end());
  nlohmann::json out = {{"count", values.size()}};
  if (values.empty()) return out;
  out["mean"] = stats::mean_sd(values).mean;
  for (const auto& [name, q] : {std::pair{"p50", 0.5}, std::pair{"p90", 0.9}, std::pair{"p99", 0.99},
                                std::pair{"p999", 0.999}}) {
    out[name] = stats::quantile_sorted(values, q);
  }
  out["max"] = values.back();
  return out;
}

nlohmann::json bound_check_json(const risk::BoundCheck& check) {
  return {{"bound", check.bound},
          {"selected", check.selected},
          {"confirmed", check.confirmed},
          {"tested", check.tested},
          {"min_models", risk::kBoundCheckMinModels},
          {"z", finite_or_null(check.z)},
          {"beyond_se", check.beyond_se},
          {"max_z", finite_or_null(check.max_z)},
          {"max_holdout_auc", finite_or_null(check.max_holdout_auc)}};
}

nlohmann::json tails_to_json(const std::vector<risk::TailCount>& tails) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& tail : tails) {
    out.push_back({{"threshold", tail.threshold},
                   {"in_sample", tail.in_sample},
                   {"selected", tail.selected},
                   {"confirmed", tail.confirmed},
                   {"mean_holdout_auc", finite_or_null(tail.mean_holdout_auc)}});
  }
  return out;
}

nlohmann::json attack_options_to_json(const attacks::AttackOptions& options) {
  return {{"targets", options.targets},
          {"lira_center", options.lira.center == attacks::LiraOptions::Center::kMedian ? "median" : "mean"},
          {"lira_variance",
           options.lira.variance == attacks::LiraOptions::Variance::kPerRecord ? "per-record" : "fixed"},
          {"lira_min_sd", options.lira.min_sd},
          {"rmia_gamma", options.rmia.gamma},
          {"rmia_population", options.rmia.population},
          {"rmia_seed", options.rmia.seed},
          {"rmia_offline_a_grid", options.rmia.offline_a_grid},
          {"rmia_tuning_targets", options.rmia.tuning_targets},
          {"fpr_grid_min", options.fpr_grid_min},
          {"fpr_grid_points", options.fpr_grid_points}};
}

void write_records_csv(const RunContext& context, const std::vector<risk::RecordRisk>& records) {
  CsvWriter csv;
  for (const char* name : {"record", "line", "patient_id", "label", "n_in", "n_out", "mean_in", "sd_in",
                           "mean_out", "sd_out", "auc_binormal", "auc_se", "auc_empirical"}) {
    csv.text(name);
  }
  csv.end_row();
  const data::Dataset& dataset = context.dataset;
  for (std::size_t j = 0; j < records.size(); ++j) {
    const std::uint32_t record = context.plan.pool_records[j];
    const auto& risk = records[j];
    csv.integer(record)
        .integer(static_cast<long long>(dataset.record_line[record]))
        .text(dataset.patient_ids[static_cast<std::size_t>(dataset.patient_of_record[record])])
        .text(data::label_text(dataset, record))
        .integer(risk.n_in)
        .integer(risk.n_out)
        .number(risk.mean_in)
        .number(risk.sd_in)
        .number(risk.mean_out)
        .number(risk.sd_out)
        .number(risk.auc_binormal)
        .number(risk.auc_se)
        .number(risk.auc_empirical);
    csv.end_row();
  }
  write_file_atomic(context.layout.records_csv(), csv.str());
}

void write_patients_csv(const RunContext& context, const std::vector<risk::PatientRisk>& patients) {
  CsvWriter csv;
  for (const char* name : {"patient_id", "records", "max_record_auc", "mean_record_auc", "n_in",
                           "n_out", "joint_mean_in", "joint_sd_in", "joint_mean_out", "joint_sd_out",
                           "joint_auc_binormal", "joint_auc_se", "joint_auc_empirical"}) {
    csv.text(name);
  }
  csv.end_row();
  for (std::size_t k = 0; k < patients.size(); ++k) {
    const auto& risk = patients[k];
    csv.text(context.dataset.patient_ids[context.plan.pool_patients[k]])
        .integer(risk.records)
        .number(risk.max_record_auc)
        .number(risk.mean_record_auc)
        .integer(risk.n_in)
        .integer(risk.n_out)
        .number(risk.joint_mean_in)
        .number(risk.joint_sd_in)
        .number(risk.joint_mean_out)
        .number(risk.joint_sd_out)
        .number(risk.joint_auc_binormal)
        .number(risk.joint_auc_se)
        .number(risk.joint_auc_empirical);
    csv.end_row();
  }
  write_file_atomic(context.layout.patients_csv(), csv.str());
}

void write_roc_csv(const RunLayout& layout, const std::vector<attacks::AttackSummary>& attacks) {
  CsvWriter csv;
  csv.text("attack").text("fpr").text("tpr_mean").text("tpr_sd");
  csv.end_row();
  for (const auto& attack : attacks) {
    for (std::size_t g = 0; g < attack.fpr_grid.size(); ++g) {
      csv.text(attack.name).number(attack.fpr_grid[g]).number(attack.tpr_grid_mean[g]).number(attack.tpr_grid_sd[g]);
      csv.end_row();
    }
  }
  write_file_atomic(layout.roc_csv(), csv.str());
}

// Mean and SD over models of each utility metric, from the per-model files of the train stage.
nlohmann::json utility_summary(const RunContext& context, nlohmann::json& training) {
  std::vector<ModelUtility> utilities;
  double seconds = 0;
  for (std::size_t m = 0; m < context.plan.models; ++m) {
    const nlohmann::json model = nlohmann::json::parse(read_file(context.layout.model_json(m)));
    utilities.push_back(ModelUtility::from_json(model.at("utility")));
    seconds += model.at("seconds").get<double>();
    if (m == 0) training["parameters"] = model.at("parameters");
  }
  training["model_seconds_total"] = seconds;
  nlohmann::json out;
  const auto add = [&](const char* name, auto member) {
    std::vector<double> values;
    for (const auto& utility : utilities) {
      if (std::isfinite(utility.*member)) values.push_back(utility.*member);
    }
    const stats::MeanSd summary = stats::mean_sd(values, 1);
    out[name] = {{"mean", finite_or_null(summary.mean)}, {"sd", finite_or_null(summary.sd)},
                 {"models", values.size()}};
  };
  add("test_auroc", &ModelUtility::test_auroc);
  add("test_accuracy", &ModelUtility::test_accuracy);
  add("train_loss", &ModelUtility::train_loss);
  add("out_loss", &ModelUtility::out_loss);
  add("test_loss", &ModelUtility::test_loss);
  return out;
}

nlohmann::json survival_json(const std::vector<double>& values) {
  const stats::SurvivalCurve curve = stats::downsample(stats::survival_function(values), kSurvivalPoints);
  nlohmann::json out = {{"n", curve.n}};
  for (const auto& [name, series] : {std::pair{"x", &curve.x}, std::pair{"sf", &curve.sf},
                                     std::pair{"lower", &curve.lower}, std::pair{"upper", &curve.upper}}) {
    nlohmann::json list = nlohmann::json::array();
    for (double value : *series) list.push_back(finite_or_null(value));
    out[name] = list;
  }
  return out;
}

nlohmann::json roc_json(const std::vector<attacks::AttackSummary>& attacks) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& attack : attacks) {
    nlohmann::json fpr = nlohmann::json::array();
    nlohmann::json mean = nlohmann::json::array();
    nlohmann::json sd = nlohmann::json::array();
    for (std::size_t g = 0; g < attack.fpr_grid.size(); ++g) {
      fpr.push_back(finite_or_null(attack.fpr_grid[g]));
      mean.push_back(finite_or_null(attack.tpr_grid_mean[g]));
      sd.push_back(finite_or_null(attack.tpr_grid_sd[g]));
    }
    out.push_back({{"name", attack.name}, {"fpr", fpr}, {"tpr_mean", mean}, {"tpr_sd", sd}});
  }
  return out;
}

// The patients with the highest joint AUC, with their group labels; never feature values.
// `listed_pool_patients` receives the pool patient index of each entry.
nlohmann::json exposed_patients_json(const RunContext& context, const std::vector<risk::PatientRisk>& patients,
                                     const std::vector<std::vector<std::string>>& labels,
                                     const AnalysisOptions& options, std::vector<std::size_t>& listed_pool_patients) {
  std::vector<std::size_t> order(patients.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto key = [&](std::size_t k) {
    const double auc = patients[k].joint_auc_binormal;
    return std::isfinite(auc) ? auc : -1.0;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  const std::string secret =
      options.pseudonymize_key_file.empty() ? "" : read_pseudonym_key(options.pseudonymize_key_file);
  nlohmann::json out = nlohmann::json::array();
  // At most a tenth of the pool, so that the list cannot be counted through to find small groups.
  const std::size_t listed = std::min(options.exposed_patients, order.size() / 10);
  if (listed < options.exposed_patients) {
    spdlog::info("listing {} most exposed patients (at most a tenth of the {} pool patients)", listed, order.size());
  }
  for (std::size_t n = 0; n < listed; ++n) {
    const std::size_t k = order[n];
    listed_pool_patients.push_back(k);
    const std::string& id = context.dataset.patient_ids[context.plan.pool_patients[k]];
    nlohmann::json groups = nlohmann::json::object();
    for (std::size_t a = 0; a < context.dataset.attributes.size(); ++a) {
      groups[context.dataset.attributes[a].name] = labels[k][a];
    }
    out.push_back({{"id", secret.empty() ? id : "P-" + hmac_sha256_hex(secret, id).substr(0, 16)},
                   {"joint_auc", finite_or_null(patients[k].joint_auc_binormal)},
                   {"joint_auc_se", finite_or_null(patients[k].joint_auc_se)},
                   {"max_record_auc", finite_or_null(patients[k].max_record_auc)},
                   {"records", patients[k].records},
                   {"groups", groups}});
  }
  return out;
}

}  // namespace

std::string read_pseudonym_key(const std::string& path) {
  std::string key;
  try {
    key = read_file(path);
  } catch (const IoError& error) {
    throw UsageError(fmt::format("--pseudonymize-ids: {}; give a file holding a secret key of at least {} bytes",
                                 error.what(), kMinKeyBytes));
  }
  if (key.size() < kMinKeyBytes) {
    throw UsageError(fmt::format("--pseudonymize-ids key file '{}' has {} bytes; expected at least {} bytes of "
                                 "secret (for example `head -c 32 /dev/urandom > key`)",
                                 path, key.size(), kMinKeyBytes));
  }
  return key;
}

void AnalysisOptions::validate() const {
  attacks.validate();
  if (tail_thresholds.empty()) {
    throw UsageError("--tail-thresholds is empty: give at least one AUC threshold, such as 0.95");
  }
  for (double threshold : tail_thresholds) {
    if (!(threshold > 0.5 && threshold < 1.0)) {
      throw UsageError(fmt::format(
          "--tail-thresholds value {} is invalid: each threshold must be an AUC in (0.5, 1)", threshold));
    }
  }
  groups.validate();
  if (exposed_patients > kMaxExposedPatients) {
    throw UsageError(fmt::format("--exposed-patients {} is invalid: expected at most {}", exposed_patients,
                                 kMaxExposedPatients));
  }
  if (!pseudonymize_key_file.empty()) read_pseudonym_key(pseudonymize_key_file);
  if (std::find(tail_thresholds.begin(), tail_thresholds.end(), near_certain_auc) == tail_thresholds.end()) {
    throw UsageError(fmt::format("--near-certain-auc {} is not one of --tail-thresholds; add it there",
                                 near_certain_auc));
  }
}

nlohmann::json run_analyze_stage(const fs::path& dir, const AnalysisOptions& requested) {
  requested.validate();
  const auto start = std::chrono::steady_clock::now();
  const RunContext context = load_run(dir);
  const RunLayout& layout = context.layout;
  if (requested.gallery) check_gallery_modality(context);
  if (!fs::exists(layout.signals()) || !fs::exists(layout.train_json())) {
    throw UsageError(fmt::format("run '{}' has no signals.npy yet; train it first with `privaudit "
                                 "train {}`",
                                 dir.string(), dir.string()));
  }

  // 1. Signals and membership, [models, pool records].
  NpyArray signals;
  try {
    signals = read_npy(layout.signals());
  } catch (const InputError& error) {
    throw InputError(fmt::format("{}; run `privaudit train {}` to rebuild it from the saved models", error.what(),
                                 dir.string()));
  }
  const std::size_t models = context.plan.models;
  const std::size_t pool = context.plan.pool_records.size();
  if (signals.type != NpyType::kFloat32 || signals.shape.size() != 2 || signals.shape[0] != models ||
      signals.shape[1] != pool) {
    throw InputError(fmt::format("'{}' must be a float32 array of shape [{}, {}]; run `privaudit train {}` "
                                 "to rebuild it from the saved models",
                                 layout.signals().string(), models, pool, dir.string()));
  }
  const auto phi = signals.as<float>();
  for (std::size_t k = 0; k < phi.size(); ++k) {
    if (!std::isfinite(phi[k])) {
      throw InputError(fmt::format("'{}' contains a non-finite signal for model {} and pool record {}; "
                                   "retrain that model",
                                   layout.signals().string(), k / pool, k % pool));
    }
  }
  AnalysisOptions options = requested;
  options.attacks.rmia.seed = derive_seed(context.plan.seed, SeedStream::kRmiaPopulation, 0);
  options.attacks.validate_for_models(models);

  // 2. Record and patient risk, and the tails confirmed on held-out models.
  const risk::MembershipSignals view{phi, context.plan.membership, models, pool};
  const std::vector<risk::RecordRisk> records = risk::compute_record_risk(view, {});
  const std::size_t pool_patients = context.plan.pool_patients.size();
  const std::vector<risk::PatientRisk> patients =
      risk::compute_patient_risk(view, context.pool_patient_of_record, pool_patients, records, {});
  const std::uint64_t tail_seed = derive_seed(context.plan.seed, SeedStream::kTailHalves, 0);
  nlohmann::json training = nlohmann::json::parse(read_file(layout.train_json()));
  nlohmann::json privacy = training.value("privacy", nlohmann::json());
  std::optional<double> auc_bound;
  // A bound of 1 (no noise or no clipping) excludes nothing, so there is nothing to check.
  if (privacy.is_object() && privacy.at("auc_bound").get<double>() < 1.0) {
    auc_bound = privacy.at("auc_bound").get<double>();
  }
  const risk::TailReport tails =
      risk::confirm_tails(view, context.pool_patient_of_record, pool_patients,
                          options.tail_thresholds, tail_seed, auc_bound);
  if (auc_bound) {
    // Record-level DP bounds a patient with k records only by group privacy (epsilon k), so the
    // patient check applies only when privacy is per patient or every patient has one record.
    const bool patients_bounded = privacy.value("unit", "") == "patient" || pool_patients == pool;
    privacy["bound_check"] = {
        {"family_wise_alpha", risk::kBoundCheckAlpha},
        {"records", bound_check_json(*tails.records_bound)},
        {"patients", patients_bounded ? bound_check_json(*tails.patients_bound) : nlohmann::json()}};
    if (tails.records_bound->beyond_se > 0 ||
        (patients_bounded && tails.patients_bound->beyond_se > 0)) {
      spdlog::warn(
          "{} record(s) and {} patient(s) exceed the DP bound on membership AUC {:.4f} on held-out "
          "models by more than their standard errors explain (family-wise level {}); a correct "
          "DP-SGD run does this only by chance, so check the recipe and report it",
          tails.records_bound->beyond_se, tails.patients_bound->beyond_se, *auc_bound,
          risk::kBoundCheckAlpha);
    }
  }
  spdlog::info("record and patient risk computed for {} records and {} patients", pool, pool_patients);

  // 3. Aggregate attacks: the conventional single number, for comparison.
  const attacks::SignalView attack_view{phi, context.plan.membership, models, pool};
  const std::vector<attacks::AttackSummary> attack_results =
      attacks::evaluate_attacks(attack_view, options.attacks);

  // 4. Group disparity over the attributes, with the online LiRA scores of each target.
  std::vector<std::uint32_t> references;
  for (std::size_t m = options.attacks.targets; m < models; ++m) references.push_back(static_cast<std::uint32_t>(m));
  std::vector<std::vector<double>> lira_scores;
  for (std::size_t t = 0; t < options.attacks.targets; ++t) {
    lira_scores.push_back(attacks::lira_online(attack_view, t, references, options.attacks.lira));
  }
  GroupAnalysisInputs group_inputs;
  group_inputs.context = &context;
  group_inputs.records = records;
  group_inputs.patients = patients;
  group_inputs.view = &attack_view;
  group_inputs.lira_scores = &lira_scores;
  group_inputs.seed = derive_seed(context.plan.seed, SeedStream::kGroupBootstrap, 0);
  const nlohmann::json groups_json = analyze_groups(group_inputs, options.groups);
  const auto labels = patient_group_labels(group_inputs, options.groups);

  // 5. Output files.
  write_records_csv(context, records);
  write_patients_csv(context, patients);
  write_roc_csv(layout, attack_results);
  std::vector<std::size_t> exposed_pool_patients;
  const nlohmann::json exposed = exposed_patients_json(context, patients, labels, options, exposed_pool_patients);

  const nlohmann::json utility = utility_summary(context, training);
  std::vector<double> record_auc;
  std::vector<double> record_auc_empirical;
  for (const auto& risk : records) {
    record_auc.push_back(risk.auc_binormal);
    record_auc_empirical.push_back(risk.auc_empirical);
  }
  std::vector<double> patient_max;
  std::vector<double> patient_joint;
  for (const auto& risk : patients) {
    patient_max.push_back(risk.max_record_auc);
    patient_joint.push_back(risk.joint_auc_binormal);
  }
  nlohmann::json attack_json = nlohmann::json::array();
  for (const auto& attack : attack_results) {
    nlohmann::json entry = {
        {"name", attack.name},
        {"auc", {{"mean", finite_or_null(attack.auc_mean)}, {"sd", finite_or_null(attack.auc_sd)}}},
        {"tpr_at_fpr_0.001",
         {{"mean", finite_or_null(attack.tpr_at_fpr_0_001_mean)}, {"sd", finite_or_null(attack.tpr_at_fpr_0_001_sd)}}},
        {"tpr_at_fpr_0.01",
         {{"mean", finite_or_null(attack.tpr_at_fpr_0_01_mean)}, {"sd", finite_or_null(attack.tpr_at_fpr_0_01_sd)}}},
        {"per_target_auc", attack.auc}};
    if (std::isfinite(attack.rmia_offline_a)) entry["rmia_offline_a"] = attack.rmia_offline_a;
    attack_json.push_back(entry);
  }

  const double analyze_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json summary = {
      {"tool", "privaudit"},
      {"version", kVersion},
      {"run", dir.string()},
      {"input", context.run_json.at("input")},
      {"config",
       {{"data", context.run_json.at("data")},
        {"plan", context.run_json.at("plan")},
        {"model", training.at("model")},
        {"train", training.at("train")},
        {"analysis",
         {{"attacks", attack_options_to_json(options.attacks)},
          {"tail_thresholds", options.tail_thresholds},
          {"near_certain_auc", options.near_certain_auc},
          {"top_fraction", options.groups.top_fraction},
          {"min_group_patients", options.groups.suppression.min_group_patients},
          {"numeric_bins", options.groups.grouping.numeric_bins},
          {"bootstrap_replicates", options.groups.bootstrap_replicates},
          {"exposed_patients", options.exposed_patients},
          {"pseudonymized_ids", !options.pseudonymize_key_file.empty()},
          {"gallery", options.gallery}}}}},
      {"seeds", {{"plan", context.plan.seed}, {"tail_halves", tail_seed}, {"rmia_population", options.attacks.rmia.seed},
                 {"group_bootstrap", group_inputs.seed}}},
      {"counts", context.run_json.at("counts")},
      {"models", models},
      {"classes", context.run_json.at("classes")},
      {"utility", utility},
      {"privacy", privacy},
      {"training", {{"parameters", training.value("parameters", nlohmann::json(nullptr))},
                    {"model_seconds_total", training.at("model_seconds_total")}}},
      {"record_auc", {{"binormal", distribution(record_auc)}, {"empirical", distribution(record_auc_empirical)}}},
      {"patient_auc", {{"max_record", distribution(patient_max)}, {"joint", distribution(patient_joint)}}},
      {"tails",
       {{"records", tails_to_json(tails.records)},
        {"patients_max", tails_to_json(tails.patients_max)},
        {"patients_joint", tails_to_json(tails.patients_joint)},
        {"half_a_models", tails.half_a},
        {"half_b_models", tails.half_b}}},
      {"attacks", attack_json},
      {"roc", roc_json(attack_results)},
      {"survival", {{"records", survival_json(record_auc)}, {"patients", survival_json(patient_joint)}}},
      {"groups", groups_json},
      {"exposed_patients", exposed},
      {"timing", {{"plan_seconds", context.run_json.value("plan_seconds", 0.0)},
                  {"train_seconds", training.value("wall_seconds", nlohmann::json(nullptr))},
                  {"analyze_seconds", analyze_seconds}}}};
  if (options.gallery) summary["gallery"] = gallery_json(gallery_inputs(context, records), exposed, exposed_pool_patients);
  write_file_atomic(layout.summary_json(), summary.dump(2) + "\n");
  return summary;
}

}  // namespace privaudit::run
