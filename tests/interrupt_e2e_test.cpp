// Ctrl-C during training keeps every finished model, exits with 130, and the same command resumes.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "cli_runner.h"
#include "core/atomic_file.h"
#include "core/npy.h"

extern char** environ;

namespace privaudit::testing {
namespace {

namespace fs = std::filesystem;

std::size_t saved_models(const fs::path& run) {
  std::size_t count = 0;
  if (!fs::exists(run / "models")) return 0;
  for (const auto& entry : fs::directory_iterator(run / "models")) {
    count += entry.path().extension() == ".json";
  }
  return count;
}

TEST(Interrupt, TrainResumesAfterSigint) {
  TempDir dir("interrupt");
  const fs::path run = dir.path() / "run";
  const CliResult planned = run_privaudit({"plan", run.string(), "--input", bundled_table(), "--label", "hospital",
                                           "--label-map", "0=none,*=any", "--models", "6"});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;

  // 1. Start a slow training (one thread, many epochs) and interrupt it after the first model.
  const std::string binary = PRIVAUDIT_BINARY;
  std::vector<std::string> words = {binary, "train", run.string(), "--threads", "1", "--epochs", "2000",
                                    "--width", "64", "--log-level", "error"};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  ASSERT_EQ(posix_spawn(&child, binary.c_str(), nullptr, nullptr, argv.data(), environ), 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (saved_models(run) < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(saved_models(run), 1u) << "no model finished within 120 s";
  ::kill(child, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  const std::size_t kept = saved_models(run);
  if (WEXITSTATUS(status) == 0) {
    GTEST_SKIP() << "training finished before the interrupt arrived";
  }
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_GE(kept, 1u);
  EXPECT_LT(kept, 6u);
  EXPECT_FALSE(fs::exists(run / "signals.npy"));
  for (const auto& entry : fs::directory_iterator(run / "models")) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << "temporary file left: " << entry.path();
  }

  // 2. The same command (recipe taken from train.json) trains only the rest.
  const CliResult resumed = run_privaudit({"train", run.string(), "--threads", "2"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find(std::to_string(kept) + " of 6 models already trained"), std::string::npos)
      << resumed.err;
  EXPECT_EQ(saved_models(run), 6u);
  EXPECT_EQ(read_npy(run / "signals.npy").shape[0], 6u);
}

}  // namespace
}  // namespace privaudit::testing

namespace privaudit::testing {
namespace {

TEST(Recipe, ReplacedWhileNoModelSaved) {
  TempDir dir("recipe");
  const std::filesystem::path run = dir.path() / "run";
  ASSERT_EQ(run_privaudit({"plan", run.string(), "--input", bundled_table(), "--label", "hospital", "--label-map",
                           "0=none,*=any", "--models", "4"})
                .exit_code,
            0);
  ASSERT_EQ(run_privaudit({"train", run.string(), "--epochs", "1"}).exit_code, 0);
  // As after a first attempt that saved nothing: the recorded recipe binds no model yet.
  std::filesystem::remove_all(run / "models");
  std::filesystem::remove(run / "signals.npy");
  const CliResult again = run_privaudit({"train", run.string(), "--epochs", "2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("replacing it"), std::string::npos) << again.err;
  EXPECT_NE(read_file(run / "train.json").find("\"epochs\": 2"), std::string::npos);
}

}  // namespace
}  // namespace privaudit::testing

namespace privaudit::testing {
namespace {

TEST(Resume, DotSlashInputMatchesPlan) {
  TempDir dir("dotslash");
  const std::filesystem::path run = dir.path() / "run";
  const std::vector<std::string> options = {"--input", "./data/nmes1988/AER_NMES1988.csv", "--label", "hospital",
                                            "--label-map", "0=none,*=any", "--models", "4"};
  std::vector<std::string> plan = {"plan", run.string()};
  plan.insert(plan.end(), options.begin(), options.end());
  ASSERT_EQ(run_privaudit(plan).exit_code, 0);
  std::vector<std::string> audit = {"audit", run.string(), "--epochs", "1", "--targets", "2", "--bootstrap", "100"};
  audit.insert(audit.end(), options.begin(), options.end());
  const CliResult resumed = run_privaudit(audit);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
}

}  // namespace
}  // namespace privaudit::testing

namespace privaudit::testing {
namespace {

namespace fs = std::filesystem;

// Ctrl-C during a sweep's first recipe keeps its finished models; the same command resumes the
// sweep and finishes every recipe.
TEST(Interrupt, SweepResumesAfterSigint) {
  TempDir dir("sweep-interrupt");
  const fs::path run = dir.path() / "run";
  const std::string binary = PRIVAUDIT_BINARY;
  std::vector<std::string> words = {
      binary, "sweep", run.string(), "--input", bundled_table(), "--label", "hospital",
      "--label-map", "0=none,*=any", "--models", "4", "--targets", "1", "--rmia-population",
      "200", "--threads", "1", "--epochs", "400", "--width", "16", "--epsilons", "1,inf",
      "--log-level", "error"};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  ASSERT_EQ(posix_spawn(&child, binary.c_str(), nullptr, nullptr, argv.data(), environ), 0);
  const fs::path first = run / "recipes" / "eps-1";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (saved_models(first) < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(saved_models(first), 1u) << "no model finished within 120 s";
  ::kill(child, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 0) {
    GTEST_SKIP() << "the sweep finished before the interrupt arrived";
  }
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::size_t kept = saved_models(first);
  EXPECT_LT(kept, 4u);
  EXPECT_FALSE(fs::exists(run / "sweep.json"));

  std::vector<std::string> again(words.begin() + 1, words.end());
  const CliResult resumed = run_privaudit(again);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(saved_models(first), 4u);
  EXPECT_EQ(saved_models(run / "recipes" / "eps-inf"), 4u);
  EXPECT_TRUE(fs::exists(run / "sweep.json"));
}

}  // namespace
}  // namespace privaudit::testing
