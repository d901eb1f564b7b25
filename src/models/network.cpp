#include "models/network.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.h"
#include "models/layers.h"
#include "core/random.h"

namespace privaudit::models {
namespace {

// Buffer of layer `index` in a stack of [slots, capacity, dim] buffers. With keep_all each layer
// has its own slot. Without it, layers take `ring` slots in turn, so a layer may read the output
// of the `ring - 1` layers before it.
float* slot(std::vector<float>& buffer, std::size_t index, std::size_t ring, bool keep_all,
            std::size_t capacity, std::size_t dim) {
  const std::size_t s = keep_all ? index : index % ring;
  return buffer.data() + s * capacity * dim;
}

void resize_zero(std::vector<float>& buffer, std::size_t size) {
  buffer.assign(size, 0.0f);
}

}  // namespace

Network::Network(const ModelSpec& spec, std::size_t inputs, std::size_t outputs,
                 std::uint64_t seed)
    : spec_(spec), inputs_(inputs), outputs_(outputs) {
  build_layers();
  initialise(seed);
}

Network::Network(const ModelSpec& spec, std::size_t inputs, std::size_t outputs,
                 std::span<const float> parameters)
    : spec_(spec), inputs_(inputs), outputs_(outputs) {
  build_layers();
  if (parameters.size() != parameters_.size()) {
    throw UsageError(fmt::format(
        "cannot build a {} network with {} inputs and {} outputs from {} parameters: it has {}",
        to_string(spec_.kind), inputs_, outputs_, parameters.size(), parameters_.size()));
  }
  std::copy(parameters.begin(), parameters.end(), parameters_.begin());
}

void Network::build_layers() {
  spec_.validate();
  if (inputs_ < 1) {
    throw UsageError("invalid network inputs 0: expected at least one feature");
  }
  if (outputs_ < 1) {
    throw UsageError(
        "invalid network outputs 0: expected 1 for a binary task or the number of classes");
  }

  std::size_t offset = 0;
  const auto add_dense = [&](std::size_t in, std::size_t out) {
    dense_.push_back({in, out, offset, offset + in * out});
    offset += in * out + out;
  };
  const auto add_norm = [&](std::size_t dim) {
    norms_.push_back({dim, offset, offset + dim});
    offset += 2 * dim;
  };

  const std::size_t w = spec_.width;
  switch (spec_.kind) {
    case ModelSpec::Kind::kLogistic:
      add_dense(inputs_, outputs_);
      break;
    case ModelSpec::Kind::kMlp:
      add_dense(inputs_, w);
      for (std::size_t l = 1; l < spec_.depth; ++l) {
        add_dense(w, w);
      }
      add_dense(w, outputs_);
      break;
    case ModelSpec::Kind::kResNet:
      add_dense(inputs_, w);
      for (std::size_t j = 0; j < spec_.depth; ++j) {
        add_norm(w);
        add_dense(w, w);
        add_dense(w, w);
      }
      add_norm(w);
      add_dense(w, outputs_);
      break;
    case ModelSpec::Kind::kCnn:
    case ModelSpec::Kind::kResNet1d:
    case ModelSpec::Kind::kWideResNet:
      throw UsageError(fmt::format(
          "model {} is convolutional: it needs an ECG or image audit (--modality ecg or image), "
          "which trains it with LibTorch",
          to_string(spec_.kind)));
  }
  PRIVAUDIT_CHECK(offset == parameter_count(spec_, inputs_, outputs_),
                  fmt::format("layer layout holds {} parameters, parameter_count() says {}",
                              offset, parameter_count(spec_, inputs_, outputs_)));
  parameters_.assign(offset, 0.0f);
  gradients_.assign(offset, 0.0f);
}

void Network::initialise(std::uint64_t seed) {
  Rng rng(seed);
  // Dense layers come in layout order in dense_, and LayerNorm draws nothing, so the draws follow
  // the parameter layout.
  for (const DenseLayer& d : dense_) {
    const float bound = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d.in)));
    float* begin = parameters_.data() + d.weight;
    float* end = parameters_.data() + d.bias + d.out;
    for (float* p = begin; p != end; ++p) {
      *p = bound * (2.0f * rng.uniform_float() - 1.0f);
    }
  }
  for (const NormLayer& n : norms_) {
    std::fill_n(parameters_.data() + n.gamma, n.dim, 1.0f);
    std::fill_n(parameters_.data() + n.beta, n.dim, 0.0f);
  }
}

