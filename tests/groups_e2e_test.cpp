// Group disparity end to end on the bundled table with three extra groups: "planted", 44 patients
// whose label is flipped (mislabelled records are the most exposed kind), "tiny", 3 patients that
// small-cell suppression must hide everywhere, and "side", about 22 patients, the smallest visible
// group, which complementary suppression must hide too.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"
#include "core/atomic_file.h"

namespace privaudit::testing {
namespace {

namespace fs = std::filesystem;

// Splits one line of the bundled CSV (no quoted commas in it) into fields.
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  return fields;
}

std::string planted_table(const fs::path& folder) {
  std::ifstream in(bundled_table());
  std::string header;
  std::getline(in, header);
  const auto names = split(header);
  const auto hospital = static_cast<std::size_t>(std::find(names.begin(), names.end(), "\"hospital\"") - names.begin());
  std::string out = header + ",\"site\"\n";
  std::string line;
  for (int row = 0; std::getline(in, line); ++row) {
    auto fields = split(line);
    std::string site = "main";
    if (row % 100 == 7) {
      fields[hospital] = fields[hospital] == "0" ? "2" : "0";
      site = "planted";
    } else if (row == 10 || row == 20 || row == 30) {
      site = "tiny";
    } else if (row % 200 == 99) {
      site = "side";  // about 22 patients: the group complementary suppression hides with "tiny"
    }
    for (std::size_t k = 0; k < fields.size(); ++k) out += (k ? "," : "") + fields[k];
    out += "," + site + "\n";
  }
  const fs::path path = folder / "planted.csv";
  write_file_atomic(path, out);
  return path.string();
}

class GroupsE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("groups");
    write_file_atomic(dir_->path() / "key", "0123456789abcdef0123456789abcdef");
    result_ = new CliResult(run_privaudit(
        {"audit", run().string(), "--config", "configs/nmes1988.toml", "--input", planted_table(dir_->path()),
         "--attributes", "afam,site", "--pseudonymize-ids", (dir_->path() / "key").string(), "--bootstrap", "200"}));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static fs::path run() { return dir_->path() / "run"; }
  static const CliResult& result() { return *result_; }
  static nlohmann::json site() {
    const auto summary = nlohmann::json::parse(read_file(run() / "summary.json"));
    for (const auto& attribute : summary.at("groups").at("attributes")) {
      if (attribute.at("name") == "site") return attribute;
    }
    return nullptr;
  }

 private:
  static TempDir* dir_;
  static CliResult* result_;
};

TempDir* GroupsE2e::dir_ = nullptr;
CliResult* GroupsE2e::result_ = nullptr;

TEST_F(GroupsE2e, PlantedGroupOverRepresented) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const auto attribute = site();
  ASSERT_TRUE(attribute.is_object());
  for (const auto& group : attribute.at("groups")) {
    if (group.at("name") != "planted") continue;
    EXPECT_FALSE(group.at("suppressed").get<bool>());
    EXPECT_GT(group.at("record_level").at("residual").get<double>(), 2.0);
    EXPECT_LT(group.at("record_level").at("p_value").get<double>(), 0.01);
    EXPECT_GT(group.at("record_auc_mean").at("ci_low").get<double>(), 0.65);
    return;
  }
  FAIL() << "no planted group in summary.json";
}

TEST_F(GroupsE2e, AttributeTestSignificant) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  EXPECT_LT(site().at("record_level").at("p_bonferroni").get<double>(), 0.05);
}

TEST_F(GroupsE2e, TinyGroupHasNoNumbersInSummary) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const auto attribute = site();
  for (const auto& group : attribute.at("groups")) {
    if (group.at("name") != "tiny") continue;
    EXPECT_TRUE(group.at("suppressed").get<bool>());
    EXPECT_EQ(group.size(), 2u) << group.dump();  // name and suppressed only
    return;
  }
  FAIL() << "no tiny group in summary.json";
}

TEST_F(GroupsE2e, ComplementaryGroupSuppressed) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const auto attribute = site();
  for (const auto& group : attribute.at("groups")) {
    if (group.at("name") == "side") {
      EXPECT_TRUE(group.at("suppressed").get<bool>());
      return;
    }
  }
  FAIL() << "no side group in summary.json";
}

TEST_F(GroupsE2e, TinyGroupHasNoNumbersInCsv) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  std::ifstream in(run() / "groups.csv");
  std::string line;
  bool found = false;
  while (std::getline(in, line)) {
    if (line.rfind("site,tiny,", 0) != 0) continue;
    found = true;
    const auto fields = split(line + ",end");
    // attribute, group, suppressed, then 28 empty per-group fields; only the attribute-level
    // p-values (shared by every group of the attribute) follow.
    EXPECT_EQ(fields[2], "true");
    for (std::size_t k = 3; k < 31; ++k) EXPECT_EQ(fields[k], "") << "column " << k << ": " << line;
  }
  EXPECT_TRUE(found);
}

TEST_F(GroupsE2e, TinyGroupSuppressedInReport) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const std::string report = read_file(run() / "report.html");
  std::size_t at = report.find(">tiny<");
  ASSERT_NE(at, std::string::npos);
  for (; at != std::string::npos; at = report.find(">tiny<", at + 1)) {
    std::string row = report.substr(at, report.find("</tr>", at) - at);
    EXPECT_NE(row.find("suppressed"), std::string::npos) << row;
    // Only the text counts (not attributes such as colspan), and the only number allowed in it is
    // the threshold in "fewer than 10 patients".
    for (std::size_t open = row.find('<'); open != std::string::npos; open = row.find('<')) {
      row.erase(open, row.find('>', open) - open + 1);
    }
    const std::size_t rule = row.find("fewer than 10 patients");
    if (rule != std::string::npos) row.erase(rule, 22);
    EXPECT_EQ(row.find_first_of("0123456789"), std::string::npos) << row;
  }
}

TEST_F(GroupsE2e, IdsPseudonymized) {
  ASSERT_EQ(result().exit_code, 0) << result().err;
  const auto summary = nlohmann::json::parse(read_file(run() / "summary.json"));
  ASSERT_FALSE(summary.at("exposed_patients").empty());
  for (const auto& patient : summary.at("exposed_patients")) {
    EXPECT_EQ(patient.at("id").get<std::string>().rfind("P-", 0), 0u) << patient.dump();
  }
  // Without pseudonyms the ids would read "line-N" (the CSV line of each patient's record).
  const std::string report = read_file(run() / "report.html");
  for (std::size_t at = report.find("line-"); at != std::string::npos; at = report.find("line-", at + 1)) {
    EXPECT_FALSE(std::isdigit(static_cast<unsigned char>(report[at + 5]))) << report.substr(at, 20);
  }
}

TEST(GroupsOptions, SuppressionBelowFiveRejected) {
  const CliResult result = run_privaudit({"analyze", "/nonexistent-run", "--min-group-patients", "3"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("--min-group-patients 3 is invalid"), std::string::npos) << result.err;
}

TEST(GroupsOptions, ShortKeyRejected) {
  TempDir dir("key");
  write_file_atomic(dir.path() / "key", "short");
  const CliResult result =
      run_privaudit({"analyze", "/nonexistent-run", "--pseudonymize-ids", (dir.path() / "key").string()});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("at least 16 bytes"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace privaudit::testing
