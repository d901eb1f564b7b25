// ECG and image audits through the command line. An image audit runs on real Fashion-MNIST
// images (Debian's dataset-fashion-mnist), a DICOM audit on files whose identifying header fields
// must never reach an output, and an ECG audit on WFDB records cut from the real MIT-BIH record
// 208. Each bad manifest input gets its message and exit code, and leaves no run folder.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "core/atomic_file.h"
#include "core/npy.h"
#include "ecg/wfdb.h"
#include "image/image.h"
#include "image/png_writer.h"

namespace privaudit::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kInput = 65;
const char* const kFashionImages = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
const char* const kFashionLabels = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz";

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "expected '" << part << "' in:\n" << text;
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_file(path)); }

std::vector<std::string> audit_args(const fs::path& run, const fs::path& manifest,
                                    const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"audit", run.string(), "--input", manifest.string(),
                                   "--label", "label", "--models", "8", "--epochs", "2",
                                   "--batch-size", "64", "--lr", "0.003", "--targets", "2",
                                   "--rmia-population", "200", "--threads", "2", "--seed", "3"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Writes the first `count` T-shirt and trouser images of Fashion-MNIST as PNGs with a manifest.
fs::path fashion_manifest(const fs::path& dir, std::size_t count, const char* format = "png") {
  const std::string command = std::string(PRIVAUDIT_MAKE_IMAGE_MANIFEST) + " " + kFashionImages +
                              " " + kFashionLabels + " " + dir.string() + " " +
                              std::to_string(count) + " 2 " + format + " > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return dir / "manifest.csv";
}

TEST(ImageAudit, FashionMnistEndToEnd) {
  const TempDir dir("image-audit");
  const fs::path manifest = fashion_manifest(dir.path() / "data", 1200);
  const fs::path run = dir.path() / "run";
  const CliResult result = run_privaudit(audit_args(
      run, manifest,
      {"--modality", "image", "--image-size", "28", "--model", "cnn", "--views", "2",
       "--attributes", "site"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_contains(result.out, "1020 pool records");
  const nlohmann::json run_json = read_json(run / "run.json");
  EXPECT_EQ(run_json.at("media").at("modality"), "image");
  EXPECT_EQ(run_json.at("media").at("shape"), nlohmann::json({1, 28, 28}));
  const NpyArray media = read_npy(run / "media.npy");
  EXPECT_EQ(media.shape, (std::vector<std::size_t>{1200, 1, 28, 28}));
  const nlohmann::json summary = read_json(run / "summary.json");
  // T-shirts against trousers: an easy task even after two epochs.
  EXPECT_GT(summary.at("utility").at("test_auroc").at("mean").get<double>(), 0.9);
  // Small CNN, 1 channel, 1 logit: 288 + 64 (GN) + 18432 + 128 (GN) + 65.
  EXPECT_EQ(summary.at("training").at("parameters"), 18977);
  const NpyArray signals = read_npy(run / "signals.npy");
  for (const float phi : signals.as<float>()) {
    ASSERT_TRUE(std::isfinite(phi));
  }
  EXPECT_TRUE(fs::exists(run / "report.html"));
  const nlohmann::json train = read_json(run / "train.json");
  EXPECT_EQ(train.at("model").at("kind"), "cnn");
  EXPECT_EQ(train.at("train").at("views"), 2);
}

// Every file of a run folder, read whole, for searching.
std::string all_outputs(const fs::path& run) {
  std::string text;
  for (const auto& entry : fs::recursive_directory_iterator(run)) {
    if (entry.is_regular_file()) text += read_file(entry.path());
  }
  return text;
}

// Two images per patient, patient-level plan, DICOM pixels with rescale and MONOCHROME1; no
// DICOM header value may reach an output, a log line or the summary.
TEST(DicomAudit, EndToEndWithoutHeaderFields) {
  const TempDir dir("dicom-audit");
  const fs::path manifest = fashion_manifest(dir.path() / "data", 400, "dicom");
  const fs::path run = dir.path() / "run";
  write_file_atomic(dir.path() / "key", "0123456789abcdef0123456789abcdef\n");
  const CliResult audit = run_privaudit(audit_args(
      run, manifest,
      {"--modality", "image", "--image-size", "28", "--model", "cnn", "--views", "1",
       "--patient-id", "patient", "--attributes", "site", "--pseudonymize-ids",
       (dir.path() / "key").string()}));
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  expect_contains(audit.out, "from 170 patients");
  const NpyArray media = read_npy(run / "media.npy");
  EXPECT_EQ(media.shape, (std::vector<std::size_t>{400, 1, 28, 28}));
  // Rescaled, inverted where MONOCHROME1, then min-max scaled: every value in [0, 1].
  for (const float v : media.as<float>()) {
    ASSERT_GE(v, 0.0f);
    ASSERT_LE(v, 1.0f);
  }
  const std::string outputs = all_outputs(run) + audit.out + audit.err;
  for (const char* secret : {"DOE", "JANE", "19611231", "SECRET GENERAL HOSPITAL", "1.2.276"}) {
    EXPECT_EQ(outputs.find(secret), std::string::npos) << secret << " reached an output";
  }
}

// The MONOCHROME1 files are stored inverted: after reading they match their MONOCHROME2
// neighbours' orientation, so an image and its inverted copy give the same model input.
TEST(DicomAudit, Monochrome1MatchesPng) {
  const TempDir dir("dicom-vs-png");
  const fs::path dicom = fashion_manifest(dir.path() / "dicom", 24, "dicom");
  const fs::path png = fashion_manifest(dir.path() / "png", 24, "png");
  const std::vector<std::string> common = {"--modality", "image", "--image-size", "28",
                                           "--models", "4"};
  std::vector<std::string> plan_dicom = {"plan", (dir.path() / "rd").string(), "--input",
                                         dicom.string(), "--label", "label"};
  std::vector<std::string> plan_png = {"plan", (dir.path() / "rp").string(), "--input",
                                       png.string(), "--label", "label"};
  plan_dicom.insert(plan_dicom.end(), common.begin(), common.end());
  plan_png.insert(plan_png.end(), common.begin(), common.end());
  ASSERT_EQ(run_privaudit(plan_dicom).exit_code, 0);
  ASSERT_EQ(run_privaudit(plan_png).exit_code, 0);
  const NpyArray dicom_media = read_npy(dir.path() / "rd" / "media.npy");
  const NpyArray png_media = read_npy(dir.path() / "rp" / "media.npy");
  const auto a = dicom_media.as<float>();
  const auto b = png_media.as<float>();
  ASSERT_EQ(a.size(), b.size());
  // PNG values are bytes / 255; DICOM values are min-max scaled per image, so compare after
  // the same per-image scaling of the PNG values.
  for (std::size_t r = 0; r < 24; ++r) {
    const float* pa = a.data() + r * 784;
    const float* pb = b.data() + r * 784;
    const auto [lo, hi] = std::minmax_element(pb, pb + 784);
    for (std::size_t k = 0; k < 784; ++k) {
      ASSERT_NEAR(pa[k], (pb[k] - *lo) / (*hi - *lo), 1e-5) << "record " << r << " pixel " << k;
    }
  }
}

// ECG windows cut from the real MIT-BIH record 208 (360 Hz, raw ADC, mV = (v - 1024) / 200) and
// written as WFDB records, one per row; labels alternate. Returns the manifest.
fs::path ecg_manifest(const fs::path& dir, std::size_t records, std::size_t window,
                      std::size_t step) {
  std::ifstream in(fs::path(PRIVAUDIT_TEST_DATA_DIR) / "ecg" / "ecg_scipy_mitbih208.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::int32_t> samples;
  while (std::getline(in, line)) samples.push_back(std::stoi(line));
  fs::create_directories(dir / "wfdb");
  std::string manifest = "path,label,patient\n";
  for (std::size_t r = 0; r < records; ++r) {
    ecg::WfdbSignals signals;
    signals.sampling_rate_hz = 360.0;
    signals.samples = window;
    ecg::WfdbSignal lead;
    lead.format = ecg::WfdbFormat::k212;
    lead.gain = 200.0;
    lead.baseline = 1024;
    lead.adc_zero = 1024;
    lead.description = "MLII";
    signals.signals = {lead};
    signals.digital.assign(samples.begin() + static_cast<std::ptrdiff_t>(r * step),
                           samples.begin() + static_cast<std::ptrdiff_t>(r * step + window));
    const std::string name = "rec" + std::to_string(r);
    ecg::write_wfdb(dir / "wfdb" / (name + ".hea"), signals);
    manifest += "wfdb/" + name + "," + std::to_string(r % 2) + ",p" + std::to_string(r / 2) + "\n";
  }
  write_file_atomic(dir / "manifest.csv", manifest);
  return dir / "manifest.csv";
}

TEST(EcgAudit, WfdbEndToEnd) {
  const TempDir dir("ecg-audit");
  const fs::path manifest = ecg_manifest(dir.path() / "data", 160, 720, 600);
  const fs::path run = dir.path() / "run";
  const CliResult result = run_privaudit(audit_args(
      run, manifest,
      {"--modality", "ecg", "--ecg-rate", "100", "--ecg-samples", "200", "--model", "cnn",
       "--patient-id", "patient"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const NpyArray media = read_npy(run / "media.npy");
  EXPECT_EQ(media.shape, (std::vector<std::size_t>{160, 1, 1, 200}));
  // z-scored per lead: each record's mean is about 0.
  const auto values = media.as<float>();
  double mean = 0.0;
  for (std::size_t k = 0; k < 200; ++k) mean += values[k];
  EXPECT_NEAR(mean / 200.0, 0.0, 1e-4);
  EXPECT_TRUE(fs::exists(run / "report.html"));
}

// Bad manifests: exit 65, the manifest line and file in the message, no run folder.
class BadManifest : public ::testing::Test {
 protected:
  TempDir dir_{"bad-manifest"};
  fs::path data() const { return dir_.path() / "data"; }
  fs::path run() const { return dir_.path() / "run"; }
  void SetUp() override {
    fs::create_directories(data() / "images");
    image::Image picture;
    picture.channels = 1;
    picture.height = 8;
    picture.width = 8;
    picture.values.assign(64, 0.5f);
    for (int i = 0; i < 12; ++i) {
      image::write_png(data() / "images" / (std::to_string(i) + ".png"), picture);
    }
  }
  // A manifest of the 12 good images with line 7 (the 6th record) replaced by `entry`.
  fs::path manifest_with(const std::string& entry) const {
    std::string text = "path,label\n";
    for (int i = 0; i < 12; ++i) {
      text += (i == 5 ? entry : "images/" + std::to_string(i) + ".png") + "," +
              std::to_string(i % 2) + "\n";
    }
    write_file_atomic(data() / "manifest.csv", text);
    return data() / "manifest.csv";
  }
  void expect_rejected(const fs::path& manifest, const std::vector<std::string>& extra,
                       const std::vector<std::string>& parts) const {
    std::vector<std::string> args = {"plan", run().string(), "--input", manifest.string(),
                                     "--label", "label", "--models", "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliResult result = run_privaudit(args);
    EXPECT_EQ(result.exit_code, kInput) << result.err;
    for (const std::string& part : parts) expect_contains(result.err, part);
    EXPECT_FALSE(fs::exists(run()));
  }
};

TEST_F(BadManifest, PathEscapingRoot) {
  write_file_atomic(dir_.path() / "outside.png", "x");
  expect_rejected(manifest_with("../outside.png"), {"--modality", "image"},
                  {"line 7", "'../outside.png'", "outside --data-root"});
}

TEST_F(BadManifest, MissingFile) {
  expect_rejected(manifest_with("images/nope.png"), {"--modality", "image"},
                  {"line 7", "'images/nope.png' was not found"});
}

TEST_F(BadManifest, CorruptPng) {
  write_file_atomic(data() / "images" / "bad.png",
                    std::string("\x89PNG\r\n\x1a\n", 8) + std::string(40, 'x'));
  expect_rejected(manifest_with("images/bad.png"), {"--modality", "image"},
                  {"line 7", "images/bad.png"});
}

TEST_F(BadManifest, TruncatedDicom) {
  fs::copy_file(fs::path(PRIVAUDIT_TEST_DATA_DIR) / "dicom" / "MR_truncated.dcm",
                data() / "images" / "t.dcm");
  expect_rejected(manifest_with("images/t.dcm"), {"--modality", "image"},
                  {"line 7", "images/t.dcm", "truncated"});
}

TEST_F(BadManifest, EcgShorterThanLength) {
  const fs::path manifest = ecg_manifest(data(), 12, 720, 600);
  expect_rejected(manifest,
                  {"--modality", "ecg", "--ecg-rate", "100", "--ecg-samples", "1000"},
                  {"line 2", "wfdb/rec0", "1000"});
}

TEST_F(BadManifest, EcgLeadCountDiffers) {
  const fs::path manifest = ecg_manifest(data(), 12, 720, 600);
  // Record 5 (manifest line 7) gets a second lead.
  ecg::WfdbSignals signals = ecg::read_wfdb_digital(data() / "wfdb" / "rec5.hea");
  signals.signals.push_back(signals.signals.front());
  std::vector<std::int32_t> two(signals.digital);
  two.insert(two.end(), signals.digital.begin(), signals.digital.end());
  signals.digital = two;
  ecg::write_wfdb(data() / "wfdb" / "rec5.hea", signals);
  expect_rejected(manifest, {"--modality", "ecg", "--ecg-rate", "100", "--ecg-samples", "200"},
                  {"line 7", "wfdb/rec5", "2 leads"});
}

TEST_F(BadManifest, UnsupportedWfdbFormat) {
  const fs::path manifest = ecg_manifest(data(), 12, 720, 600);
  std::string header = read_file(data() / "wfdb" / "rec5.hea");
  const auto at = header.find(" 212");
  ASSERT_NE(at, std::string::npos);
  header.replace(at, 4, " 310");
  write_file_atomic(data() / "wfdb" / "rec5.hea", header);
  expect_rejected(manifest, {"--modality", "ecg", "--ecg-rate", "100", "--ecg-samples", "200"},
                  {"line 7", "wfdb/rec5", "310"});
}

// --gallery is opt-in because it shows patient data: without it no image reaches summary.json or
// report.html, with it both carry the exposed patients' images. A table run rejects it, given on
// the command line or as `gallery = true` in a config file.
TEST(ImageAudit, GalleryOptIn) {
  const TempDir dir("image-gallery");
  const fs::path manifest = fashion_manifest(dir.path() / "data", 400);
  const fs::path run = dir.path() / "run";
  const std::vector<std::string> analysis = {"--targets", "2", "--rmia-population", "200"};
  std::vector<std::string> plain = {"audit", run.string(), "--input", manifest.string(), "--label", "label",
                                    "--modality", "image", "--image-size", "28", "--model", "cnn",
                                    "--models", "8", "--epochs", "1", "--batch-size", "64", "--lr", "0.003",
                                    "--threads", "2", "--seed", "3"};
  plain.insert(plain.end(), analysis.begin(), analysis.end());
  const CliResult first = run_privaudit(plain);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(read_file(run / "summary.json").find("data:image/png"), std::string::npos);
  EXPECT_EQ(read_file(run / "report.html").find("data:image/png"), std::string::npos);
  EXPECT_EQ(read_file(run / "report.html").find("id=\"gallery\""), std::string::npos);
  const nlohmann::json before = read_json(run / "summary.json");
  EXPECT_EQ(before.at("config").at("analysis").at("gallery"), false);
  EXPECT_FALSE(before.contains("gallery"));

  // The same trained run again with --gallery: only analyze and report run.
  std::vector<std::string> with_gallery = {"audit", run.string(), "--gallery"};
  with_gallery.insert(with_gallery.end(), analysis.begin(), analysis.end());
  const CliResult second = run_privaudit(with_gallery);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const nlohmann::json summary = read_json(run / "summary.json");
  EXPECT_EQ(summary.at("config").at("analysis").at("gallery"), true);
  const nlohmann::json& gallery = summary.at("gallery");
  EXPECT_EQ(gallery.at("modality"), "image");
  EXPECT_EQ(gallery.at("image").at("width"), 28);
  const nlohmann::json& exposed = summary.at("exposed_patients");
  ASSERT_FALSE(exposed.empty());
  ASSERT_EQ(gallery.at("patients").size(), std::min<std::size_t>(exposed.size(), 50));
  for (std::size_t k = 0; k < gallery.at("patients").size(); ++k) {
    const nlohmann::json& patient = gallery.at("patients")[k];
    EXPECT_EQ(patient.at("id"), exposed[k].at("id")) << k;
    ASSERT_FALSE(patient.at("records").empty()) << k;
    EXPECT_LE(patient.at("records").size(), 4u) << k;
    const std::string uri = patient.at("records")[0].at("image").get<std::string>();
    EXPECT_EQ(uri.rfind("data:image/png;base64,", 0), 0u) << k;
  }
  const std::string report = read_file(run / "report.html");
  expect_contains(report, "<section id=\"gallery\">");
  expect_contains(report, "<img src=\"data:image/png;base64,");
  expect_contains(report, "This section shows patient data.");

  // A table run has no images: --gallery is an invalid option there (exit 64).
  const fs::path table_run = dir.path() / "table";
  const CliResult table = run_privaudit({"audit", table_run.string(), "--config", "configs/nmes1988.toml",
                                         "--models", "8", "--epochs", "1", "--targets", "2",
                                         "--rmia-population", "500", "--gallery", "--log-level", "warn"});
  EXPECT_EQ(table.exit_code, 64) << table.err;
  expect_contains(table.err, "--gallery is for ECG and image audits");
  // Rejected before the plan, so no run folder at all.
  EXPECT_FALSE(fs::exists(table_run));

  // A trained table run for the config-file checks below.
  const CliResult trained = run_privaudit({"audit", table_run.string(), "--config",
                                           "configs/nmes1988.toml", "--models", "8", "--epochs",
                                           "1", "--targets", "2", "--rmia-population", "500",
                                           "--log-level", "warn"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;

  // The switch from a config file: true is rejected the same way, false analyses the run, and a
  // value that is not a boolean is an error naming the key.
  const fs::path on = dir.path() / "gallery_on.toml";
  const fs::path off = dir.path() / "gallery_off.toml";
  const fs::path bad = dir.path() / "gallery_bad.toml";
  write_file_atomic(on, "[analysis]\ngallery = true\ntargets = 2\nrmia-population = 500\n");
  write_file_atomic(off, "[analysis]\ngallery = false\ntargets = 2\nrmia-population = 500\n");
  write_file_atomic(bad, "[analysis]\ngallery = \"yes\"\ntargets = 2\n");
  const CliResult config_on = run_privaudit({"analyze", table_run.string(), "--config", on.string()});
  EXPECT_EQ(config_on.exit_code, 64) << config_on.err;
  expect_contains(config_on.err, "--gallery is for ECG and image audits");
  const CliResult config_bad = run_privaudit({"analyze", table_run.string(), "--config", bad.string()});
  EXPECT_EQ(config_bad.exit_code, 64) << config_bad.err;
  expect_contains(config_bad.err, "key 'gallery' is a switch");
  const CliResult config_off = run_privaudit({"analyze", table_run.string(), "--config", off.string()});
  ASSERT_EQ(config_off.exit_code, 0) << config_off.err;
  const nlohmann::json table_summary = read_json(table_run / "summary.json");
  EXPECT_EQ(table_summary.at("config").at("analysis").at("gallery"), false);
  EXPECT_FALSE(table_summary.contains("gallery"));
}

}  // namespace
}  // namespace privaudit::testing
