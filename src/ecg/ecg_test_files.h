// Test helpers for the ECG readers: a temporary folder, error-message checks, and the real ECGs
// under tests/data/ecg.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace privaudit::ecg::testing {

// A fresh folder under the system temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `bytes` unchanged to the file `name` in the folder and returns its path.
  std::filesystem::path write(std::string_view name, std::string_view bytes) const;

 private:
  std::filesystem::path path_;
};

// Integer columns of a CSV file with one header row: the column names, and the values as
// [columns, rows].
struct IntegerTable {
  std::vector<std::string> names;
  std::vector<std::vector<std::int32_t>> columns;
};

// Reads tests/data/ecg/<name>. Fails the calling test through an exception when the file is
// missing or contains a value that is not an integer.
IntegerTable read_ecg_csv(std::string_view name);

// Runs `action` and checks that it throws `Expected` with a message containing every one of
// `fragments`. Each missing fragment is its own failure.
template <typename Expected, typename Action>
void expect_error(Action&& action, std::initializer_list<std::string_view> fragments) {
  try {
    action();
  } catch (const Expected& error) {
    const std::string message = error.what();
    for (const std::string_view fragment : fragments) {
      EXPECT_NE(message.find(fragment), std::string::npos)
          << "message lacks \"" << fragment << "\": " << message;
    }
    return;
  } catch (const std::exception& error) {
    ADD_FAILURE() << "threw a different exception type: " << error.what();
    return;
  }
  ADD_FAILURE() << "did not throw";
}

}  // namespace privaudit::ecg::testing
