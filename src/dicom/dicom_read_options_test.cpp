#include "dicom/dicom_read_options.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "dicom/dicom_test_files.h"

namespace privaudit::dicom {
namespace {

using testing::expect_error;

TEST(DicomReadOptions, DefaultsValid) {
  const DicomReadOptions options;
  EXPECT_EQ(options.frame, 0u);
  EXPECT_EQ(options.max_frame_pixels, 16384u * 16384u);
  EXPECT_NO_THROW(options.validate());
}

TEST(DicomReadOptions, ZeroFrameLimitRejected) {
  DicomReadOptions options;
  options.max_frame_pixels = 0;
  expect_error<UsageError>([&] { options.validate(); },
                           {"DicomReadOptions.max_frame_pixels is 0", "at least 1"});
}

TEST(DicomReadOptions, ZeroTotalLimitRejected) {
  DicomReadOptions options;
  options.max_total_pixels = 0;
  expect_error<UsageError>([&] { options.validate(); },
                           {"DicomReadOptions.max_total_pixels is 0", "at least 1"});
}

}  // namespace
}  // namespace privaudit::dicom