void Network::grow(Workspace& ws, std::size_t batch, bool keep_all) const {
  const bool keep = keep_all || ws.keep_all_;
  if (batch <= ws.capacity_ && keep == ws.keep_all_) {
    return;
  }
  const std::size_t cap = std::max(batch, ws.capacity_);
  const std::size_t w = spec_.width;
  const std::size_t hidden_layers = dense_.size() - 1;
  ws.capacity_ = cap;
  ws.keep_all_ = keep;
  resize_zero(ws.logits_, cap * outputs_);

  if (spec_.kind == ModelSpec::Kind::kResNet) {
    const std::size_t blocks = spec_.depth;
    const std::size_t states = keep ? blocks + 1 : 1;
    resize_zero(ws.hidden_, states * cap * w);
    resize_zero(ws.xhat_, states * cap * w);
    resize_zero(ws.rstd_, states * cap);
    resize_zero(ws.normed_, states * cap * w);
    resize_zero(ws.inner_, (keep ? blocks : 1) * cap * w);
    resize_zero(ws.scratch_, cap * w);
  } else if (hidden_layers > 0) {
    resize_zero(ws.hidden_, (keep ? hidden_layers : std::min<std::size_t>(hidden_layers, 2)) *
                                cap * w);
  }
  if (keep && hidden_layers > 0) {
    resize_zero(ws.delta_a_, cap * w);
    resize_zero(ws.delta_b_, cap * w);
    if (spec_.kind == ModelSpec::Kind::kResNet) {
      resize_zero(ws.delta_c_, cap * w);
    }
  }
}

void Network::reserve(std::size_t batch) { grow(workspace_, batch, true); }

void Network::forward(const float* x, std::size_t batch, float* logits) {
  forward(x, batch, logits, workspace_);
}

void Network::forward(const float* x, std::size_t batch, float* logits,
                      Workspace& workspace) const {
  if (batch == 0) {
    return;
  }
  grow(workspace, batch, false);
  forward_pass(x, batch, workspace);
  std::copy_n(workspace.logits_.data(), batch * outputs_, logits);
}

double Network::forward_backward(const float* x, const std::int32_t* y,
                                 const float* sample_weight, std::size_t batch) {
  PRIVAUDIT_CHECK(batch > 0, "forward_backward() needs at least one record");
  grow(workspace_, batch, true);

  // 1. Forward, keeping every layer's activations.
  forward_pass(x, batch, workspace_);

  // 2. Loss. The logits buffer now contains d(loss)/d(logits).
  const double loss =
      logit_loss_backward(workspace_.logits_.data(), y, sample_weight, batch, outputs_);

  // 3. Backward into gradients_, which each layer overwrites.
  if (spec_.kind == ModelSpec::Kind::kResNet) {
    backward_resnet(x, batch);
  } else {
    backward_mlp(x, batch);
  }
  return loss;
}

void Network::forward_pass(const float* x, std::size_t batch, Workspace& ws) const {
  if (spec_.kind == ModelSpec::Kind::kResNet) {
    forward_resnet(x, batch, ws);
  } else {
    forward_mlp(x, batch, ws);
  }
}

void Network::forward_mlp(const float* x, std::size_t batch, Workspace& ws) const {
  const float* p = parameters_.data();
  const std::size_t hidden_layers = dense_.size() - 1;
  const float* input = x;
  for (std::size_t l = 0; l < hidden_layers; ++l) {
    const DenseLayer& d = dense_[l];
    float* h = slot(ws.hidden_, l, 2, ws.keep_all_, ws.capacity_, spec_.width);
    dense_forward(input, batch, d.in, d.out, p + d.weight, p + d.bias, h);
    relu_forward(h, batch * d.out);
    input = h;
  }
  const DenseLayer& o = dense_.back();
  dense_forward(input, batch, o.in, o.out, p + o.weight, p + o.bias, ws.logits_.data());
}

void Network::backward_mlp(const float* x, std::size_t batch) {
  Workspace& ws = workspace_;
  const float* p = parameters_.data();
  float* g = gradients_.data();
  const std::size_t hidden_layers = dense_.size() - 1;
  const std::size_t w = spec_.width;
  const auto hidden = [&](std::size_t l) {
    return slot(ws.hidden_, l, 2, true, ws.capacity_, w);
  };
  float* delta = ws.delta_a_.data();
  float* delta_next = ws.delta_b_.data();

  // 1. Output layer: its input gradient goes to the last hidden layer, if any.
  const DenseLayer& o = dense_.back();
  const float* last_input = hidden_layers > 0 ? hidden(hidden_layers - 1) : x;
  dense_backward(last_input, ws.logits_.data(), batch, o.in, o.out, p + o.weight, g + o.weight,
                 g + o.bias, hidden_layers > 0 ? delta : nullptr);

  // 2. Hidden layers, last to first: through the ReLU, then the Dense layer.
  for (std::size_t l = hidden_layers; l-- > 0;) {
    const DenseLayer& d = dense_[l];
    relu_backward(delta, hidden(l), batch * d.out);
    const float* input = l > 0 ? hidden(l - 1) : x;
    dense_backward(input, delta, batch, d.in, d.out, p + d.weight, g + d.weight, g + d.bias,
                   l > 0 ? delta_next : nullptr);
    std::swap(delta, delta_next);
  }
}

