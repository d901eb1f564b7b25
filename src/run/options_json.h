// JSON form of the options recorded in a run folder, so that every later stage and every reader
// of summary.json gets the full resolved configuration.
#pragma once

#include <nlohmann/json.hpp>

#include "data/data_options.h"
#include "models/model_spec.h"
#include "plan/plan.h"

namespace privaudit::run {

nlohmann::json data_options_to_json(const data::DataOptions& options);
// Throws InputError when a field is missing or has the wrong type.
data::DataOptions data_options_from_json(const nlohmann::json& json);

nlohmann::json plan_options_to_json(const plan::PlanOptions& options);
plan::PlanOptions plan_options_from_json(const nlohmann::json& json);

nlohmann::json model_spec_to_json(const models::ModelSpec& spec);
models::ModelSpec model_spec_from_json(const nlohmann::json& json);

}  // namespace privaudit::run
