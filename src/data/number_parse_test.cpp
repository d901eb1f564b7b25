#include "data/number_parse.h"

#include <cmath>

#include <gtest/gtest.h>

namespace privaudit::data {
namespace {

TEST(ParseNumber, Finite) {
  struct Case {
    const char* text;
    double expected;
  };
  for (const Case& c :
       {Case{"0", 0.0}, Case{"-3", -3.0}, Case{"2.5", 2.5}, Case{".5", 0.5}, Case{"5.", 5.0},
        Case{"1e3", 1000.0}, Case{"-1.5E-2", -0.015}, Case{"+7", 7.0}, Case{"+.25", 0.25},
        Case{" 4 ", 4.0}, Case{"\t8", 8.0}, Case{"4e-320", 4e-320}}) {
    SCOPED_TRACE(c.text);
    const ParsedNumber parsed = parse_number(c.text);
    EXPECT_EQ(parsed.status, NumberStatus::finite);
    EXPECT_EQ(parsed.value, c.expected);
  }
}

TEST(ParseNumber, NonFinite) {
  for (const char* text : {"nan", "NaN", "-nan", "inf", "-Infinity", "INF", "+inf"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(parse_number(text).status, NumberStatus::non_finite);
  }
}

TEST(ParseNumber, OutOfRange) {
  EXPECT_EQ(parse_number("1e400").status, NumberStatus::out_of_range);
  EXPECT_EQ(parse_number("-1e400").status, NumberStatus::out_of_range);
  EXPECT_EQ(parse_number("1e-400").status, NumberStatus::out_of_range);
}

TEST(ParseNumber, NotANumber) {
  for (const char* text : {"", " ", "abc", "1,5", "0x1A", "1.5e", "e5", "+", "+-5", "1 2", "5%",
                           "NA", ".", "--1", "1_000", "+ 5", "++5"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(parse_number(text).status, NumberStatus::not_a_number);
  }
}

}  // namespace
}  // namespace privaudit::data
