#include "run/run_layout.h"

#include <fmt/format.h>

namespace privaudit::run {

namespace {
std::string model_stem(std::size_t model) { return fmt::format("model_{:04}", model); }
}  // namespace

std::filesystem::path RunLayout::model_json(std::size_t model) const {
  return models_dir() / (model_stem(model) + ".json");
}

std::filesystem::path RunLayout::model_signals(std::size_t model) const {
  return models_dir() / (model_stem(model) + ".signals.npy");
}

std::filesystem::path RunLayout::model_parameters(std::size_t model) const {
  return models_dir() / (model_stem(model) + ".params.npy");
}

}  // namespace privaudit::run
