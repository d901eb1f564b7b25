// `privaudit sweep` and DP-SGD audits on the bundled real table (NMES 1988): one plan shared by
// every recipe, the accounted privacy of each DP-SGD recipe, resume, and each bad sweep or DP-SGD
// option with its message and exit code.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "core/atomic_file.h"

namespace privaudit::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kUsage = 64;

std::vector<std::string> base_args(const std::string& command, const fs::path& run) {
  return {command, run.string(), "--input", bundled_table(), "--label", "hospital",
          "--label-map", "0=none,*=any", "--attributes", "afam,gender", "--models", "8",
          "--epochs", "4", "--lr", "0.003", "--batch-size", "64", "--targets", "2",
          "--threads", "2", "--seed", "9", "--rmia-population", "500", "--log-level", "info"};
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_file(path)); }

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "expected '" << part << "' in:\n" << text;
}

// One epsilon sweep for the suite: epsilon 1 and no DP-SGD.
class EpsilonSweep : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("sweep");
    result_ = new CliResult(run_privaudit(args()));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static std::vector<std::string> args() {
    return with(base_args("sweep", run()), {"--epsilons", "1,inf"});
  }
  static fs::path run() { return dir_->path() / "run"; }
  static const CliResult& result() { return *result_; }

 private:
  static TempDir* dir_;
  static CliResult* result_;
};

TempDir* EpsilonSweep::dir_ = nullptr;
CliResult* EpsilonSweep::result_ = nullptr;

TEST_F(EpsilonSweep, ExitsZeroWithTable) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  expect_contains(result().out, "epsilon sweep of 2 recipes");
  expect_contains(result().out, "epsilon 1");
  expect_contains(result().out, "no DP-SGD");
  expect_contains(result().out, "Report: ");
}

TEST_F(EpsilonSweep, SweepJsonDescribesEachRecipe) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const nlohmann::json sweep = read_json(run() / "sweep.json");
  EXPECT_EQ(sweep.at("kind"), "epsilon");
  EXPECT_EQ(sweep.at("models"), 8);
  ASSERT_EQ(sweep.at("recipes").size(), 2u);
  const nlohmann::json& dp_recipe = sweep.at("recipes").at(0);
  const nlohmann::json& plain = sweep.at("recipes").at(1);
  EXPECT_EQ(dp_recipe.at("name"), "eps-1");
  EXPECT_EQ(dp_recipe.at("epsilon"), 1.0);
  EXPECT_EQ(plain.at("name"), "eps-inf");
  EXPECT_TRUE(plain.at("epsilon").is_null());
  EXPECT_TRUE(plain.at("dp").is_null());
  // Calibration reaches the target from below, to the bisection's precision.
  const nlohmann::json& dp = dp_recipe.at("dp");
  EXPECT_EQ(dp.at("unit"), "patient");
  EXPECT_LE(dp.at("epsilon").get<double>(), 1.0);
  EXPECT_GT(dp.at("epsilon").get<double>(), 0.999);
  const double bound = dp.at("auc_bound").get<double>();
  EXPECT_GT(bound, 0.5);
  EXPECT_LT(bound, 0.7);
  EXPECT_LE(bound, dp.at("auc_bound_single_pair").get<double>());
  // 8 models leave about 2 IN and 2 OUT models per record on half B: too few to test.
  EXPECT_EQ(dp.at("bound_check").at("records").at("tested"), 0);
  EXPECT_EQ(dp.at("bound_check").at("records").at("beyond_se"), 0);
  EXPECT_EQ(dp.at("bound_check").at("patients").at("beyond_se"), 0);
  for (const auto& recipe : sweep.at("recipes")) {
    // 26 encoded inputs (afam and gender are attributes, not features): 26*128+128 + 128+1.
    EXPECT_EQ(recipe.at("parameters"), 3585) << recipe.at("name");
    EXPECT_GT(recipe.at("utility").at("test_auroc").at("mean").get<double>(), 0.6);
    EXPECT_FALSE(recipe.at("survival").at("records").at("sf").empty());
  }
}

