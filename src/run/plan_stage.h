// The plan stage: reads and checks the input table, draws the balanced plan, fits the feature
// encoder on the audit pool and writes a new run folder. The folder appears complete or not at
// all: files are written into a temporary folder beside it, which is renamed at the end.
#pragma once

#include <filesystem>

#include "data/data_options.h"
#include "media/media_options.h"
#include "plan/plan.h"

namespace privaudit::run {

// Throws UsageError when `dir` already contains files, InputError for a bad table or manifest
// file and IoError when the folder cannot be created. For an ECG or image manifest
// (media.modality not table) every file is read into media.npy instead of fitting an encoder, so
// a bad file stops the run here, before training.
void run_plan_stage(const std::filesystem::path& dir, const data::DataOptions& data_options,
                    const plan::PlanOptions& plan_options,
                    const media::MediaOptions& media = {});

// True when `dir` contains a run.json from an earlier plan stage.
bool is_planned(const std::filesystem::path& dir);

}  // namespace privaudit::run
