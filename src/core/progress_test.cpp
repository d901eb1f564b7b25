#include "core/progress.h"

#include <gtest/gtest.h>

namespace privaudit {
namespace {

TEST(FormatDuration, MinutesAndHours) {
  EXPECT_EQ(format_duration(0), "0:00");
  EXPECT_EQ(format_duration(65), "1:05");
  EXPECT_EQ(format_duration(7387), "2:03:07");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(Progress, ShortWorkPrintsNothing) {
  testing::internal::CaptureStderr();
  {
    Progress progress("train", 3, "models");
    progress.advance(3);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace privaudit