// Sampling rate 64 / (3745 / 2) = 0.034179, so round(1 / q) = 29 steps per epoch and 4 epochs
// give 116 steps; delta is 1 / 3745 pool patients.
TEST_F(EpsilonSweep, AccountingFollowsRecipe) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const nlohmann::json train = read_json(run() / "recipes" / "eps-1" / "train.json");
  const nlohmann::json& privacy = train.at("privacy");
  EXPECT_NEAR(privacy.at("sampling_rate").get<double>(), 64.0 / (3745.0 / 2.0), 1e-12);
  EXPECT_EQ(privacy.at("steps"), 116);
  EXPECT_NEAR(privacy.at("delta").get<double>(), 1.0 / 3745.0, 1e-15);
  EXPECT_EQ(train.at("train").at("privacy"), "patient");
  EXPECT_EQ(train.at("train").at("dp_target_epsilon"), 1.0);
  EXPECT_TRUE(read_json(run() / "recipes" / "eps-inf" / "train.json").at("privacy").is_null());
}

TEST_F(EpsilonSweep, RecipesShareOnePlan) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const std::string membership = read_file(run() / "membership.npy");
  const std::string test_records = read_file(run() / "plan" / "test_records.npy");
  for (const char* name : {"eps-1", "eps-inf"}) {
    EXPECT_EQ(read_file(run() / "recipes" / name / "membership.npy"), membership) << name;
    EXPECT_EQ(read_file(run() / "recipes" / name / "plan" / "test_records.npy"), test_records) << name;
    EXPECT_TRUE(fs::exists(run() / "recipes" / name / "report.html")) << name;
  }
}

TEST_F(EpsilonSweep, CsvAndReportWritten) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  std::ifstream csv(run() / "sweep.csv");
  std::string header;
  std::string line;
  std::getline(csv, header);
  std::size_t rows = 0;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 2u);
  expect_contains(header, "auc_bound");
  expect_contains(header, "records_beyond_se_above_bound");
  const std::string report = read_file(run() / "report.html");
  expect_contains(report, "sweep-survival");
  expect_contains(report, "sweep-privacy-utility");
}

// The second run trains nothing and gives the same recipes.
TEST_F(EpsilonSweep, RerunResumesWithoutTraining) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const nlohmann::json before = read_json(run() / "sweep.json");
  const CliResult again = run_privaudit(args());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  expect_contains(again.err, "all 8 models of");
  EXPECT_EQ(again.err.find("training 8"), std::string::npos) << again.err;
  const nlohmann::json after = read_json(run() / "sweep.json");
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(after.at("recipes").at(r).at("utility"), before.at("recipes").at(r).at("utility"));
    EXPECT_EQ(after.at("recipes").at(r).at("tails"), before.at("recipes").at(r).at("tails"));
  }
}

