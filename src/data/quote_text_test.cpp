#include "data/quote_text.h"

#include <gtest/gtest.h>

namespace privaudit::data {
namespace {

TEST(QuoteText, PlainText) {
  EXPECT_EQ(quote_text("west"), "'west'");
  EXPECT_EQ(quote_text(""), "''");
}

TEST(QuoteText, EscapesControlCharacters) {
  EXPECT_EQ(quote_text("a\nb\r\tc"), "'a\\nb\\r\\tc'");
  EXPECT_EQ(quote_text("\x1B[31mred"), "'\\x1B[31mred'");
  EXPECT_EQ(quote_text(std::string_view("x\0y", 3)), "'x\\x00y'");
  EXPECT_EQ(quote_text("del\x7F"), "'del\\x7F'");
}

TEST(QuoteText, TruncatesAtCharacterBoundary) {
  EXPECT_EQ(quote_text("abcdef", 3), "'abc...'");
  EXPECT_EQ(quote_text("abc", 3), "'abc'");
  // Three two-byte characters cut after two: no half character remains.
  EXPECT_EQ(quote_text("\xC3\xBC\xC3\xBC\xC3\xBC", 2), "'\xC3\xBC\xC3\xBC...'");
}

}  // namespace
}  // namespace privaudit::data
