#include "deep/conv_net.h"

#include <fmt/format.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/modules/pooling.h>
#include <torch/utils.h>

#include <cmath>
#include <string>

#include "core/error.h"
#include "core/random.h"

namespace privaudit::deep {
namespace {

namespace nn = torch::nn;

nn::GroupNorm group_norm(std::size_t channels) {
  return nn::GroupNorm(nn::GroupNormOptions(static_cast<std::int64_t>(group_norm_groups(channels)),
                                            static_cast<std::int64_t>(channels)));
}

// Bias-free convolution. Padding kernel / 2 keeps the length for odd kernels at stride 1.
nn::Conv1d conv1d(std::size_t in, std::size_t out, std::int64_t kernel, std::int64_t padding) {
  return nn::Conv1d(nn::Conv1dOptions(static_cast<std::int64_t>(in),
                                      static_cast<std::int64_t>(out), kernel)
                        .padding(padding)
                        .bias(false));
}

nn::Conv2d conv2d(std::size_t in, std::size_t out, std::int64_t kernel, std::int64_t stride,
                  std::int64_t padding) {
  return nn::Conv2d(nn::Conv2dOptions(static_cast<std::int64_t>(in),
                                      static_cast<std::int64_t>(out), kernel)
                        .stride(stride)
                        .padding(padding)
                        .bias(false));
}

// One residual block of the ResNet baseline of Wang, Yan and Oates 2017 (layout in conv_spec.h).
class ResidualBlock1dImpl : public nn::Module {
 public:
  ResidualBlock1dImpl(std::size_t in, std::size_t out)
      // Kernel 8 cannot pad symmetrically: forward() pads 3 left and 4 right before conv8_.
      : conv8_(register_module("conv8", conv1d(in, out, 8, 0))),
        norm8_(register_module("norm8", group_norm(out))),
        conv5_(register_module("conv5", conv1d(out, out, 5, 2))),
        norm5_(register_module("norm5", group_norm(out))),
        conv3_(register_module("conv3", conv1d(out, out, 3, 1))),
        norm3_(register_module("norm3", group_norm(out))) {
    if (in != out) {
      projection_ = register_module("projection", conv1d(in, out, 1, 0));
      projection_norm_ = register_module("projection_norm", group_norm(out));
    }
  }

  torch::Tensor forward(torch::Tensor x) {
    torch::Tensor y = torch::relu(norm8_(conv8_(torch::constant_pad_nd(x, {3, 4}, 0))));
    y = torch::relu(norm5_(conv5_(y)));
    y = norm3_(conv3_(y));
    const torch::Tensor shortcut = projection_ ? projection_norm_(projection_(x)) : x;
    return torch::relu(y + shortcut);
  }

 private:
  nn::Conv1d conv8_;
  nn::GroupNorm norm8_;
  nn::Conv1d conv5_;
  nn::GroupNorm norm5_;
  nn::Conv1d conv3_;
  nn::GroupNorm norm3_;
  nn::Conv1d projection_{nullptr};
  nn::GroupNorm projection_norm_{nullptr};
};
TORCH_MODULE(ResidualBlock1d);

// One pre-activation basic block of a wide ResNet (Zagoruyko and Komodakis 2016).
class WideBlockImpl : public nn::Module {
 public:
  WideBlockImpl(std::size_t in, std::size_t out, std::int64_t stride)
      : norm1_(register_module("norm1", group_norm(in))),
        conv1_(register_module("conv1", conv2d(in, out, 3, stride, 1))),
        norm2_(register_module("norm2", group_norm(out))),
        conv2_(register_module("conv2", conv2d(out, out, 3, 1, 1))) {
    // Channels double at every stride-2 block, so a projection is needed exactly when the
    // channel count changes.
    if (in != out) {
      shortcut_ = register_module("shortcut", conv2d(in, out, 1, stride, 0));
    } else {
      PRIVAUDIT_CHECK(stride == 1, "wide ResNet block with stride 2 and no channel change");
    }
  }

  torch::Tensor forward(torch::Tensor x) {
    const torch::Tensor activated = torch::relu(norm1_(x));
    torch::Tensor y = conv1_(activated);
    y = conv2_(torch::relu(norm2_(y)));
    return y + (shortcut_ ? shortcut_(activated) : x);
  }

