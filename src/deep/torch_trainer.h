// LibTorch trainer for the convolutional networks of conv_spec.h, behind the back-end-neutral
// training::Trainer interface. This header needs no torch.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "deep/conv_spec.h"
#include "deep/torch_model.h"
#include "deep/torch_options.h"
#include "training/trainer.h"

namespace privaudit::deep {

// Minibatch training of one convolutional network per call, with the recipe semantics of
// training::CpuTrainer. Each epoch shuffles the training rows. Each batch takes one
// torch::optim::Adam or SGD step, with L2 weight decay added to the gradient, at the learning
// rate of training::scheduled_learning_rate. Balanced class weighting weighs each record's loss
// by training::balanced_class_weights. Two classes train one logit with binary cross-entropy,
// more train a softmax. Each row of TrainingSet::features is one record reshaped to the input
// shape.
//
// Same seed, same model: on the CPU the parameters are bit-identical for a given LibTorch build,
// CPU and intra_op_threads. On CUDA, cuDNN may choose nondeterministic convolution algorithms
// (PyTorch's reproducibility notes), so two CUDA runs, or a CUDA and a CPU run, agree only to
// float tolerance. NOTE: the CUDA path has not run in a test yet, because CudaMatchesCpu skips
// on machines without a GPU.
class TorchTrainer : public training::Trainer {
 public:
  // Sub-streams of the seed passed to train(): initial weights from
  // derive_seed(seed, kInitStream, 0), epoch shuffles from derive_seed(seed, kShuffleStream, 0)
  // and image augmentation from derive_seed(seed, kAugmentStream, 0).
  static constexpr std::uint64_t kInitStream = 0;
  static constexpr std::uint64_t kShuffleStream = 1;
  static constexpr std::uint64_t kAugmentStream = 2;

  // Throws UsageError for an invalid spec, shape or options, a spec that cannot read the shape,
  // augmentation of ECGs (height 1) or with a shift not below the image height and width, and a
  // CUDA device when torch_cuda_available() is false.
  TorchTrainer(ConvSpec spec, InputShape shape, TorchOptions options);

  // Returns a TorchModel on options' device. See training::Trainer::train for the contract.
  // Also throws UsageError when data.width is not shape.size() and for DP-SGD
  // (options.privacy other than kOff), which this back end does not implement.
  training::TrainResult train(const training::TrainingSet& data,
                              const training::TrainOptions& options, std::uint64_t seed,
                              const std::atomic<bool>* stop) override;

  const ConvSpec& spec() const { return spec_; }
  const InputShape& input_shape() const { return shape_; }
  const TorchOptions& torch_options() const { return options_; }

 private:
  ConvSpec spec_;
  InputShape shape_;
  TorchOptions options_;
};

// True when the linked LibTorch has CUDA support and at least one GPU is visible to it.
bool torch_cuda_available();

// Version of the linked LibTorch headers, such as "1.13.0".
std::string torch_version();

}  // namespace privaudit::deep
