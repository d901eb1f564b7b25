// Everything a later stage needs from a planned run folder, loaded and cross-checked: the options,
// the dataset re-read from the input CSV (whose SHA-256 must match the one recorded at plan time),
// the feature encoder and the plan.
#pragma once

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "data/data_options.h"
#include "data/dataset.h"
#include "data/encoder.h"
#include "media/media_options.h"
#include "plan/plan.h"
#include "run/run_layout.h"

namespace privaudit::run {

struct RunContext {
  RunLayout layout;
  nlohmann::json run_json;
  data::DataOptions data_options;
  plan::PlanOptions plan_options;
  data::Dataset dataset;
  // The feature encoder of a table audit; nullopt for an ECG or image audit.
  std::optional<data::Encoder> encoder;
  // ECG or image audit: the options the files were read with (modality table otherwise), the
  // shape of one record [channels, height, width] and every record's preprocessed values,
  // [records, channels * height * width], from media.npy.
  media::MediaOptions media;
  std::size_t media_shape[3] = {0, 0, 0};
  std::vector<float> media_values;
  plan::Plan plan;
  // Pool patient of each pool record, [pool records], an index into plan.pool_patients.
  std::vector<std::int32_t> pool_patient_of_record;
};

// Returns the model inputs of every record of the table, [records, width] with width =
// context.encoder->width() for a table or the product of media_shape for media.
std::vector<float> model_inputs(const RunContext& context, std::size_t* width);

// Loads a run folder written by the plan stage. Throws UsageError when the folder is not a planned
// run, and InputError when a file is damaged or the input CSV changed since the plan.
RunContext load_run(const std::filesystem::path& dir);

}  // namespace privaudit::run
