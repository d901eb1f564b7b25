#include "deep/torch_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "core/error.h"

namespace privaudit::deep {
namespace {

// True for "cpu", "cuda" and "cuda:N" with N a decimal GPU index.
bool is_device_name(std::string_view device) {
  if (device == "cpu" || device == "cuda") {
    return true;
  }
  constexpr std::string_view kCudaPrefix = "cuda:";
  if (!device.starts_with(kCudaPrefix)) {
    return false;
  }
  const std::string_view index = device.substr(kCudaPrefix.size());
  return !index.empty() && index.size() <= 4 &&
         std::all_of(index.begin(), index.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

void TorchOptions::validate() const {
  if (!is_device_name(device)) {
    throw UsageError(fmt::format(
        "invalid device \"{}\": expected cpu, cuda or cuda:N with N a GPU index, such as cuda:0",
        device));
  }
  if (intra_op_threads < 1 || intra_op_threads > kMaxIntraOpThreads) {
    throw UsageError(fmt::format(
        "invalid intra_op_threads {}: expected a thread count in [1, {}], such as 1 when "
        "several models train in parallel",
        intra_op_threads, kMaxIntraOpThreads));
  }
}

}  // namespace privaudit::deep