 private:
  nn::GroupNorm norm1_;
  nn::Conv2d conv1_;
  nn::GroupNorm norm2_;
  nn::Conv2d conv2_;
  nn::Conv2d shortcut_{nullptr};
};
TORCH_MODULE(WideBlock);

// Appends the SmallCnn body and returns its output channels.
std::size_t build_small_cnn(nn::Sequential& body, const InputShape& shape, bool one_dimensional) {
  const std::size_t widths[] = {32, 64};
  std::size_t in = shape.channels;
  for (const std::size_t out : widths) {
    if (one_dimensional) {
      body->push_back(conv1d(in, out, 7, 3));
    } else {
      body->push_back(conv2d(in, out, 3, 1, 1));
    }
    body->push_back(group_norm(out));
    body->push_back(nn::ReLU());
    if (one_dimensional) {
      body->push_back(nn::MaxPool1d(nn::MaxPool1dOptions(2)));
    } else {
      body->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    }
    in = out;
  }
  return in;
}

std::size_t build_resnet1d(nn::Sequential& body, const ConvSpec& spec, const InputShape& shape) {
  std::size_t in = shape.channels;
  for (std::size_t block = 0; block < spec.depth; ++block) {
    const std::size_t out = block == 0 ? 64 : 128;
    body->push_back(ResidualBlock1d(in, out));
    in = out;
  }
  return in;
}

std::size_t build_wide_resnet(nn::Sequential& body, const ConvSpec& spec,
                              const InputShape& shape) {
  const std::size_t blocks_per_group = (spec.depth - 4) / 6;
  body->push_back(conv2d(shape.channels, 16, 3, 1, 1));
  std::size_t in = 16;
  for (std::size_t group = 0; group < 3; ++group) {
    const std::size_t out = (std::size_t{16} << group) * spec.widen;
    for (std::size_t block = 0; block < blocks_per_group; ++block) {
      const std::int64_t stride = group > 0 && block == 0 ? 2 : 1;
      body->push_back(WideBlock(in, out, stride));
      in = out;
    }
  }
  body->push_back(group_norm(in));
  body->push_back(nn::ReLU());
  return in;
}

// Fills `tensor` with values uniform in [-bound, bound] drawn in row-major order.
void fill_uniform(torch::Tensor& tensor, double bound, Rng& rng) {
  std::vector<float> values(static_cast<std::size_t>(tensor.numel()));
  for (float& value : values) {
    value = static_cast<float>(bound * (2.0 * rng.uniform() - 1.0));
  }
  tensor.copy_(torch::from_blob(values.data(), tensor.sizes(), torch::kFloat));
}

void initialize_convolution(torch::Tensor& weight, Rng& rng) {
  // weight: [out, in, kernel...], so fan_out = out * kernel positions = numel / in.
  const double fan_out = static_cast<double>(weight.numel() / weight.size(1));
  fill_uniform(weight, std::sqrt(6.0 / fan_out), rng);
}

}  // namespace

ConvNetImpl::ConvNetImpl(const ConvSpec& spec, const InputShape& shape, std::size_t outputs)
    : shape_(shape) {
  // Validates the spec, the shape and outputs.
  static_cast<void>(parameter_count(spec, shape, outputs));
  one_dimensional_ = spec.kind == ConvSpec::Kind::kResNet1d ||
                     (spec.kind == ConvSpec::Kind::kSmallCnn && shape.height == 1);

  nn::Sequential body;
  std::size_t features = 0;
  switch (spec.kind) {
    case ConvSpec::Kind::kSmallCnn:
      features = build_small_cnn(body, shape, one_dimensional_);
      break;
    case ConvSpec::Kind::kResNet1d:
      features = build_resnet1d(body, spec, shape);
      break;
    case ConvSpec::Kind::kWideResNet:
      features = build_wide_resnet(body, spec, shape);
      break;
  }
  body_ = register_module("body", body);
  head_ = register_module("head", nn::Linear(static_cast<std::int64_t>(features),
                                             static_cast<std::int64_t>(outputs)));
}

torch::Tensor ConvNetImpl::forward(const torch::Tensor& records) {
  const std::int64_t batch = records.size(0);
  const auto channels = static_cast<std::int64_t>(shape_.channels);
  const auto height = static_cast<std::int64_t>(shape_.height);
  const auto width = static_cast<std::int64_t>(shape_.width);
  torch::Tensor x = one_dimensional_ ? records.reshape({batch, channels, width})
                                     : records.reshape({batch, channels, height, width});
  x = body_->forward(x);

  // Global average pooling over the length (1-D) or both spatial axes (2-D).
  x = one_dimensional_ ? x.mean({2}) : x.mean({2, 3});
  return head_(x);
}

void initialize_parameters(ConvNetImpl& net, std::uint64_t seed) {
  torch::NoGradGuard no_grad;
  Rng rng(seed);
  for (const std::shared_ptr<nn::Module>& module : net.modules(/*include_self=*/false)) {
    if (auto* conv = module->as<nn::Conv1d>()) {
      initialize_convolution(conv->weight, rng);
    } else if (auto* conv2 = module->as<nn::Conv2d>()) {
      initialize_convolution(conv2->weight, rng);
    } else if (auto* norm = module->as<nn::GroupNorm>()) {
      norm->weight.fill_(1.0);
      norm->bias.zero_();
    } else if (auto* linear = module->as<nn::Linear>()) {
      fill_uniform(linear->weight, 1.0 / std::sqrt(static_cast<double>(linear->weight.size(1))),
                   rng);
      linear->bias.zero_();
    }
  }
}

std::size_t count_parameters(const ConvNetImpl& net) {
  std::size_t count = 0;
  for (const torch::Tensor& parameter : net.parameters()) {
    count += static_cast<std::size_t>(parameter.numel());
  }
  return count;
}

std::vector<float> copy_parameters(const ConvNetImpl& net) {
  std::vector<float> values;
  values.reserve(count_parameters(net));
  for (const torch::Tensor& parameter : net.parameters()) {
    const torch::Tensor host = parameter.detach().to(torch::kCPU).contiguous();
    const float* data = host.data_ptr<float>();
    values.insert(values.end(), data, data + host.numel());
  }
  return values;
}

void load_parameters(ConvNetImpl& net, std::span<const float> values) {
  PRIVAUDIT_CHECK(values.size() == count_parameters(net),
                  fmt::format("{} parameter values for a network of {}", values.size(),
                              count_parameters(net)));
  torch::NoGradGuard no_grad;
  std::size_t offset = 0;
  for (torch::Tensor& parameter : net.parameters()) {
    // from_blob needs a mutable pointer, but copy_ only reads the source.
    auto* source = const_cast<float*>(values.data() + offset);
    parameter.copy_(torch::from_blob(source, parameter.sizes(), torch::kFloat));
    offset += static_cast<std::size_t>(parameter.numel());
  }
}

}  // namespace privaudit::deep
