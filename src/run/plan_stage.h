// The plan stage: reads and checks the input table, draws the balanced plan, fits the feature
// encoder on the audit pool and writes a new run folder. The folder appears complete or not at
// all: files are written into a temporary folder beside it, which is renamed at the end.
#pragma once

#include <filesystem>

#include "data/data_options.h"
#include "plan/plan.h"

namespace privaudit::run {

// Throws UsageError when `dir` already contains files, InputError for a bad table and IoError when
// the folder cannot be created.
void run_plan_stage(const std::filesystem::path& dir, const data::DataOptions& data_options,
                    const plan::PlanOptions& plan_options);

// True when `dir` contains a run.json from an earlier plan stage.
bool is_planned(const std::filesystem::path& dir);

}  // namespace privaudit::run
