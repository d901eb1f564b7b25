#include "run/csv_writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace privaudit::run {
namespace {

TEST(CsvWriter, QuotesSpecialCharacters) {
  CsvWriter csv;
  csv.text("plain").text("a,b").text("say \"hi\"").text("two\nlines");
  csv.end_row();
  EXPECT_EQ(csv.str(), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
}

TEST(CsvWriter, NeutralisesFormulas) {
  CsvWriter csv;
  csv.text("=HYPERLINK(\"x\")").text("+1").text("@SUM(A1)").text("-x").text("-12");
  csv.end_row();
  EXPECT_EQ(csv.str(), "\"'=HYPERLINK(\"\"x\"\")\",'+1,'@SUM(A1),'-x,-12\n");
}

TEST(CsvWriter, NumbersAndMissing) {
  CsvWriter csv;
  csv.number(0.123456789012).number(std::nan("")).number(INFINITY).integer(-4).number(1.0);
  csv.end_row();
  EXPECT_EQ(csv.str(), "0.123456789,,,-4,1\n");
}

}  // namespace
}  // namespace privaudit::run
