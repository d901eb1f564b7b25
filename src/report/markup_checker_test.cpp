// The well-formedness checker is itself tested, so that a passing chart or report test means
// something.
#include "report/markup_checker.h"

#include <gtest/gtest.h>

namespace privaudit::report::testing {
namespace {

bool ok_xml(const char* text) { return check_markup(text, MarkupDialect::xml).empty(); }
bool ok_html(const char* text) { return check_markup(text, MarkupDialect::html).empty(); }

TEST(MarkupChecker, AcceptsNestedXml) {
  EXPECT_TRUE(ok_xml("<svg a=\"1\" b='2'><g><title>x &amp; y &#39; &#x3C;</title></g><rect/></svg>"));
}

TEST(MarkupChecker, RejectsMismatchedTags) {
  EXPECT_FALSE(ok_xml("<svg><g></svg></g>"));
  EXPECT_FALSE(ok_xml("<svg><g>"));
  EXPECT_FALSE(ok_xml("<svg></svg></g>"));
}

TEST(MarkupChecker, RejectsRawSpecialCharacters) {
  EXPECT_FALSE(ok_xml("<t>a < b</t>"));
  EXPECT_FALSE(ok_xml("<t>a & b</t>"));
  EXPECT_FALSE(ok_xml("<t a=\"<\"/>"));
  EXPECT_FALSE(ok_xml("<t>&nbsp;</t>"));
}

TEST(MarkupChecker, RejectsBadAttributes) {
  EXPECT_FALSE(ok_xml("<t a=1/>"));
  EXPECT_FALSE(ok_xml("<t a=\"1\" a=\"2\"/>"));
  EXPECT_FALSE(ok_xml("<t a=\"1\"b=\"2\"/>"));
  EXPECT_FALSE(ok_xml("<t a/>"));
}

TEST(MarkupChecker, RejectsTwoRootsAndStrayText) {
  EXPECT_FALSE(ok_xml("<a/><b/>"));
  EXPECT_FALSE(ok_xml("text<a/>"));
  EXPECT_FALSE(ok_xml(""));
}

TEST(MarkupChecker, HtmlVoidElementsAndRawText) {
  EXPECT_TRUE(ok_html("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>a > b {}</style></head>"
                      "<body><br><script>if (a < b && c) {}</script></body></html>"));
  EXPECT_FALSE(ok_xml("<html><meta charset=\"utf-8\"></html>"));
  EXPECT_FALSE(ok_html("<html><script>never closed</html>"));
}

}  // namespace
}  // namespace privaudit::report::testing
