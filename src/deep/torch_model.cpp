#include "deep/torch_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/error.h"
#include "deep/conv_net.h"
#include "deep/torch_device.h"

namespace privaudit::deep {

struct TorchModel::Network {
  ConvNet net{nullptr};
  c10::Device device{c10::DeviceType::CPU};
};

TorchModel::TorchModel(const ConvSpec& spec, const InputShape& shape, std::size_t outputs,
                       std::span<const float> parameters, const std::string& device)
    : spec_(spec), shape_(shape), outputs_(outputs), device_(device) {
  const std::size_t expected = parameter_count(spec, shape, outputs);
  if (parameters.size() != expected) {
    throw UsageError(fmt::format(
        "cannot load {} parameters into {} for input {}x{}x{} with {} outputs: the network "
        "has {}. Check that the saved model matches the architecture and input shape",
        parameters.size(), to_string(spec), shape.channels, shape.height, shape.width, outputs,
        expected));
  }

  network_ = std::make_unique<Network>();
  network_->device = resolve_device(device);
  network_->net = ConvNet(spec, shape, outputs);
  PRIVAUDIT_CHECK(count_parameters(*network_->net) == expected,
                  fmt::format("{} builds {} parameters but parameter_count gives {}",
                              to_string(spec), count_parameters(*network_->net), expected));
  load_parameters(*network_->net, parameters);
  network_->net->to(network_->device);
  network_->net->eval();
  parameters_.assign(parameters.begin(), parameters.end());
}

TorchModel::~TorchModel() = default;
TorchModel::TorchModel(TorchModel&&) noexcept = default;
TorchModel& TorchModel::operator=(TorchModel&&) noexcept = default;

void TorchModel::predict_logits(const float* x, std::size_t n, float* out) const {
  torch::NoGradGuard no_grad;
  const std::size_t width = inputs();
  for (std::size_t start = 0; start < n; start += kPredictBlockRows) {
    const std::size_t rows = std::min(kPredictBlockRows, n - start);
    // from_blob needs a mutable pointer, but the forward pass only reads its input.
    auto* block = const_cast<float*>(x + start * width);
    const torch::Tensor input =
        torch::from_blob(block, {static_cast<std::int64_t>(rows), static_cast<std::int64_t>(width)},
                         torch::kFloat)
            .to(network_->device);
    const torch::Tensor logits = network_->net->forward(input).to(torch::kCPU).contiguous();
    std::copy_n(logits.data_ptr<float>(), rows * outputs_, out + start * outputs_);
  }
}

}  // namespace privaudit::deep
