// A trained convolutional network behind the back-end-neutral training::Model interface. The
// LibTorch network sits behind a pointer to an incomplete type, so this header needs no torch.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "deep/conv_spec.h"
#include "training/trainer.h"

namespace privaudit::deep {

class TorchModel : public training::Model {
 public:
  // Records per forward pass of predict_logits. One layer output of WRN-28-10 on 128 images of
  // 32x32 pixels is 128 x 160 channels x 32 x 32 floats, about 84 MB.
  static constexpr std::size_t kPredictBlockRows = 128;

  // Builds the network of `spec` for `shape` and `outputs` logits on `device` ("cpu", "cuda" or
  // "cuda:N") and loads `parameters` in the flat order of parameters(). Throws UsageError for an
  // invalid spec, shape or device, and when parameters.size() != parameter_count(spec, shape,
  // outputs).
  TorchModel(const ConvSpec& spec, const InputShape& shape, std::size_t outputs,
             std::span<const float> parameters, const std::string& device = "cpu");
  ~TorchModel() override;
  TorchModel(TorchModel&&) noexcept;
  TorchModel& operator=(TorchModel&&) noexcept;

  // Writes out[n, outputs()] for flat records x[n, inputs()] ([channels, height, width]
  // row-major each). Runs in evaluation mode without gradients, kPredictBlockRows records at a
  // time, so the logits of a record do not depend on n. Safe to call from several threads.
  void predict_logits(const float* x, std::size_t n, float* out) const override;

  // channels * height * width.
  std::size_t inputs() const override { return shape_.size(); }
  std::size_t outputs() const override { return outputs_; }
  // Host copy of all parameters: layers in forward order, each layer's weight before its bias
  // (GroupNorm: scale before shift), each tensor row-major.
  std::span<const float> parameters() const override { return parameters_; }

  const ConvSpec& spec() const { return spec_; }
  const InputShape& input_shape() const { return shape_; }
  const std::string& device() const { return device_; }

 private:
  struct Network;  // the LibTorch module and its device, defined in torch_model.cpp

  ConvSpec spec_;
  InputShape shape_;
  std::size_t outputs_ = 0;
  std::string device_;
  std::vector<float> parameters_;
  std::unique_ptr<Network> network_;
};

}  // namespace privaudit::deep
