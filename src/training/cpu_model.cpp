#include "training/cpu_model.h"

#include <algorithm>
#include <utility>

namespace privaudit::training {

CpuModel::CpuModel(models::Network network) : network_(std::move(network)) {}

CpuModel::CpuModel(const models::ModelSpec& spec, std::size_t inputs, std::size_t outputs,
                   std::span<const float> parameters)
    : network_(spec, inputs, outputs, parameters) {}

void CpuModel::predict_logits(const float* x, std::size_t n, float* out) const {
  models::Network::Workspace workspace;
  const std::size_t in = network_.inputs();
  const std::size_t k = network_.outputs();
  for (std::size_t start = 0; start < n; start += kPredictBlockRows) {
    const std::size_t rows = std::min(kPredictBlockRows, n - start);
    network_.forward(x + start * in, rows, out + start * k, workspace);
  }
}

}  // namespace privaudit::training
