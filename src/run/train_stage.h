// The train stage: trains every model of the plan on its half of the pool, scores every pool
// record with it and saves each model's outputs atomically. Interrupted runs resume: models whose
// files are complete are kept and only the rest are trained.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "models/model_spec.h"
#include "training/train_options.h"

namespace privaudit::run {

struct ExecutionOptions {
  // Models trained at the same time, one per thread. 0 = one per hardware thread.
  std::size_t threads = 0;
  // --device for convolutional models: "cpu", "cuda" or "cuda:N" (LibTorch built with CUDA).
  // Tabular models always train on the CPU.
  std::string device = "cpu";

  void validate() const;
  // The thread count to use: `threads`, or the hardware thread count when 0.
  std::size_t resolved_threads() const;
};

// The training recipe recorded in train.json.
struct Recipe {
  models::ModelSpec model;
  training::TrainOptions train;
};

// Trains the missing models of a planned run and writes signals.npy. `recipe` nullopt means: the
// recipe recorded by an earlier train stage, or the defaults when there is none. A recipe that
// differs from the recorded one is a UsageError. `stop` (may be null) interrupts between batches;
// finished models stay saved and Interrupted is thrown.
void run_train_stage(const std::filesystem::path& dir, const std::optional<Recipe>& recipe,
                     const ExecutionOptions& execution, const std::atomic<bool>* stop);

}  // namespace privaudit::run
