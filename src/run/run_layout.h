// File names inside a run folder. One folder contains every stage's output, so a later stage reads
// what an earlier one wrote instead of recomputing it:
//
//   run.json                 plan stage: tool version, data and plan options, input SHA-256, counts
//   encoder.json             plan stage: feature encoding fitted on the audit pool (tables)
//   media.npy                plan stage: float32 [records, channels, height, width], every
//                            manifest file read and preprocessed (ECG and image audits)
//   plan/pool_records.npy    plan stage: int32 [pool records], row index in the input CSV
//   plan/test_records.npy    plan stage: int32 [test records]
//   membership.npy           plan stage: uint8 [models, pool records], 1 = IN
//   train.json               train stage: model architecture and training recipe
//   models/model_NNNN.*      train stage: per model signals, parameters and utility (.json last)
//   signals.npy              train stage: float32 [models, pool records], logit-scaled confidence
//   records.csv, patients.csv, roc.csv, groups.csv, summary.json   analyze stage
//   report.html              report stage: self-contained HTML report
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace privaudit::run {

struct RunLayout {
  std::filesystem::path dir;

  std::filesystem::path run_json() const { return dir / "run.json"; }
  std::filesystem::path encoder_json() const { return dir / "encoder.json"; }
  std::filesystem::path media_npy() const { return dir / "media.npy"; }
  std::filesystem::path pool_records() const { return dir / "plan" / "pool_records.npy"; }
  std::filesystem::path test_records() const { return dir / "plan" / "test_records.npy"; }
  std::filesystem::path membership() const { return dir / "membership.npy"; }
  std::filesystem::path train_json() const { return dir / "train.json"; }
  std::filesystem::path models_dir() const { return dir / "models"; }
  std::filesystem::path model_json(std::size_t model) const;
  std::filesystem::path model_signals(std::size_t model) const;
  std::filesystem::path model_parameters(std::size_t model) const;
  std::filesystem::path signals() const { return dir / "signals.npy"; }
  std::filesystem::path records_csv() const { return dir / "records.csv"; }
  std::filesystem::path patients_csv() const { return dir / "patients.csv"; }
  std::filesystem::path roc_csv() const { return dir / "roc.csv"; }
  std::filesystem::path summary_json() const { return dir / "summary.json"; }
  std::filesystem::path groups_csv() const { return dir / "groups.csv"; }
  std::filesystem::path report_html() const { return dir / "report.html"; }
};

}  // namespace privaudit::run
