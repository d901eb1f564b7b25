#include "run/options_json.h"

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::run {

namespace {

template <typename T>
T field(const nlohmann::json& json, const char* name) {
  try {
    return json.at(name).get<T>();
  } catch (const nlohmann::json::exception& error) {
    throw InputError(fmt::format("run configuration field '{}' is missing or invalid ({}); the run "
                                 "folder is damaged or from another version: plan a new run",
                                 name, error.what()));
  }
}

}  // namespace

nlohmann::json data_options_to_json(const data::DataOptions& options) {
  return {{"input", options.input},
          {"label", options.label},
          {"label_map", options.label_map},
          {"multi_label", options.multi_label},
          {"patient_id", options.patient_id},
          {"features", options.features},
          {"exclude", options.exclude},
          {"attributes", options.attributes},
          {"categorical", options.categorical},
          {"numeric", options.numeric},
          {"min_level_count", options.min_level_count},
          {"max_classes", options.max_classes},
          {"media_column", options.media_column}};
}

data::DataOptions data_options_from_json(const nlohmann::json& json) {
  data::DataOptions options;
  options.input = field<std::string>(json, "input");
  options.label = field<std::string>(json, "label");
  options.label_map = field<std::vector<std::string>>(json, "label_map");
  options.multi_label = json.value("multi_label", std::vector<std::string>());
  options.patient_id = field<std::string>(json, "patient_id");
  options.features = field<std::vector<std::string>>(json, "features");
  options.exclude = field<std::vector<std::string>>(json, "exclude");
  options.attributes = field<std::vector<std::string>>(json, "attributes");
  options.categorical = field<std::vector<std::string>>(json, "categorical");
  options.numeric = field<std::vector<std::string>>(json, "numeric");
  options.min_level_count = field<std::size_t>(json, "min_level_count");
  options.max_classes = field<std::size_t>(json, "max_classes");
  // Runs planned before manifests existed have no media column.
  options.media_column = json.value("media_column", std::string());
  return options;
}

nlohmann::json plan_options_to_json(const plan::PlanOptions& options) {
  return {{"models", options.models}, {"test_fraction", options.test_fraction}, {"seed", options.seed}};
}

plan::PlanOptions plan_options_from_json(const nlohmann::json& json) {
  plan::PlanOptions options;
  options.models = field<std::size_t>(json, "models");
  options.test_fraction = field<double>(json, "test_fraction");
  options.seed = field<std::uint64_t>(json, "seed");
  return options;
}

nlohmann::json model_spec_to_json(const models::ModelSpec& spec) {
  return {{"kind", models::to_string(spec.kind)}, {"width", spec.width}, {"depth", spec.depth}};
}

models::ModelSpec model_spec_from_json(const nlohmann::json& json) {
  models::ModelSpec spec;
  spec.kind = models::parse_kind(field<std::string>(json, "kind"));
  spec.width = field<std::size_t>(json, "width");
  spec.depth = field<std::size_t>(json, "depth");
  return spec;
}

}  // namespace privaudit::run
