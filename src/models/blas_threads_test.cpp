#include "models/blas_threads.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::models {
namespace {

TEST(PinBlasThreads, AcceptsOne) { EXPECT_NO_THROW(pin_blas_threads(1)); }

TEST(PinBlasThreads, RejectsZero) { EXPECT_THROW(pin_blas_threads(0), UsageError); }

}  // namespace
}  // namespace privaudit::models
