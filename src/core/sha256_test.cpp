#include "core/sha256.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/error.h"

namespace privaudit {
namespace {

TEST(Sha256, KnownVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256_text(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_text("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, FileMatchesText) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("privaudit_sha_" + std::to_string(::getpid()));
  write_file_atomic(path, "abc");
  EXPECT_EQ(sha256_file(path), sha256_text("abc"));
}

TEST(Sha256, MissingFileIsIoError) {
  EXPECT_THROW(sha256_file("/nonexistent-privaudit/z"), IoError);
}

}  // namespace
}  // namespace privaudit