TEST(CapacitySweep, ParameterCountsPerRecipe) {
  const TempDir dir("capacity");
  const fs::path run = dir.path() / "run";
  const CliResult result =
      run_privaudit(with(base_args("sweep", run), {"--capacities", "logistic,mlp:8x2"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_contains(result.out, "capacity sweep of 2 recipes");
  const nlohmann::json sweep = read_json(run / "sweep.json");
  EXPECT_EQ(sweep.at("kind"), "capacity");
  ASSERT_EQ(sweep.at("recipes").size(), 2u);
  EXPECT_EQ(sweep.at("recipes").at(0).at("name"), "logistic");
  EXPECT_EQ(sweep.at("recipes").at(0).at("parameters"), 27);  // 26 weights + 1 bias
  EXPECT_EQ(sweep.at("recipes").at(1).at("name"), "mlp-w8x2");
  EXPECT_EQ(sweep.at("recipes").at(1).at("parameters"), 297);  // 26*8+8 + 8*8+8 + 8+1
  EXPECT_TRUE(sweep.at("recipes").at(0).at("dp").is_null());
}

// A DP-SGD audit reports its guarantee on stdout and in summary.json.
TEST(DpAudit, SummaryStatesGuarantee) {
  const TempDir dir("dp");
  const fs::path run = dir.path() / "run";
  const CliResult result = run_privaudit(
      with(base_args("audit", run), {"--dp", "record", "--dp-noise", "2", "--dp-clip", "0.5"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_contains(result.out, "DP-SGD per record");
  expect_contains(result.out, "no attack can exceed membership AUC");
  const nlohmann::json summary = read_json(run / "summary.json");
  const nlohmann::json& privacy = summary.at("privacy");
  EXPECT_EQ(privacy.at("unit"), "record");
  EXPECT_EQ(privacy.at("noise_multiplier"), 2.0);
  EXPECT_EQ(privacy.at("clip_norm"), 0.5);
  EXPECT_TRUE(privacy.at("target_epsilon").is_null());
  EXPECT_GT(privacy.at("epsilon").get<double>(), 0.0);
  EXPECT_TRUE(privacy.at("bound_check").at("records").is_object());
}

// Each bad option: exit code 64, the value and the valid range in the message, no run folder.
class BadSweepOption : public ::testing::Test {
 protected:
  TempDir dir_{"badsweep"};
  fs::path run() const { return dir_.path() / "run"; }
  void expect_rejected(const std::string& command, const std::vector<std::string>& extra,
                       const std::vector<std::string>& parts) const {
    const CliResult result = run_privaudit(with(base_args(command, run()), extra));
    EXPECT_EQ(result.exit_code, kUsage) << result.err;
    for (const std::string& part : parts) expect_contains(result.err, part);
    EXPECT_FALSE(fs::exists(run())) << "run folder left behind for " << extra.front();
  }
};

TEST_F(BadSweepOption, MalformedCapacity) {
  expect_rejected("sweep", {"--capacities", "mlp:abc"}, {"'mlp:abc'", "whole number"});
  expect_rejected("sweep", {"--capacities", "vgg:8"}, {"'vgg:8'", "logistic, mlp or resnet"});
  expect_rejected("sweep", {"--capacities", "mlp:8,mlp:8"}, {"twice"});
}

TEST_F(BadSweepOption, BadEpsilons) {
  expect_rejected("sweep", {"--epsilons", "0,1"}, {"--epsilons entry 0", "> 0"});
  expect_rejected("sweep", {"--epsilons", "-5"}, {"--epsilons entry -5", "> 0"});
  expect_rejected("sweep", {"--epsilons", "ten"}, {"'ten'", "number > 0 or inf"});
  expect_rejected("sweep", {"--epsilons", "1", "--capacities", "mlp:8"}, {"not both"});
  expect_rejected("sweep", {"--epsilons", "1", "--model", "resnet"}, {"not resnet"});
}

TEST_F(BadSweepOption, BadDpSettings) {
  expect_rejected("audit", {"--dp", "patient", "--dp-clip", "0"}, {"--dp-clip 0 is invalid", "> 0"});
  expect_rejected("audit", {"--dp", "patient", "--dp-sampling-rate", "0"},
                  {"--dp-sampling-rate 0 is invalid", "(0, 1]"});
  expect_rejected("audit", {"--dp", "patient", "--dp-sampling-rate", "1.5"},
                  {"--dp-sampling-rate 1.5 is invalid", "(0, 1]"});
  expect_rejected("audit", {"--dp", "patient", "--target-epsilon", "0"},
                  {"--target-epsilon 0 is invalid", "> 0"});
  expect_rejected("audit", {"--dp", "patient", "--delta", "1"}, {"--delta 1 is invalid", "(0, 1)"});
  expect_rejected("audit", {"--dp", "patient", "--delta", "0"}, {"--delta 0 is invalid", "(0, 1)"});
  expect_rejected("audit", {"--dp", "everyone"}, {"\"everyone\"", "off, patient, record"});
  expect_rejected("audit", {"--target-epsilon", "3"}, {"DP-SGD only", "--dp patient"});
}

// The target is checked against the run's steps after planning; the planned folder is removed.
TEST_F(BadSweepOption, UnreachableTargetEpsilon) {
  expect_rejected("audit", {"--dp", "patient", "--target-epsilon", "1e-6"},
                  {"--target-epsilon 1e-06 is not reachable", "116 steps", "raise --target-epsilon"});
}

}  // namespace
}  // namespace privaudit::testing
