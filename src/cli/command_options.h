// Every option of the privaudit command line, declared once: the same declarations give the
// --help text, the TOML config keys and the option structs that the stages receive.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "data/data_options.h"
#include "media/media_options.h"
#include "models/model_spec.h"
#include "plan/plan.h"
#include "run/analyze_stage.h"
#include "run/train_stage.h"
#include "training/train_options.h"

namespace privaudit::cli {

// Values as parsed from the command line; enums stay text until resolve() so that an invalid value
// gets our message listing the valid ones.
struct CommandOptions {
  std::string run_dir;
  std::string config;
  std::string log_level = "info";

  data::DataOptions data;
  plan::PlanOptions plan;
  media::MediaOptions media;
  std::string modality = "table";
  std::string npy_layout = "samples-leads";
  std::string image_channels = "auto";
  models::ModelSpec model;
  std::string model_kind = "mlp";
  training::TrainOptions train;
  std::string optimizer = "adam";
  std::string schedule = "cosine";
  std::string class_weighting = "none";
  std::string privacy = "off";
  // Optional numbers stay text so that "not given" differs from every value.
  std::string dp_sampling_rate;
  std::string target_epsilon;
  std::string delta;
  run::ExecutionOptions execution;
  run::AnalysisOptions analysis;
  std::string lira_center = "median";
  std::string lira_variance = "per-record";
  // sweep: model specs, and epsilons as text ("inf" allowed).
  std::vector<std::string> capacities;
  std::vector<std::string> epsilons;

  // Converts the text-valued enums into the option structs. Throws UsageError on a bad value.
  void resolve();
};

// Adds the option groups to a subcommand. Each returns the options it added so that the caller
// can tell whether any of them was given.
std::vector<CLI::Option*> add_run_argument(CLI::App& app, CommandOptions& options);
std::vector<CLI::Option*> add_data_options(CLI::App& app, CommandOptions& options);
std::vector<CLI::Option*> add_plan_options(CLI::App& app, CommandOptions& options);
std::vector<CLI::Option*> add_media_options(CLI::App& app, CommandOptions& options);
std::vector<CLI::Option*> add_recipe_options(CLI::App& app, CommandOptions& options);
std::vector<CLI::Option*> add_execution_options(CLI::App& app, CommandOptions& options);
std::vector<CLI::Option*> add_analysis_options(CLI::App& app, CommandOptions& options);
std::vector<CLI::Option*> add_sweep_options(CLI::App& app, CommandOptions& options);

// Parses --epsilons entries; "inf" means training without DP-SGD. Throws UsageError naming an
// entry that is not a number.
std::vector<double> parse_epsilons(const std::vector<std::string>& texts);

}  // namespace privaudit::cli
