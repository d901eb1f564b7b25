#include "report/markup.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

namespace privaudit::report {
namespace {

TEST(EscapeXml, SpecialCharacters) {
  EXPECT_EQ(escape_xml("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
}

TEST(EscapeXml, KeepsValidUtf8) {
  EXPECT_EQ(escape_xml("Müller 10⁻⁴ ±"), "Müller 10⁻⁴ ±");
  EXPECT_EQ(escape_xml("tab\there\nline"), "tab\there\nline");
}

TEST(EscapeXml, ReplacesInvalidUtf8) {
  // A lone continuation byte, a truncated two-byte sequence and an overlong '/' (C0 AF).
  EXPECT_EQ(escape_xml("a\x80z"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(escape_xml("a\xC3"), "a\xEF\xBF\xBD");
  EXPECT_EQ(escape_xml("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(EscapeXml, ReplacesSurrogatesAndControls) {
  EXPECT_EQ(escape_xml("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // U+D800
  EXPECT_EQ(escape_xml(std::string("a\0b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(escape_xml("\x1B[31m"), "\xEF\xBF\xBD[31m");
}

TEST(EscapeXml, Empty) { EXPECT_EQ(escape_xml(""), ""); }

TEST(FormatCoordinate, TrimsZeros) {
  EXPECT_EQ(format_coordinate(12.5), "12.5");
  EXPECT_EQ(format_coordinate(3.0), "3");
  EXPECT_EQ(format_coordinate(0.004), "0");
  EXPECT_EQ(format_coordinate(-0.001), "0");
  EXPECT_EQ(format_coordinate(-7.256), "-7.26");
  EXPECT_EQ(format_coordinate(std::nan("")), "0");
}

TEST(FormatSignificant, Cases) {
  EXPECT_EQ(format_significant(0.0231456), "0.02315");
  EXPECT_EQ(format_significant(1.2e-5, 2), "1.2e-05");
  EXPECT_EQ(format_significant(3745.0), "3745");
  EXPECT_EQ(format_significant(0.0), "0");
  EXPECT_EQ(format_significant(std::nan("")), "n/a");
  EXPECT_EQ(format_significant(-INFINITY), "-inf");
}

TEST(FormatDataValue, WholeNumbersInFull) {
  EXPECT_EQ(format_data_value(24577.0), "24577");
  EXPECT_EQ(format_data_value(-1000000.0), "-1000000");
  EXPECT_EQ(format_data_value(-0.0), "0");
  EXPECT_EQ(format_data_value(1.0), "1");
}

TEST(FormatDataValue, OtherValuesSignificant) {
  EXPECT_EQ(format_data_value(0.0231456), "0.02315");
  EXPECT_EQ(format_data_value(12345.6), "1.235e+04");
  EXPECT_EQ(format_data_value(1e20), "1e+20");
  EXPECT_EQ(format_data_value(std::nan("")), "n/a");
  EXPECT_EQ(format_data_value(INFINITY), "inf");
}

}  // namespace
}  // namespace privaudit::report