void Network::forward_resnet(const float* x, std::size_t batch, Workspace& ws) const {
  const float* p = parameters_.data();
  const std::size_t w = spec_.width;
  const std::size_t blocks = spec_.depth;
  const std::size_t cap = ws.capacity_;
  const bool keep = ws.keep_all_;
  // Without keep_all every role has one buffer, and the residual add updates h in place.
  const auto stream = [&](std::size_t j) { return slot(ws.hidden_, j, 1, keep, cap, w); };
  const auto xhat = [&](std::size_t j) { return slot(ws.xhat_, j, 1, keep, cap, w); };
  const auto rstd = [&](std::size_t j) { return slot(ws.rstd_, j, 1, keep, cap, 1); };
  const auto normed = [&](std::size_t j) { return slot(ws.normed_, j, 1, keep, cap, w); };
  const auto inner = [&](std::size_t j) { return slot(ws.inner_, j, 1, keep, cap, w); };
  float* block_out = ws.scratch_.data();
  const std::size_t n = batch * w;

  // 1. Input projection.
  const DenseLayer& in = dense_.front();
  dense_forward(x, batch, in.in, in.out, p + in.weight, p + in.bias, stream(0));

  // 2. Residual blocks: h_{j+1} = h_j + Dense2(ReLU(Dense1(LayerNorm(h_j)))).
  for (std::size_t j = 0; j < blocks; ++j) {
    const NormLayer& norm = norms_[j];
    const DenseLayer& d1 = dense_[1 + 2 * j];
    const DenseLayer& d2 = dense_[2 + 2 * j];
    const float* h = stream(j);
    layer_norm_forward(h, batch, w, p + norm.gamma, p + norm.beta, xhat(j), rstd(j), normed(j));
    dense_forward(normed(j), batch, w, w, p + d1.weight, p + d1.bias, inner(j));
    relu_forward(inner(j), n);
    dense_forward(inner(j), batch, w, w, p + d2.weight, p + d2.bias, block_out);
    float* h_next = stream(j + 1);
    for (std::size_t i = 0; i < n; ++i) {
      h_next[i] = h[i] + block_out[i];
    }
  }

  // 3. Head: LayerNorm, ReLU, Dense(width, outputs).
  const NormLayer& final_norm = norms_.back();
  float* head = normed(blocks);
  layer_norm_forward(stream(blocks), batch, w, p + final_norm.gamma, p + final_norm.beta,
                     xhat(blocks), rstd(blocks), head);
  relu_forward(head, n);
  const DenseLayer& o = dense_.back();
  dense_forward(head, batch, o.in, o.out, p + o.weight, p + o.bias, ws.logits_.data());
}

void Network::backward_resnet(const float* x, std::size_t batch) {
  Workspace& ws = workspace_;
  const float* p = parameters_.data();
  float* g = gradients_.data();
  const std::size_t w = spec_.width;
  const std::size_t blocks = spec_.depth;
  const std::size_t cap = ws.capacity_;
  const auto xhat = [&](std::size_t j) { return slot(ws.xhat_, j, 1, true, cap, w); };
  const auto rstd = [&](std::size_t j) { return slot(ws.rstd_, j, 1, true, cap, 1); };
  const auto normed = [&](std::size_t j) { return slot(ws.normed_, j, 1, true, cap, w); };
  const auto inner = [&](std::size_t j) { return slot(ws.inner_, j, 1, true, cap, w); };
  float* d_stream = ws.delta_a_.data();  // d(loss)/d(h_j), [batch, width]
  float* d_tmp = ws.delta_b_.data();
  float* d_normed = ws.delta_c_.data();
  const std::size_t n = batch * w;

  // 1. Head: output Dense, ReLU, final LayerNorm into d(loss)/d(h_blocks).
  const DenseLayer& o = dense_.back();
  const float* head = normed(blocks);
  dense_backward(head, ws.logits_.data(), batch, o.in, o.out, p + o.weight, g + o.weight,
                 g + o.bias, d_tmp);
  relu_backward(d_tmp, head, n);
  std::fill_n(d_stream, n, 0.0f);
  const NormLayer& final_norm = norms_.back();
  layer_norm_backward(d_tmp, xhat(blocks), rstd(blocks), batch, w, p + final_norm.gamma,
                      g + final_norm.gamma, g + final_norm.beta, d_stream);

  // 2. Blocks, last to first. The skip connection passes d_stream through unchanged, and the
  // block's LayerNorm adds its input gradient on top.
  for (std::size_t j = blocks; j-- > 0;) {
    const NormLayer& norm = norms_[j];
    const DenseLayer& d1 = dense_[1 + 2 * j];
    const DenseLayer& d2 = dense_[2 + 2 * j];
    dense_backward(inner(j), d_stream, batch, w, w, p + d2.weight, g + d2.weight, g + d2.bias,
                   d_tmp);
    relu_backward(d_tmp, inner(j), n);
    dense_backward(normed(j), d_tmp, batch, w, w, p + d1.weight, g + d1.weight, g + d1.bias,
                   d_normed);
    layer_norm_backward(d_normed, xhat(j), rstd(j), batch, w, p + norm.gamma, g + norm.gamma,
                        g + norm.beta, d_stream);
  }

  // 3. Input projection, without an input gradient.
  const DenseLayer& in = dense_.front();
  dense_backward(x, d_stream, batch, in.in, in.out, p + in.weight, g + in.weight, g + in.bias,
                 nullptr);
}

}  // namespace privaudit::models
