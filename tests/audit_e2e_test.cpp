// A small audit of the bundled real table (NMES 1988) through the command line: shapes, ranges and
// invariants of every output, determinism, and resume after lost models.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>

#include "cli_runner.h"
#include "core/atomic_file.h"
#include "core/npy.h"

namespace privaudit::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kModels = 8;

std::vector<std::string> audit_args(const fs::path& run) {
  return {"audit", run.string(), "--input", bundled_table(), "--label", "hospital", "--label-map",
          "0=none,*=any", "--attributes", "afam,medicaid,insurance,gender", "--models",
          std::to_string(kModels), "--epochs", "10", "--lr", "0.003", "--batch-size", "64", "--targets", "2", "--threads", "2", "--seed", "5",
          "--rmia-population", "500"};
}

std::size_t count_lines(const fs::path& path) {
  std::ifstream in(path);
  std::size_t lines = 0;
  std::string line;
  while (std::getline(in, line)) ++lines;
  return lines;
}

// Runs one audit for the whole suite; the tests below read its outputs.
class AuditE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("audit");
    result_ = new CliResult(run_privaudit(audit_args(run())));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static fs::path run() { return dir_->path() / "run"; }
  static const CliResult& result() { return *result_; }

 private:
  static TempDir* dir_;
  static CliResult* result_;
};

TempDir* AuditE2e::dir_ = nullptr;
CliResult* AuditE2e::result_ = nullptr;

TEST_F(AuditE2e, ExitsZeroWithSummary) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  EXPECT_NE(result().out.find("Aggregate attacks"), std::string::npos) << result().out;
  EXPECT_NE(result().out.find("patients, joint test"), std::string::npos) << result().out;
  EXPECT_NE(result().out.find("LiRA online"), std::string::npos);
}

TEST_F(AuditE2e, SignalsAndMembershipShapes) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const NpyArray signals = read_npy(run() / "signals.npy");
  const NpyArray membership = read_npy(run() / "membership.npy");
  ASSERT_EQ(signals.shape.size(), 2u);
  EXPECT_EQ(signals.shape[0], kModels);
  EXPECT_EQ(membership.shape, signals.shape);
  EXPECT_EQ(signals.type, NpyType::kFloat32);
  EXPECT_EQ(membership.type, NpyType::kUint8);
  const std::size_t pool = signals.shape[1];
  // 4,406 rows, 15% of patients held out: about 3,745 pool records.
  EXPECT_NEAR(static_cast<double>(pool), 3745.0, 1.0);
  const auto keep = membership.as<std::uint8_t>();
  for (std::size_t j = 0; j < pool; ++j) {
    std::size_t in = 0;
    for (std::size_t m = 0; m < kModels; ++m) in += keep[m * pool + j];
    ASSERT_EQ(in, kModels / 2) << "pool record " << j;
  }
  for (float value : signals.as<float>()) ASSERT_TRUE(std::isfinite(value));
}

TEST_F(AuditE2e, RecordsAndPatientsOneRowEach) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const std::size_t pool = read_npy(run() / "signals.npy").shape[1];
  EXPECT_EQ(count_lines(run() / "records.csv"), pool + 1);
  // Without a patient-id column every record is its own patient.
  EXPECT_EQ(count_lines(run() / "patients.csv"), pool + 1);
  std::ifstream records(run() / "records.csv");
  std::string header;
  std::getline(records, header);
  EXPECT_EQ(header,
            "record,line,patient_id,label,n_in,n_out,mean_in,sd_in,mean_out,sd_out,auc_binormal,auc_se,"
            "auc_empirical");
}

