#include "deep/torch_options.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace privaudit::deep {
namespace {

TEST(TorchOptionsValidate, DefaultsValid) {
  const TorchOptions options;
  EXPECT_NO_THROW(options.validate());
  EXPECT_EQ(options.device, "cpu");
  EXPECT_EQ(options.augment_max_shift, 0u);
  EXPECT_EQ(options.intra_op_threads, 1u);
}

TEST(TorchOptionsValidate, DeviceSpellings) {
  for (const std::string device : {"cpu", "cuda", "cuda:0", "cuda:12"}) {
    TorchOptions options;
    options.device = device;
    EXPECT_NO_THROW(options.validate()) << device;
  }
  for (const std::string device : {"", "gpu", "CPU", "cuda:", "cuda:-1", "cuda:1a", "cuda:12345",
                                   "mps"}) {
    TorchOptions options;
    options.device = device;
    try {
      options.validate();
      ADD_FAILURE() << "accepted device \"" << device << "\"";
    } catch (const UsageError& error) {
      EXPECT_NE(std::string(error.what()).find("invalid device \"" + device + "\""),
                std::string::npos)
          << error.what();
    }
  }
}

TEST(TorchOptionsValidate, ThreadsOutOfRange) {
  TorchOptions options;
  options.intra_op_threads = 0;
  try {
    options.validate();
    ADD_FAILURE() << "accepted intra_op_threads 0";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("intra_op_threads 0"), std::string::npos)
        << error.what();
  }
  options.intra_op_threads = TorchOptions::kMaxIntraOpThreads + 1;
  EXPECT_THROW(options.validate(), UsageError);
  options.intra_op_threads = TorchOptions::kMaxIntraOpThreads;
  EXPECT_NO_THROW(options.validate());
}

}  // namespace
}  // namespace privaudit::deep
