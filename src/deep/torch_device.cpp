#include "deep/torch_device.h"

#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "core/error.h"
#include "deep/torch_options.h"
#include "deep/torch_trainer.h"

namespace privaudit::deep {

bool torch_cuda_available() { return torch::cuda::is_available(); }

std::string torch_version() { return TORCH_VERSION; }

c10::Device resolve_device(const std::string& device) {
  TorchOptions options;
  options.device = device;
  options.validate();
  if (device == "cpu") {
    return c10::Device(c10::DeviceType::CPU);
  }

  if (!torch::cuda::is_available()) {
    throw UsageError(fmt::format(
        "device \"{}\" is not available: the linked LibTorch {} has no CUDA support, or no GPU "
        "is visible (torch::cuda::is_available() is false). Use device cpu, or on a machine "
        "with an NVIDIA GPU build privaudit against PyTorch's CUDA LibTorch: unpack it from "
        "pytorch.org and configure with cmake -DCMAKE_PREFIX_PATH=/path/to/libtorch",
        device, TORCH_VERSION));
  }
  if (device == "cuda") {
    return c10::Device(c10::DeviceType::CUDA);
  }

  const int index = std::stoi(device.substr(5));  // validate() allows at most 4 digits
  const auto gpus = static_cast<int>(torch::cuda::device_count());
  if (index >= gpus) {
    throw UsageError(fmt::format(
        "device \"{}\" does not exist: {} GPU(s) are visible, numbered from 0 to {}. Pick one "
        "of them, or check CUDA_VISIBLE_DEVICES",
        device, gpus, gpus - 1));
  }
  return c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(index));
}

}  // namespace privaudit::deep
