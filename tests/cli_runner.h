// Runs the privaudit executable for end-to-end tests and captures its exit code and output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace privaudit::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs PRIVAUDIT_BINARY with the arguments (each passed as one shell word) from the source folder.
CliResult run_privaudit(const std::vector<std::string>& args);

// A fresh empty folder under the system temp folder, removed by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& name);
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Path of the bundled demo table.
std::string bundled_table();

}  // namespace privaudit::testing
