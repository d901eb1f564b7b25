#include "media/media_table.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/atomic_file.h"
#include "core/error.h"

namespace privaudit::media {
namespace {

namespace fs = std::filesystem;

// A data root with one file inside, one file beside it and a symbolic link pointing out.
class DataRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("privaudit-media-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "data" / "sub");
    fs::create_directories(base_ / "data2");
    write_file_atomic(base_ / "data" / "sub" / "a.png", "x");
    write_file_atomic(base_ / "data" / "rec.hea", "x");
    write_file_atomic(base_ / "data2" / "b.png", "x");
    write_file_atomic(base_ / "outside.png", "x");
    fs::create_symlink(base_ / "outside.png", base_ / "data" / "link.png");
    root_ = fs::canonical(base_ / "data");
  }
  void TearDown() override { fs::remove_all(base_); }

  std::string message(const std::string& entry) const {
    try {
      resolve_in_root(root_, entry, "m.csv", 7);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path base_;
  fs::path root_;
};

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "expected '" << part << "' in: " << text;
}

TEST_F(DataRoot, ResolvesInsideRoot) {
  EXPECT_EQ(resolve_in_root(root_, "sub/a.png", "m.csv", 2), root_ / "sub" / "a.png");
  EXPECT_EQ(resolve_in_root(root_, "sub/../sub/a.png", "m.csv", 2), root_ / "sub" / "a.png");
}

TEST_F(DataRoot, WfdbRecordWithoutExtension) {
  EXPECT_EQ(resolve_in_root(root_, "rec", "m.csv", 2), root_ / "rec.hea");
}

TEST_F(DataRoot, RejectsEscapes) {
  const std::string dotdot = message("../outside.png");
  expect_contains(dotdot, "manifest 'm.csv', line 7");
  expect_contains(dotdot, "outside --data-root");
  // A sibling folder whose name starts like the root's is still outside.
  expect_contains(message("../data2/b.png"), "outside --data-root");
  expect_contains(message("link.png"), "outside --data-root");
  expect_contains(message((base_ / "outside.png").string()), "absolute path");
}

TEST_F(DataRoot, MissingFileNamed) {
  const std::string text = message("sub/nope.png");
  expect_contains(text, "line 7");
  expect_contains(text, "'sub/nope.png' was not found");
}

TEST_F(DataRoot, DataRootDefaultsToManifestFolder) {
  MediaOptions options;
  EXPECT_EQ(data_root(options, base_ / "data" / "manifest.csv"), root_);
  options.data_root = (base_ / "data2").string();
  EXPECT_EQ(data_root(options, base_ / "data" / "manifest.csv"), fs::canonical(base_ / "data2"));
  options.data_root = (base_ / "missing").string();
  EXPECT_THROW(data_root(options, base_ / "data" / "manifest.csv"), UsageError);
}

TEST(MediaOptions, RejectsOutOfRange) {
  MediaOptions options;
  options.image_size = 4;
  EXPECT_THROW(options.validate(), UsageError);
  options = MediaOptions{};
  options.ecg_rate_hz = 0;
  EXPECT_THROW(options.validate(), UsageError);
  options = MediaOptions{};
  options.ecg_samples = 8;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(MediaOptions, JsonRoundTrip) {
  MediaOptions options;
  options.modality = MediaOptions::Modality::kEcg;
  options.ecg_rate_hz = 250;
  options.npy_layout = MediaOptions::NpyLayout::kLeadsSamples;
  options.channels = MediaOptions::Channels::kRgb;
  const MediaOptions back = MediaOptions::from_json(options.to_json());
  EXPECT_EQ(back.to_json(), options.to_json());
  EXPECT_THROW(parse_modality("video"), UsageError);
}

}  // namespace
}  // namespace privaudit::media
