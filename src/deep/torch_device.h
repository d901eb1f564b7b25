// Internal to src/deep: includes LibTorch's device type. Include it only from src/deep .cpp
// files, so that the module's public headers stay free of torch.
#pragma once

#include <c10/core/Device.h>

#include <string>

namespace privaudit::deep {

// Converts a TorchOptions::device string ("cpu", "cuda", "cuda:N") into a torch device. Throws
// UsageError for a misspelled device, for CUDA when the linked LibTorch has no CUDA support or
// no GPU is visible, and for a GPU index past the visible GPUs.
c10::Device resolve_device(const std::string& device);

}  // namespace privaudit::deep
