// Helpers shared by the unit tests of every module: a temporary folder and a check on error
// messages. Built as the privaudit_test_support library, which only test binaries link.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace privaudit::test_support {

// A fresh folder under the system temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `bytes` unchanged to a file `name` in the folder and returns its path.
  std::filesystem::path write(std::string_view name, std::string_view bytes) const;

 private:
  std::filesystem::path path_;
};

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

}  // namespace privaudit::test_support
