// A multi-label image audit on real Fashion-MNIST images. Two 0/1 label columns come from the
// class: top (T-shirt, pullover, coat or shirt) and shoe (sandal, sneaker or ankle boot). The
// model has one sigmoid per label, and the signal is the true-label probability mass.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "core/atomic_file.h"

namespace privaudit::testing {
namespace {

namespace fs = std::filesystem;

// Writes the fixture and rewrites its manifest with the columns path, top, shoe.
fs::path multi_label_manifest(const fs::path& dir, std::size_t count) {
  const std::string command =
      std::string(PRIVAUDIT_MAKE_IMAGE_MANIFEST) +
      " /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
      " /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz " +
      dir.string() + " " + std::to_string(count) + " 10 > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(dir / "manifest.csv");
  std::string line;
  std::getline(in, line);
  std::string manifest = "path,top,shoe\n";
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string path;
    std::string label;
    std::getline(fields, path, ',');
    std::getline(fields, label, ',');
    const int k = std::stoi(label);
    const bool top = k == 0 || k == 2 || k == 4 || k == 6;
    const bool shoe = k == 5 || k == 7 || k == 9;
    manifest += path + "," + (top ? "1" : "0") + "," + (shoe ? "1" : "0") + "\n";
  }
  write_file_atomic(dir / "manifest.csv", manifest);
  return dir / "manifest.csv";
}

std::vector<std::string> args(const fs::path& run, const fs::path& manifest,
                              const std::string& model) {
  return {"audit", run.string(), "--input", manifest.string(), "--multi-label", "top,shoe",
          "--modality", "image", "--image-size", "28", "--model", model, "--models", "8",
          "--epochs", "2", "--batch-size", "64", "--lr", "0.003", "--views", "2", "--targets",
          "2", "--rmia-population", "200", "--threads", "2", "--seed", "4"};
}

TEST(MultiLabelAudit, FashionMnistTwoLabels) {
  const TempDir dir("multi-label");
  const fs::path manifest = multi_label_manifest(dir.path() / "data", 600);
  const fs::path run = dir.path() / "run";
  const CliResult result = run_privaudit(args(run, manifest, "cnn"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json summary = nlohmann::json::parse(read_file(run / "summary.json"));
  EXPECT_EQ(summary.at("classes"), nlohmann::json({"top", "shoe"}));
  // Macro AUROC over the two labels: tops and shoes are easy to tell from the rest.
  EXPECT_GT(summary.at("utility").at("test_auroc").at("mean").get<double>(), 0.85);
  // One sigmoid per label: the small CNN's last layer has 2 outputs (64 * 2 + 2).
  EXPECT_EQ(summary.at("training").at("parameters"), 18977 + 65);
  const std::string records = read_file(run / "records.csv");
  EXPECT_NE(records.find(",top,"), std::string::npos);
  EXPECT_NE(records.find(",shoe,"), std::string::npos);
  EXPECT_NE(records.find(",none,"), std::string::npos);
}

TEST(MultiLabelAudit, TabularModelRejected) {
  const TempDir dir("multi-label-mlp");
  const fs::path manifest = multi_label_manifest(dir.path() / "data", 60);
  const fs::path run = dir.path() / "run";
  const CliResult result = run_privaudit(args(run, manifest, "mlp"));
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_NE(result.err.find("multi-label tasks train convolutional models only"),
            std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(run));
}

TEST(MultiLabelAudit, NonBinaryColumnNamed) {
  const TempDir dir("multi-label-bad");
  const fs::path manifest = multi_label_manifest(dir.path() / "data", 60);
  std::string text = read_file(manifest);
  const auto at = text.find(",1,0\n");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 5, ",2,0\n");
  write_file_atomic(manifest, text);
  const CliResult result = run_privaudit(args(dir.path() / "run", manifest, "cnn"));
  EXPECT_EQ(result.exit_code, 65) << result.err;
  EXPECT_NE(result.err.find("--multi-label column 'top' holds '2'"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(dir.path() / "run"));
}

}  // namespace
}  // namespace privaudit::testing
