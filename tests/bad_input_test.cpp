// Each bad input gets one clear error naming the file, line, column or option and the fix, an exit
// code of its kind (64 usage, 65 input, 74 I/O), and leaves no run folder behind.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"
#include "core/atomic_file.h"

namespace privaudit::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kUsage = 64;
constexpr int kInput = 65;
constexpr int kIo = 74;

class BadInput : public ::testing::Test {
 protected:
  TempDir dir_{"bad"};

  fs::path run() const { return dir_.path() / "run"; }

  std::string table(const std::string& name, const std::string& text) const {
    const fs::path path = dir_.path() / name;
    write_file_atomic(path, text);
    return path.string();
  }

  CliResult plan(const std::string& input, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"plan", run().string(), "--input", input, "--label", "y", "--models", "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_privaudit(args);
  }

  // The run folder and any temporary folder beside it are gone.
  void expect_no_run_folder() const {
    EXPECT_FALSE(fs::exists(run()));
    for (const auto& entry : fs::directory_iterator(dir_.path())) {
      EXPECT_EQ(entry.path().filename().string().find(".run.tmp"), std::string::npos) << entry.path();
    }
  }

  // A valid table of 40 patients with a binary label and a numeric feature.
  static std::string good_rows() {
    std::string text = "x,y,group\n";
    for (int i = 0; i < 40; ++i) text += std::to_string(i % 7) + "," + std::to_string(i % 2) + ",g" + std::to_string(i % 3) + "\n";
    return text;
  }
};

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "expected '" << part << "' in:\n" << text;
}

TEST_F(BadInput, MissingFile) {
  const CliResult result = plan((dir_.path() / "nope.csv").string());
  EXPECT_EQ(result.exit_code, kIo);
  expect_contains(result.err, "nope.csv");
  expect_no_run_folder();
}

TEST_F(BadInput, UnknownColumn) {
  const CliResult result = plan(table("t.csv", good_rows()), {"--attributes", "grop"});
  EXPECT_EQ(result.exit_code, kInput);
  expect_contains(result.err, "grop");
  expect_contains(result.err, "group");
  expect_no_run_folder();
}

TEST_F(BadInput, EmptyTable) {
  const CliResult result = plan(table("t.csv", "x,y\n"));
  EXPECT_EQ(result.exit_code, kInput);
  expect_contains(result.err, "no data rows");
  expect_no_run_folder();
}

TEST_F(BadInput, LabelWithOneClass) {
  std::string text = "x,y\n";
  for (int i = 0; i < 20; ++i) text += std::to_string(i) + ",1\n";
  const CliResult result = plan(table("t.csv", text));
  EXPECT_EQ(result.exit_code, kInput);
  expect_contains(result.err, "one class");
  expect_no_run_folder();
}

TEST_F(BadInput, NonFiniteValue) {
  std::string text = good_rows();
  text += "nan,1,g1\n";
  const CliResult result = plan(table("t.csv", text));
  EXPECT_EQ(result.exit_code, kInput);
  expect_contains(result.err, "line 42");
  expect_contains(result.err, "nan");
  expect_no_run_folder();
}

TEST_F(BadInput, InfiniteValue) {
  std::string text = good_rows();
  text += "-Infinity,1,g1\n";
  const CliResult result = plan(table("t.csv", text));
  EXPECT_EQ(result.exit_code, kInput);
  expect_contains(result.err, "line 42");
  expect_no_run_folder();
}

TEST_F(BadInput, RaggedRow) {
  std::string text = good_rows();
  text += "1,0\n";
  const CliResult result = plan(table("t.csv", text));
  EXPECT_EQ(result.exit_code, kInput);
  expect_contains(result.err, "line 42");
  expect_no_run_folder();
}

TEST_F(BadInput, PatientDisagreesOnAttribute) {
  std::string text = "pid,x,y,sex\n";
  for (int i = 0; i < 20; ++i) text += "p" + std::to_string(i) + "," + std::to_string(i) + "," + std::to_string(i % 2) + ",F\n";
  text += "p3,5,1,M\n";
  const CliResult result = plan(table("t.csv", text), {"--patient-id", "pid", "--attributes", "sex"});
  EXPECT_EQ(result.exit_code, kInput);
  expect_contains(result.err, "p3");
  expect_contains(result.err, "sex");
  expect_no_run_folder();
}

