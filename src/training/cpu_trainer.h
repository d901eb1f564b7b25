// Single-threaded trainer for tabular networks on OpenBLAS: one model per call, meant to run one
// model per thread with OpenBLAS pinned to one thread (models::pin_blas_threads(1)).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "models/model_spec.h"
#include "models/network.h"
#include "training/trainer.h"

namespace privaudit::training {

// Minibatch training of a models::Network. Each epoch shuffles the training rows, and each batch
// is gathered into a contiguous buffer, run through forward_backward, and followed by an optimizer
// step at the scheduled learning rate. Buffers are allocated before the first batch, so the batch
// loop does not allocate. The same seed gives bit-identical parameters for a given OpenBLAS
// build and CPU kernel.
class CpuTrainer : public Trainer {
 public:
  // Sub-streams of the seed passed to train(): the network's initial weights come from
  // derive_seed(seed, kInitStream), the epoch shuffles from derive_seed(seed, kShuffleStream).
  static constexpr std::uint64_t kInitStream = 0;
  static constexpr std::uint64_t kShuffleStream = 1;
  // DP-SGD only: Poisson sampling of units from derive_seed(seed, kSamplingStream), gradient
  // noise from derive_seed(seed, kNoiseStream).
  static constexpr std::uint64_t kSamplingStream = 2;
  static constexpr std::uint64_t kNoiseStream = 3;

  // Throws UsageError for an invalid spec.
  explicit CpuTrainer(const models::ModelSpec& spec);

  // Returns a CpuModel. See Trainer::train for the contract. With options.privacy set, trains by
  // DP-SGD (see train_private). An unset options.dp_sampling_rate means min(1, batch_size / units
  // in the training rows). The caller must already have turned dp_target_epsilon into dp_noise
  // (UsageError otherwise), because calibration needs the whole run's step count and delta.
  TrainResult train(const TrainingSet& data, const TrainOptions& options, std::uint64_t seed,
                    const std::atomic<bool>* stop) override;

 private:
  // Minibatch training without privacy.
  TrainResult train_plain(const TrainingSet& data, const TrainOptions& options,
                          std::uint64_t seed, const std::atomic<bool>* stop);
  // Trains by DP-SGD for epochs * dp_steps_per_epoch(q) steps. Each step Poisson-samples units
  // with rate q and takes their clipped gradient sum (clipped_gradient_sum). It then adds
  // N(0, (sigma C)^2) to every coordinate, divides by the expected units q * units and takes an
  // optimizer step at the scheduled learning rate. Logistic and MLP networks only.
  TrainResult train_private(const TrainingSet& data, const TrainOptions& options,
                            std::uint64_t seed, const std::atomic<bool>* stop);

  models::ModelSpec spec_;
};

// Final checks shared by both training paths: throws InputError for a non-finite parameter and
// adds the "diverged" warning of Trainer::train to result when the last epoch's loss is far above
// chance level. result.epoch_loss must not be empty.
void check_trained_network(const models::Network& network, std::size_t classes,
                           std::uint64_t seed, TrainResult& result);

// Throws UsageError when the TrainingSet is inconsistent (null pointers, width 0, fewer than 2
// classes, no rows, a row index >= table_rows) and InputError for a training row with a NaN or
// infinite feature or a label outside [0, classes).
void validate_training_set(const TrainingSet& data);

// Per-class weights [classes] for balanced class weighting: N / (classes * n_c), with N the
// training rows and n_c those of class c (as sklearn's compute_class_weight("balanced")). A class
// absent from the training rows gets weight 0, which no record uses.
std::vector<float> balanced_class_weights(const TrainingSet& data);

}  // namespace privaudit::training
