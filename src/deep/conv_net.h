// Internal to src/deep: includes LibTorch. Include it only from src/deep .cpp files, so that the
// module's public headers stay free of torch.
//
// The LibTorch modules of the architectures that conv_spec.h describes.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "deep/conv_spec.h"

namespace privaudit::deep {

// One network of conv_spec.h. Parameters are registered in forward order, each layer's weight
// before its bias (GroupNorm: scale before shift). This order is the flat parameter layout of
// TorchModel::parameters().
class ConvNetImpl : public torch::nn::Module {
 public:
  // Builds the layers with LibTorch's default initialisation; call initialize_parameters or
  // load_parameters next. Throws UsageError when the spec cannot read `shape` or outputs == 0.
  ConvNetImpl(const ConvSpec& spec, const InputShape& shape, std::size_t outputs);

  // Logits [batch, outputs] of flat records [batch, channels * height * width].
  torch::Tensor forward(const torch::Tensor& records);

 private:
  InputShape shape_;
  bool one_dimensional_ = false;  // reads records as [channels, width] (Conv1d layers)
  torch::nn::Sequential body_{nullptr};
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(ConvNet);

// Draws every parameter from Rng(seed) in registration order: convolution weights uniform with
// variance 2 / fan_out (He et al. 2015, fan_out = output channels * kernel positions), GroupNorm
// scale 1 and shift 0, linear weights uniform in [-1/sqrt(inputs), 1/sqrt(inputs)] (torch's
// default) and linear biases 0. The draws come from privaudit's generator, not torch's, so the
// same seed gives the same initial network on any device and in any thread.
void initialize_parameters(ConvNetImpl& net, std::uint64_t seed);

// Total number of parameter values.
std::size_t count_parameters(const ConvNetImpl& net);

// Copies all parameters, in registration order, into one float vector on the host.
std::vector<float> copy_parameters(const ConvNetImpl& net);

// Overwrites all parameters from `values` in registration order. Requires values.size() ==
// count_parameters(net).
void load_parameters(ConvNetImpl& net, std::span<const float> values);

}  // namespace privaudit::deep
