#include "core/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.h"

namespace privaudit {
namespace {

namespace fs = std::filesystem;

fs::path fresh_folder(const std::string& name) {
  const fs::path folder = fs::temp_directory_path() / ("privaudit_core_" + name + "_" +
                                                       std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

TEST(AtomicFile, CommitWritesTarget) {
  const fs::path folder = fresh_folder("commit");
  write_file_atomic(folder / "a.txt", "hello");
  EXPECT_EQ(read_file(folder / "a.txt"), "hello");
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
}

TEST(AtomicFile, NoCommitLeavesNothing) {
  const fs::path folder = fresh_folder("abandon");
  {
    AtomicFile file(folder / "b.txt");
    file.write("partial");
  }
  EXPECT_FALSE(fs::exists(folder / "b.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 0);
}

TEST(AtomicFile, ReplacesOldContentWhole) {
  const fs::path folder = fresh_folder("replace");
  write_file_atomic(folder / "c.txt", "old old old");
  write_file_atomic(folder / "c.txt", "new");
  EXPECT_EQ(read_file(folder / "c.txt"), "new");
}

TEST(AtomicFile, MissingFolderIsIoError) {
  EXPECT_THROW(write_file_atomic("/nonexistent-privaudit/x.txt", "x"), IoError);
}

TEST(ReadFile, MissingFileNamesPath) {
  try {
    read_file("/nonexistent-privaudit/y.txt");
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent-privaudit/y.txt"), std::string::npos);
  }
}

}  // namespace
}  // namespace privaudit
