// Test helpers: a temporary folder for CSV files, and checks on error messages.
#pragma once

#include "core/test_support.h"

namespace privaudit::data::testing {

// The shared temporary folder and error-message check of core/test_support.h.
using privaudit::test_support::TempDir;
using privaudit::test_support::expect_error;

}  // namespace privaudit::data::testing
