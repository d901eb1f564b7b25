// A tabular network (logistic regression, MLP or ResNet) with a hand-written forward and backward
// pass on OpenBLAS, for training many small models on the CPU, one model per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "models/model_spec.h"

namespace privaudit::models {

// Network built from a ModelSpec for `inputs` features and `outputs` logits. outputs == 1 is a
// binary task (one logit, sigmoid); outputs > 1 is a multiclass task (softmax).
//
// Layers (Dense(in, out) holds W [in, out] row-major and b [out]):
//   logistic: Dense(inputs, outputs).
//   mlp:      [Dense, ReLU] x depth, then Dense(width, outputs).
//   resnet:   the tabular ResNet of Gorishniy, Rubachev, Khrulkov and Babenko (2021), "Revisiting
//             Deep Learning Models for Tabular Data": Dense(inputs, width), then `depth` blocks
//             h = h + Dense(width, width)(ReLU(Dense(width, width)(LayerNorm(h)))), then
//             LayerNorm, ReLU, Dense(width, outputs). That paper uses BatchNorm and dropout; this
//             version uses LayerNorm and no dropout, so a record's logits never depend on the other
//             records in its batch and forward() is deterministic.
//
// All parameters sit in one contiguous float vector, in layer order (for a Dense: W then b; for
// a LayerNorm: gamma then beta), with a gradient vector of the same layout, so an optimizer is one
// loop. Initialisation follows torch.nn.Linear's defaults: W and b ~ U(-1/sqrt(in), 1/sqrt(in)),
// drawn in layout order from xoshiro256**; LayerNorm gamma = 1 and beta = 0.
//
// Not thread-safe: each thread uses its own Network, or the const forward() with its own
// Workspace.
class Network {
 public:
  // Activation buffers of one forward (and backward) pass, grown to the largest batch seen.
  class Workspace {
   public:
    Workspace() = default;

   private:
    friend class Network;
    std::size_t capacity_ = 0;   // rows the buffers hold
    bool keep_all_ = false;      // one buffer per layer (training) or one per role (inference)
    std::vector<float> hidden_;  // MLP: [layers, rows, width]. ResNet: residual stream h_j.
    std::vector<float> xhat_;    // ResNet LayerNorm normalised inputs, [norms, rows, width]
    std::vector<float> rstd_;    // ResNet LayerNorm 1/sqrt(var + eps), [norms, rows]
    std::vector<float> normed_;  // ResNet LayerNorm outputs, [norms, rows, width]
    std::vector<float> inner_;   // ResNet block ReLU outputs, [blocks, rows, width]
    std::vector<float> scratch_;  // ResNet block output before the residual add, [rows, width]
    std::vector<float> logits_;   // [rows, outputs]; the loss gradient overwrites it
    std::vector<float> delta_a_;  // backward pass gradients, [rows, width]
    std::vector<float> delta_b_;
    std::vector<float> delta_c_;
  };

  // Builds the network and initialises its parameters from `seed`. Throws UsageError for an
  // invalid spec or for inputs or outputs of 0.
  Network(const ModelSpec& spec, std::size_t inputs, std::size_t outputs, std::uint64_t seed);

  // Builds the network with the given parameters (for example, loaded from disk). Throws
  // UsageError unless parameters.size() == parameter_count(spec, inputs, outputs).
  Network(const ModelSpec& spec, std::size_t inputs, std::size_t outputs,
          std::span<const float> parameters);

  // Grows the internal buffers to `batch` rows, so that later calls with at most that many rows
  // do not allocate.
  void reserve(std::size_t batch);

  // Computes logits[batch, outputs] for x[batch, inputs], any batch size, using the internal
  // buffers.
  void forward(const float* x, std::size_t batch, float* logits);

  // Same as above with caller-owned buffers, so several threads can share one Network.
  void forward(const float* x, std::size_t batch, float* logits, Workspace& workspace) const;

  // Overwrites gradients() with the gradient of the mean loss over x[batch, inputs] with labels
  // y[batch] and returns that loss. sample_weight[batch] may be null (all 1). See
  // logit_loss_backward() in layers.h for the loss, the weighting and the errors. batch >= 1.
  double forward_backward(const float* x, const std::int32_t* y, const float* sample_weight,
                          std::size_t batch);

  std::span<float> parameters() { return parameters_; }
  std::span<const float> parameters() const { return parameters_; }
  std::span<float> gradients() { return gradients_; }
  std::span<const float> gradients() const { return gradients_; }
  std::size_t inputs() const { return inputs_; }
  std::size_t outputs() const { return outputs_; }
  const ModelSpec& spec() const { return spec_; }

 private:
  // Offsets into parameters_ (and gradients_) of one layer's tensors.
  struct DenseLayer {
    std::size_t in;
    std::size_t out;
    std::size_t weight;  // W [in, out]
    std::size_t bias;    // b [out]
  };
  struct NormLayer {
    std::size_t dim;
    std::size_t gamma;  // [dim]
    std::size_t beta;   // [dim]
  };

  // Lays out the layers and sizes parameters_ and gradients_.
  void build_layers();
  void initialise(std::uint64_t seed);
  void grow(Workspace& workspace, std::size_t batch, bool keep_all) const;

  // Forward pass into workspace.logits_; keep_all keeps every layer's activations for backward.
  void forward_pass(const float* x, std::size_t batch, Workspace& workspace) const;
  void forward_mlp(const float* x, std::size_t batch, Workspace& workspace) const;
  void forward_resnet(const float* x, std::size_t batch, Workspace& workspace) const;
  void backward_mlp(const float* x, std::size_t batch);
  void backward_resnet(const float* x, std::size_t batch);

  ModelSpec spec_;
  std::size_t inputs_;
  std::size_t outputs_;
  std::vector<DenseLayer> dense_;  // in network order; the output layer is last
  std::vector<NormLayer> norms_;   // ResNet: one per block, then the final one
  std::vector<float> parameters_;
  std::vector<float> gradients_;
  Workspace workspace_;
};

}  // namespace privaudit::models