TEST_F(BadInput, OddModelCount) {
  std::vector<std::string> args = {"plan", run().string(), "--input", table("t.csv", good_rows()),
                                   "--label", "y", "--models", "7"};
  const CliResult result = run_privaudit(args);
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "--models 7");
  expect_no_run_folder();
}

TEST_F(BadInput, TooFewModels) {
  std::vector<std::string> args = {"plan", run().string(), "--input", table("t.csv", good_rows()),
                                   "--label", "y", "--models", "2"};
  const CliResult result = run_privaudit(args);
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "at least 4");
  expect_no_run_folder();
}

TEST_F(BadInput, UnwritableOutputFolder) {
  const std::string blocker = table("blocker", "a regular file, not a folder\n");
  std::vector<std::string> args = {"plan", blocker + "/run", "--input", table("t.csv", good_rows()),
                                   "--label", "y", "--models", "4"};
  const CliResult result = run_privaudit(args);
  EXPECT_EQ(result.exit_code, kIo);
  expect_contains(result.err, "blocker");
}

TEST_F(BadInput, ExistingRunFolderNotOverwritten) {
  fs::create_directories(run());
  write_file_atomic(run() / "keep.txt", "user data");
  const CliResult result = plan(table("t.csv", good_rows()));
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "already exists");
  EXPECT_EQ(read_file(run() / "keep.txt"), "user data");
}

TEST_F(BadInput, UnknownOption) {
  const CliResult result = run_privaudit({"plan", run().string(), "--epoch", "3"});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_no_run_folder();
}

TEST_F(BadInput, UnknownConfigKey) {
  const std::string config = table("c.toml", "[training]\nepoch = 3\n");
  const CliResult result = run_privaudit({"train", run().string(), "--config", config});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "did you mean 'epochs'");
}

TEST_F(BadInput, NegativeCountRejected) {
  const CliResult result = plan(table("t.csv", good_rows()), {"--models", "-4"});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "'-4' is not a whole number");
  expect_no_run_folder();
}

TEST_F(BadInput, HugeModelCountRejected) {
  const CliResult result = run_privaudit({"plan", run().string(), "--input", table("t.csv", good_rows()), "--label",
                                         "y", "--models", "200000"});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "--models 200000 is invalid");
  expect_no_run_folder();
}

TEST_F(BadInput, OverflowingSeedRejected) {
  const CliResult result = plan(table("t.csv", good_rows()), {"--seed", "99999999999999999999999"});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "99999999999999999999999");
  expect_no_run_folder();
}

TEST_F(BadInput, RepeatedOptionNamed) {
  const CliResult result = plan(table("t.csv", good_rows()), {"--models", "6"});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "--models is given more than once");
  expect_no_run_folder();
}

TEST_F(BadInput, OptionTypoSuggestsName) {
  const CliResult result = plan(table("t.csv", good_rows()), {"--modles", "4"});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "did you mean --models");
  expect_no_run_folder();
}

TEST_F(BadInput, OptionOfOtherSubcommand) {
  const CliResult result = run_privaudit({"analyze", run().string(), "--models", "6"});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "--models is not an option of `privaudit analyze`");
}

TEST_F(BadInput, UnknownSubcommandSuggestsName) {
  const CliResult result = run_privaudit({"plna", run().string()});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "did you mean 'plan'");
}

TEST_F(BadInput, FileGivenAsRunFolder) {
  const std::string file = table("t.csv", good_rows());
  const CliResult result = run_privaudit({"analyze", file});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "is a file, not a run folder");
}

TEST_F(BadInput, TrainBeforePlan) {
  const CliResult result = run_privaudit({"train", run().string()});
  EXPECT_EQ(result.exit_code, kUsage);
  expect_contains(result.err, "privaudit plan");
}

}  // namespace
}  // namespace privaudit::testing

namespace privaudit::testing {
namespace {

// Without a CUDA LibTorch and a GPU, --device cuda is rejected before the plan reads anything.
TEST(BadDevice, CudaUnavailableRejectedFirst) {
  const TempDir dir("bad-device");
  const std::filesystem::path run = dir.path() / "run";
  const CliResult result = run_privaudit({"audit", run.string(), "--input", bundled_table(),
                                          "--label", "hospital", "--label-map", "0=none,*=any",
                                          "--models", "4", "--targets", "2", "--device", "cuda"});
  if (result.exit_code == 0) GTEST_SKIP() << "this build has a usable CUDA device";
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_NE(result.err.find("--device cuda is not available"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(run));
}

}  // namespace
}  // namespace privaudit::testing