TEST_F(AuditE2e, SummaryHoldsConfigAndMetrics) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const auto summary = nlohmann::json::parse(read_file(run() / "summary.json"));
  EXPECT_EQ(summary.at("input").at("sha256").get<std::string>().size(), 64u);
  EXPECT_EQ(summary.at("models").get<std::size_t>(), kModels);
  EXPECT_EQ(summary.at("config").at("plan").at("seed").get<std::uint64_t>(), 5u);
  EXPECT_EQ(summary.at("config").at("train").at("epochs").get<int>(), 10);
  const double test_auroc = summary.at("utility").at("test_auroc").at("mean").get<double>();
  EXPECT_GT(test_auroc, 0.6);  // hospital stays are predictable from visits and health
  EXPECT_LE(test_auroc, 1.0);
  ASSERT_EQ(summary.at("attacks").size(), 5u);
  for (const auto& attack : summary.at("attacks")) {
    const double auc = attack.at("auc").at("mean").get<double>();
    EXPECT_GE(auc, 0.0) << attack.at("name");
    EXPECT_LE(auc, 1.0) << attack.at("name");
  }
  for (const char* list : {"records", "patients_max", "patients_joint"}) {
    for (const auto& tail : summary.at("tails").at(list)) {
      EXPECT_LE(tail.at("confirmed").get<std::size_t>(), tail.at("selected").get<std::size_t>());
    }
  }
  const auto& record_auc = summary.at("record_auc").at("binormal");
  EXPECT_GE(record_auc.at("max").get<double>(), record_auc.at("p50").get<double>());
}

TEST_F(AuditE2e, RocGridPerAttack) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  // Header plus 101 grid points for each of the 5 attacks.
  EXPECT_EQ(count_lines(run() / "roc.csv"), 1u + 5u * 101u);
}

TEST_F(AuditE2e, LostModelIsRetrainedIdentically) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const NpyArray before = read_npy(run() / "models" / "model_0003.signals.npy");
  fs::remove(run() / "models" / "model_0003.json");
  fs::remove(run() / "signals.npy");
  const CliResult again = run_privaudit({"train", run().string(), "--threads", "1"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("7 of 8 models already trained"), std::string::npos) << again.err;
  const NpyArray after = read_npy(run() / "models" / "model_0003.signals.npy");
  EXPECT_EQ(before.bytes, after.bytes);  // same seed, same signals, whatever the thread count
  EXPECT_TRUE(fs::exists(run() / "signals.npy"));
}

TEST_F(AuditE2e, AuditResumesWithoutRepeatingOptions) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const CliResult again = run_privaudit({"audit", run().string(), "--targets", "2", "--rmia-population", "500"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already planned"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("already trained"), std::string::npos) << again.err;
}

TEST_F(AuditE2e, AuditRejectsOtherPlanOption) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const CliResult other = run_privaudit({"audit", run().string(), "--seed", "6", "--targets", "2"});
  EXPECT_EQ(other.exit_code, 64);
  EXPECT_NE(other.err.find("--seed 5, not 6"), std::string::npos) << other.err;
}

TEST_F(AuditE2e, DamagedSignalsRebuiltByTrain) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const std::string original = read_file(run() / "signals.npy");
  write_file_atomic(run() / "signals.npy", original.substr(0, 1000));
  const CliResult analyze = run_privaudit({"analyze", run().string(), "--targets", "2"});
  EXPECT_EQ(analyze.exit_code, 65);
  EXPECT_NE(analyze.err.find("privaudit train"), std::string::npos) << analyze.err;
  const CliResult train = run_privaudit({"train", run().string()});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_EQ(read_file(run() / "signals.npy"), original);
}

TEST_F(AuditE2e, MissingParametersRetrained) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  fs::remove(run() / "models" / "model_0005.params.npy");
  const CliResult train = run_privaudit({"train", run().string()});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("7 of 8 models already trained"), std::string::npos) << train.err;
  EXPECT_TRUE(fs::exists(run() / "models" / "model_0005.params.npy"));
}

TEST_F(AuditE2e, FullStdoutIsIoError) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const std::string command = std::string(PRIVAUDIT_BINARY) + " analyze '" + run().string() +
                              "' --targets 2 --rmia-population 500 >/dev/full 2>/dev/null";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 74);
}

TEST_F(AuditE2e, TrainRejectsOtherRecipe) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const CliResult other = run_privaudit({"train", run().string(), "--epochs", "11", "--lr", "0.003",
                                         "--batch-size", "64"});
  EXPECT_EQ(other.exit_code, 64);
  EXPECT_NE(other.err.find("train.epochs: recorded 10, requested 11"), std::string::npos) << other.err;
}

}  // namespace
}  // namespace privaudit::testing
