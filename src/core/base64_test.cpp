#include "core/base64.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace privaudit {
namespace {

TEST(Base64, Rfc4648Vectors) {
  // RFC 4648, section 10 (test vectors).
  EXPECT_EQ(base64_encode(std::string_view("")), "");
  EXPECT_EQ(base64_encode(std::string_view("f")), "Zg==");
  EXPECT_EQ(base64_encode(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(std::string_view("foob")), "Zm9vYg==");
  EXPECT_EQ(base64_encode(std::string_view("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(std::string_view("foobar")), "Zm9vYmFy");
}

TEST(Base64, LastTwoDigitsOfAlphabet) {
  // 0xFB 0xFF is 111110 111111 1111(00): digits 62 '+', 63 '/' and 60 '8'.
  const std::vector<std::uint8_t> bytes = {0xFB, 0xFF};
  EXPECT_EQ(base64_encode(bytes), "+/8=");
}

TEST(Base64, AllZeroAndAllOneBits) {
  EXPECT_EQ(base64_encode(std::vector<std::uint8_t>{0x00, 0x00, 0x00}), "AAAA");
  EXPECT_EQ(base64_encode(std::vector<std::uint8_t>{0xFF, 0xFF, 0xFF}), "////");
}

TEST(Base64, EmbeddedNulByte) {
  const std::string text("a\0b", 3);
  EXPECT_EQ(base64_encode(text), "YQBi");
}

TEST(Base64, EveryByteValue) {
  // Python 3.11 base64.b64encode(bytes(range(256))).
  std::vector<std::uint8_t> bytes(256);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  const std::string encoded = base64_encode(bytes);
  EXPECT_EQ(encoded.size(), 344u);
  EXPECT_EQ(encoded,
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9Q"
            "UVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6Ch"
            "oqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy"
            "8/T19vf4+fr7/P3+/w==");
}

}  // namespace
}  // namespace privaudit
