#include "cli_runner.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "core/atomic_file.h"

namespace privaudit::testing {

namespace fs = std::filesystem;

namespace {
std::atomic<int> counter{0};

std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}
}  // namespace

CliResult run_privaudit(const std::vector<std::string>& args) {
  const fs::path base = fs::temp_directory_path() /
                        fmt::format("privaudit_cli_{}_{}", ::getpid(), counter.fetch_add(1));
  std::string command = fmt::format("cd {} && {}", shell_quote(PRIVAUDIT_SOURCE_DIR), shell_quote(PRIVAUDIT_BINARY));
  for (const auto& arg : args) command += " " + shell_quote(arg);
  command += fmt::format(" >{} 2>{} </dev/null", shell_quote(base.string() + ".out"),
                         shell_quote(base.string() + ".err"));
  const int status = std::system(command.c_str());
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(base.string() + ".out");
  result.err = read_file(base.string() + ".err");
  fs::remove(base.string() + ".out");
  fs::remove(base.string() + ".err");
  return result;
}

TempDir::TempDir(const std::string& name) {
  path_ = fs::temp_directory_path() / fmt::format("privaudit_e2e_{}_{}_{}", name, ::getpid(), counter.fetch_add(1));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string bundled_table() { return std::string(PRIVAUDIT_SOURCE_DIR) + "/data/nmes1988/AER_NMES1988.csv"; }

}  // namespace privaudit::testing
