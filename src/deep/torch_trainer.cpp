#include "deep/torch_trainer.h"

#include <fmt/format.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/random.h"
#include "deep/conv_net.h"
#include "deep/image_augment.h"
#include "deep/torch_device.h"
#include "training/cpu_trainer.h"
#include "training/lr_schedule.h"

namespace privaudit::deep {
namespace {

using training::TrainOptions;

// torch.optim's Adam and SGD add weight_decay * parameter to the gradient before the update,
// the L2 semantics that TrainOptions documents.
std::unique_ptr<torch::optim::Optimizer> make_torch_optimizer(
    std::vector<torch::Tensor> parameters, const TrainOptions& options) {
  switch (options.optimizer) {
    case TrainOptions::Optimizer::kAdam:
      return std::make_unique<torch::optim::Adam>(
          std::move(parameters), torch::optim::AdamOptions(options.learning_rate)
                                     .betas({options.adam_beta1, options.adam_beta2})
                                     .eps(options.adam_eps)
                                     .weight_decay(options.weight_decay));
    case TrainOptions::Optimizer::kSgd:
      return std::make_unique<torch::optim::SGD>(
          std::move(parameters), torch::optim::SGDOptions(options.learning_rate)
                                     .momentum(options.momentum)
                                     .dampening(0.0)
                                     .nesterov(false)
                                     .weight_decay(options.weight_decay));
  }
  throw InternalError(fmt::format("unknown optimizer {}", static_cast<int>(options.optimizer)));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (torch::optim::OptimizerParamGroup& group : optimizer.param_groups()) {
    group.options().set_lr(lr);
  }
}

// Loss of each record, [batch], from logits [batch, outputs] and class labels [batch] (int64).
// One output: binary cross-entropy with logits, max(z, 0) - z y + log(1 + exp(-|z|)), which
// stays finite for large |z|. More outputs: softmax cross-entropy.
// Multi-label loss of each record, [batch]: the mean over labels of the binary cross-entropy
// with logits of each label against the multi-hot targets [batch, outputs].
torch::Tensor multi_label_losses(const torch::Tensor& logits, const torch::Tensor& targets) {
  return (torch::clamp_min(logits, 0) - logits * targets + torch::log1p(torch::exp(-logits.abs())))
      .mean(1);
}

torch::Tensor record_losses(const torch::Tensor& logits, const torch::Tensor& labels) {
  if (logits.size(1) == 1) {
    const torch::Tensor z = logits.squeeze(1);
    const torch::Tensor y = labels.to(z.scalar_type());
    return torch::clamp_min(z, 0) - z * y + torch::log1p(torch::exp(-z.abs()));
  }
  return -torch::log_softmax(logits, 1).gather(1, labels.unsqueeze(1)).squeeze(1);
}

// Throws InputError for a non-finite parameter and adds the "diverged" warning of
// training::Trainer::train when the last epoch's loss is far above chance level.
void check_trained_parameters(const std::vector<float>& parameters, std::size_t classes,
                              std::uint64_t seed, training::TrainResult& result) {
  for (const float p : parameters) {
    if (!std::isfinite(p)) {
      throw InputError(fmt::format(
          "training with seed {} diverged: a parameter is {} after the last epoch. Lower the "
          "learning rate",
          seed, p));
    }
  }

  const double chance_loss = std::log(static_cast<double>(classes));
  const double final_loss = result.epoch_loss.back();
  if (final_loss > training::kDivergedLossFactor * chance_loss) {
    result.warnings.push_back(fmt::format(
        "training with seed {} diverged: final epoch loss {:.3g} is far above chance level "
        "{:.2f} (the loss of predicting all {} classes as equally likely). Lower --lr",
        seed, final_loss, chance_loss, classes));
  }
}

}  // namespace

TorchTrainer::TorchTrainer(ConvSpec spec, InputShape shape, TorchOptions options)
    : spec_(spec), shape_(shape), options_(std::move(options)) {
  validate_input_shape(spec_, shape_);
  options_.validate();

  const std::size_t shift = options_.augment_max_shift;
  if (shift > 0 && shape_.height == 1) {
    throw UsageError(fmt::format(
        "invalid augment_max_shift {}: flips and shifts apply to images, but the input is an "
        "ECG (height 1, {} samples). Set augment_max_shift to 0",
        shift, shape_.width));
  }
  if (shift > 0 && (shift >= shape_.height || shift >= shape_.width)) {
    throw UsageError(fmt::format(
        "invalid augment_max_shift {}: expected a shift below the image height {} and width {}, "
        "such as 4 for 32x32 images",
        shift, shape_.height, shape_.width));
  }

  static_cast<void>(resolve_device(options_.device));
}

training::TrainResult TorchTrainer::train(const training::TrainingSet& data,
                                          const TrainOptions& options, std::uint64_t seed,
                                          const std::atomic<bool>* stop) {
  options.validate();
  training::validate_training_set(data);
  if (data.width != shape_.size()) {
    throw UsageError(fmt::format(
        "training set has {} features per record, but input shape {}x{}x{} (channels x height "
        "x width) needs {}. Check the input shape against the data",
        data.width, shape_.channels, shape_.height, shape_.width, shape_.size()));
  }
  if (options.privacy != TrainOptions::Privacy::kOff) {
    throw UsageError(fmt::format(
        "--dp {} is not available for convolutional models: the LibTorch back end has no "
        "DP-SGD. Use --dp off, or a tabular model",
        training::to_string(options.privacy)));
  }
  const c10::Device device = resolve_device(options_.device);
  torch::set_num_threads(static_cast<int>(options_.intra_op_threads));

  // 1. Build the network, optimizer and class weights. A multi-label task has one sigmoid output
  //    per label, even for two labels.
  const bool multi_label = data.targets != nullptr;
  const std::size_t outputs = multi_label || data.classes != 2 ? data.classes : 1;
  const std::size_t width = data.width;
  ConvNet net(spec_, shape_, outputs);
  initialize_parameters(*net, derive_seed(seed, kInitStream, 0));
  net->to(device);
  net->train();
  const std::unique_ptr<torch::optim::Optimizer> optimizer =
      make_torch_optimizer(net->parameters(), options);
  const bool weighted = options.class_weighting == TrainOptions::ClassWeighting::kBalanced;
  if (weighted && multi_label) {
    throw UsageError(
        "--class-weighting balanced does not apply to multi-label tasks: use --class-weighting "
        "none");
  }
  const std::vector<float> class_weight =
      weighted ? training::balanced_class_weights(data) : std::vector<float>{};

  // 2. Allocate the host buffers of the batch loop.
  const std::size_t n = data.rows.size();
  const std::size_t batch_size = std::min(options.batch_size, n);
  const std::size_t steps_per_epoch = (n + batch_size - 1) / batch_size;
  const std::size_t total_steps = options.epochs * steps_per_epoch;
  const std::size_t warmup_steps = std::min(
      total_steps, static_cast<std::size_t>(std::llround(
                       options.warmup_epochs * static_cast<double>(steps_per_epoch))));
  std::vector<std::uint32_t> order(data.rows.begin(), data.rows.end());
  std::vector<float> batch_x(batch_size * width);
  std::vector<std::int64_t> batch_y(batch_size);
  std::vector<float> batch_t(multi_label ? batch_size * data.classes : 0);
  std::vector<float> batch_w(batch_size);
  Rng shuffle_rng(derive_seed(seed, kShuffleStream, 0));
  Rng augment_rng(derive_seed(seed, kAugmentStream, 0));
  training::TrainResult result;
  result.epoch_loss.reserve(options.epochs);

  // 3. Epochs of shuffled minibatches.
  std::size_t step = 0;
  for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) {
    // Fisher-Yates shuffle of the previous epoch's order, as CpuTrainer draws it.
    for (std::size_t i = n - 1; i > 0; --i) {
      std::swap(order[i], order[shuffle_rng.below(i + 1)]);
    }

    // Summed on the device so that the batch loop does not wait for each loss.
    torch::Tensor loss_sum = torch::zeros({}, torch::TensorOptions(torch::kDouble).device(device));
    double weight_sum = 0.0;
    for (std::size_t b = 0; b < steps_per_epoch; ++b) {
      if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
        throw Interrupted(fmt::format(
            "training with seed {} interrupted at epoch {} of {}, batch {} of {}", seed,
            epoch + 1, options.epochs, b + 1, steps_per_epoch));
      }

      // Gather the batch's records, labels and weights into the host buffers.
      const std::size_t start = b * batch_size;
      const std::size_t rows = std::min(batch_size, n - start);
      double batch_weight = 0.0;
      for (std::size_t i = 0; i < rows; ++i) {
        const std::uint32_t row = order[start + i];
        std::copy_n(data.features + static_cast<std::size_t>(row) * width, width,
                    batch_x.data() + i * width);
        batch_y[i] = data.labels[row];
        if (multi_label) {
          std::copy_n(data.targets + static_cast<std::size_t>(row) * data.classes, data.classes,
                      batch_t.data() + i * data.classes);
        }
        batch_w[i] = weighted ? class_weight[static_cast<std::size_t>(batch_y[i])] : 1.0f;
        batch_weight += batch_w[i];
      }
      if (options_.augment_max_shift > 0) {
        augment_images(std::span<float>(batch_x.data(), rows * width), shape_,
                       options_.augment_max_shift, augment_rng);
      }

      // On the CPU, from_blob(...).to(device) aliases the host buffers, which stay untouched
      // until the step below has finished.
      const auto batch_rows = static_cast<std::int64_t>(rows);
      const torch::Tensor x =
          torch::from_blob(batch_x.data(), {batch_rows, static_cast<std::int64_t>(width)},
                           torch::kFloat)
              .to(device);
      const torch::Tensor y = torch::from_blob(batch_y.data(), {batch_rows}, torch::kLong).to(device);
      const torch::Tensor w = torch::from_blob(batch_w.data(), {batch_rows}, torch::kFloat).to(device);

      // Weighted mean loss sum_i w_i l_i / sum_i w_i, as CpuTrainer and
      // torch.nn.CrossEntropyLoss with class weights normalise it.
      const torch::Tensor logits = net->forward(x);
      const torch::Tensor losses =
          multi_label
              ? multi_label_losses(
                    logits, torch::from_blob(batch_t.data(),
                                             {batch_rows, static_cast<std::int64_t>(data.classes)},
                                             torch::kFloat)
                                .to(device))
              : record_losses(logits, y);
      const torch::Tensor loss = (losses * w).sum() / batch_weight;
      const double lr = training::scheduled_learning_rate(options.learning_rate, options.schedule,
                                                          step, total_steps, warmup_steps);
      set_learning_rate(*optimizer, lr);
      optimizer->zero_grad();
      loss.backward();
      optimizer->step();

      loss_sum += loss.detach().to(torch::kDouble) * batch_weight;
      weight_sum += batch_weight;
      ++step;
    }

    const double epoch_loss = loss_sum.item<double>() / weight_sum;
    if (!std::isfinite(epoch_loss)) {
      throw InputError(fmt::format(
          "training with seed {} diverged: the mean loss of epoch {} is {}. Lower the learning "
          "rate or check the features for very large values",
          seed, epoch + 1, epoch_loss));
    }
    result.epoch_loss.push_back(epoch_loss);
  }

  // 4. Check the parameters and hand them to a TorchModel on the same device.
  const std::vector<float> parameters = copy_parameters(*net);
  // A multi-label task's chance-level loss is that of one binary label, ln 2.
  check_trained_parameters(parameters, multi_label ? 2 : data.classes, seed, result);
  result.model =
      std::make_unique<TorchModel>(spec_, shape_, outputs, parameters, options_.device);
  return result;
}

}  // namespace privaudit::deep
