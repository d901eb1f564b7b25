// Test helpers for the ECG readers: a temporary folder, error-message checks, and the real ECGs
// under tests/data/ecg.
#pragma once

#include "core/test_support.h"

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace privaudit::ecg::testing {

// The shared temporary folder and error-message check of core/test_support.h.
using privaudit::test_support::TempDir;
using privaudit::test_support::expect_error;

// Integer columns of a CSV file with one header row: the column names, and the values as
// [columns, rows].
struct IntegerTable {
  std::vector<std::string> names;
  std::vector<std::vector<std::int32_t>> columns;
};

// Reads tests/data/ecg/<name>. Fails the calling test through an exception when the file is
// missing or contains a value that is not an integer.
IntegerTable read_ecg_csv(std::string_view name);


}  // namespace privaudit::ecg::testing
