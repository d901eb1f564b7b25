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

TEST(HmacSha256, Rfc4231TestCase2) {
  // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Sha256, MissingFileIsIoError) {
  EXPECT_THROW(sha256_file("/nonexistent-privaudit/z"), IoError);
}

}  // namespace
}  // namespace privaudit
