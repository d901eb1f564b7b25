// A trained Network behind the back-end-neutral Model interface.
#pragma once

#include <cstddef>
#include <span>

#include "models/model_spec.h"
#include "models/network.h"
#include "training/trainer.h"

namespace privaudit::training {

class CpuModel : public Model {
 public:
  explicit CpuModel(models::Network network);

  // Rebuilds a model from saved parameters; throws UsageError when their count does not match
  // the spec, inputs and outputs.
  CpuModel(const models::ModelSpec& spec, std::size_t inputs, std::size_t outputs,
           std::span<const float> parameters);

  // Runs the network over blocks of kPredictBlockRows records, each with its own activation
  // buffers, so concurrent calls do not share state.
  void predict_logits(const float* x, std::size_t n, float* out) const override;
  std::size_t inputs() const override { return network_.inputs(); }
  std::size_t outputs() const override { return network_.outputs(); }
  std::span<const float> parameters() const override { return network_.parameters(); }
  const models::ModelSpec& spec() const { return network_.spec(); }

  // Records per forward pass: large enough for efficient sgemm calls, small enough that a
  // width-512 ResNet's activation buffers stay around 10 MB.
  static constexpr std::size_t kPredictBlockRows = 1024;

 private:
  models::Network network_;
};

}  // namespace privaudit::training
