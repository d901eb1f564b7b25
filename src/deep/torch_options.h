// Settings of the LibTorch back end that are not part of the training recipe: where the model
// runs, how many threads it uses and how training images are augmented.
#pragma once

#include <cstddef>
#include <string>

namespace privaudit::deep {

struct TorchOptions {
  // Upper bound on intra_op_threads, to catch typos.
  static constexpr std::size_t kMaxIntraOpThreads = 1024;

  // LibTorch device: "cpu", "cuda" (the current GPU) or "cuda:N" (GPU N). CUDA needs a LibTorch
  // built with CUDA and a visible GPU, which TorchTrainer checks when it is constructed.
  std::string device = "cpu";
  // Training augmentation of images, in pixels. 0 turns it off. A value s > 0 flips each
  // training image horizontally with probability 1/2 and shifts it by a uniform offset in
  // [-s, s] rows and [-s, s] columns, filling the border by reflection. Must be below the image
  // height and width; rejected for ECGs (height 1). Prediction never augments.
  std::size_t augment_max_shift = 0;
  // Threads that LibTorch uses inside one operation, in [1, kMaxIntraOpThreads]. Keep 1 when
  // several models train in parallel threads. NOTE: TorchTrainer::train calls
  // torch::set_num_threads, a process-wide setting, so trainers in one process should agree.
  std::size_t intra_op_threads = 1;

  // Throws UsageError naming the field, its value and what is expected. Checks only the device's
  // spelling, because TorchTrainer checks its availability.
  void validate() const;
};

}  // namespace privaudit::deep
