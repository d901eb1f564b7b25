#include "data/column_lookup.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "data/test_files.h"

namespace privaudit::data {
namespace {

using testing::expect_error;

const std::vector<std::string> kHeader = {"visits",   "hospital",        "age", "Gender", "income",
                                          "employed", "household_income"};

TEST(SimilarColumnNames, Typo) {
  EXPECT_EQ(similar_column_names(kHeader, "hospitl"), (std::vector<std::string>{"hospital"}));
}

TEST(SimilarColumnNames, CaseOnly) {
  EXPECT_EQ(similar_column_names(kHeader, "gender"), (std::vector<std::string>{"Gender"}));
}

TEST(SimilarColumnNames, ClosestFirst) {
  // "income" matches "Income" ignoring case, and "household_income" contains it.
  EXPECT_EQ(similar_column_names(kHeader, "Income"),
            (std::vector<std::string>{"income", "household_income"}));
}

TEST(SimilarColumnNames, NoneClose) {
  EXPECT_TRUE(similar_column_names(kHeader, "zzzzzzzz").empty());
}

TEST(SimilarColumnNames, LimitsCount) {
  const std::vector<std::string> header = {"a1", "a2", "a3", "a4"};
  EXPECT_EQ(similar_column_names(header, "a", 2), (std::vector<std::string>{"a1", "a2"}));
}

TEST(ResolveColumn, Found) {
  CsvTable table;
  table.header = kHeader;
  EXPECT_EQ(resolve_column(table, "age", "--label"), 2u);
}

TEST(ResolveColumn, UnknownWithSuggestion) {
  CsvTable table;
  table.path = "nmes.csv";
  table.header = kHeader;
  expect_error<InputError>([&] { resolve_column(table, "hospitl", "--label"); },
                           {"'nmes.csv'", "no column 'hospitl'", "--label",
                            "Did you mean 'hospital'?", "7 columns: 'visits', 'hospital'"});
}

TEST(ResolveColumn, UnknownListsColumns) {
  CsvTable table;
  table.path = "wide.csv";
  for (int i = 0; i < 40; ++i) {
    table.header.push_back(fmt::format("column{}", i));
  }
  try {
    resolve_column(table, "zzzzzzzzzzzz", "--features");
    ADD_FAILURE() << "did not throw";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find("Did you mean"), std::string::npos) << message;
    EXPECT_NE(message.find("40 columns: 'column0', 'column1'"), std::string::npos) << message;
    EXPECT_NE(message.find("'column29', ..."), std::string::npos) << message;
    EXPECT_EQ(message.find("column30"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace privaudit::data
