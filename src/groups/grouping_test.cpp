#include "groups/grouping.h"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::groups {
namespace {

using Values = std::vector<std::optional<std::string>>;

Values from_numbers(const std::vector<double>& numbers) {
  Values values;
  for (const double number : numbers) {
    values.emplace_back(fmt::format("{}", number));
  }
  return values;
}

TEST(Grouping, CategoricalSortedByText) {
  const Values values = {"white", "black", "asian", "black", "white"};
  const Grouping grouping = make_grouping("race", values, {});
  EXPECT_EQ(grouping.attribute, "race");
  EXPECT_FALSE(grouping.numeric);
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"asian", "black", "white"}));
  EXPECT_EQ(grouping.group_of_unit, (std::vector<std::int32_t>{2, 1, 0, 1, 2}));
}

TEST(Grouping, ByteOrderPutsUpperCaseFirst) {
  const Values values = {"b", "B", "a"};
  const Grouping grouping = make_grouping("x", values, {});
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"B", "a", "b"}));
}

TEST(Grouping, NumericLevelsSortedByValue) {
  // Lexical order would put "10" before "2".
  const Values values = {"10", "2", "-1", "2", "10"};
  const Grouping grouping = make_grouping("score", values, {});
  EXPECT_FALSE(grouping.numeric);
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"-1", "2", "10"}));
  EXPECT_EQ(grouping.group_of_unit, (std::vector<std::int32_t>{2, 1, 0, 1, 2}));
}

TEST(Grouping, FlagStaysCategorical) {
  const Values values = {"0", "1", "1", "0"};
  const Grouping grouping = make_grouping("female", values, {});
  EXPECT_FALSE(grouping.numeric);
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"0", "1"}));
}

TEST(Grouping, MixedTextIsCategorical) {
  // One non-number makes the whole attribute categorical and lexically sorted.
  const Values values = {"10", "2", "unknown"};
  const Grouping grouping = make_grouping("x", values, {});
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"10", "2", "unknown"}));
}

TEST(Grouping, MissingGroupLast) {
  const Values values = {"b", std::nullopt, "a"};
  const Grouping grouping = make_grouping("x", values, {});
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"a", "b", "(missing)"}));
  EXPECT_EQ(grouping.group_of_unit, (std::vector<std::int32_t>{1, 2, 0}));
}

TEST(Grouping, AllMissing) {
  const Values values = {std::nullopt, std::nullopt};
  const Grouping grouping = make_grouping("x", values, {});
  EXPECT_FALSE(grouping.numeric);
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"(missing)"}));
  EXPECT_EQ(grouping.group_of_unit, (std::vector<std::int32_t>{0, 0}));
}

TEST(Grouping, Empty) {
  const Grouping grouping = make_grouping("x", {}, {});
  EXPECT_TRUE(grouping.group_names.empty());
  EXPECT_TRUE(grouping.group_of_unit.empty());
}

TEST(Grouping, ReservedValueThrows) {
  const Values values = {"a", "(missing)"};
  EXPECT_THROW(make_grouping("x", values, {}), InputError);
}

// Reference values: numpy 1.24.2 numpy.quantile(values, numpy.linspace(0, 1, 5)) gives the edges
// 6.6, 7.1, 7.4, 8.125, 10.9, and numpy.searchsorted(edges, values, side="right") - 1, capped at
// 3, gives the bins.
TEST(Grouping, QuantileBins) {
  const Values values =
      from_numbers({6.6, 7.0, 7.1, 7.1, 7.3, 7.5, 7.9, 8.2, 9.4, 10.9, 6.8, 7.7, 8.8, 7.2});
  const Grouping grouping = make_grouping("lab", values, {});
  EXPECT_TRUE(grouping.numeric);
  EXPECT_EQ(grouping.group_names,
            (std::vector<std::string>{"< 7.1", "[7.1, 7.4)", "[7.4, 8.12)", ">= 8.12"}));
  EXPECT_EQ(grouping.group_of_unit,
            (std::vector<std::int32_t>{0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 0, 2, 3, 1}));
}

// Reference values: numpy 1.24.2 numpy.quantile gives the edges 0, 0, 0, 3.25, 8, which merge to
// 0, 3.25, 8.
TEST(Grouping, TiedEdgesMerge) {
  std::vector<double> numbers(12, 0.0);
  for (int v = 1; v <= 8; ++v) {
    numbers.push_back(v);
  }
  GroupingOptions options;
  options.max_categorical_levels = 5;
  const Grouping grouping = make_grouping("visits", from_numbers(numbers), options);
  EXPECT_TRUE(grouping.numeric);
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"< 3.25", ">= 3.25"}));
  for (std::size_t unit = 0; unit < 15; ++unit) {
    EXPECT_EQ(grouping.group_of_unit[unit], 0) << "unit " << unit;
  }
  for (std::size_t unit = 15; unit < 20; ++unit) {
    EXPECT_EQ(grouping.group_of_unit[unit], 1) << "unit " << unit;
  }
}

// Reference values: numpy 1.24.2 numpy.quantile gives the edges 0, 0.75, 2, 3, 5, and no value
// lies in [2, 3).
TEST(Grouping, EmptyBinDropped) {
  const Values values = from_numbers({0, 0, 0, 1, 1, 1, 3, 3, 3, 3, 4, 5});
  GroupingOptions options;
  options.max_categorical_levels = 4;
  const Grouping grouping = make_grouping("x", values, options);
  EXPECT_EQ(grouping.group_names,
            (std::vector<std::string>{"< 0.75", "[0.75, 2)", ">= 3"}));
  EXPECT_EQ(grouping.group_of_unit,
            (std::vector<std::int32_t>{0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2}));
}

TEST(Grouping, MoreDigitsWhenEdgesCollide) {
  // Edges 7.1049, 7.1050 and 7.1051 print alike at 3 and 4 significant digits.
  const Values values = from_numbers({7.1049, 7.1050, 7.1051});
  GroupingOptions options;
  options.numeric_bins = 2;
  options.max_categorical_levels = 2;
  const Grouping grouping = make_grouping("x", values, options);
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"< 7.105", ">= 7.105"}));
}

TEST(Grouping, LargeEdgesKeepIntegerDigits) {
  const Values values = from_numbers({1000, 2000, 123456, 5000});
  GroupingOptions options;
  options.numeric_bins = 2;
  options.max_categorical_levels = 3;
  const Grouping grouping = make_grouping("income", values, options);
  // numpy.quantile(values, 0.5) = 3500.
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"< 3500", ">= 3500"}));
}

TEST(Grouping, NumericWithMissing) {
  Values values = from_numbers({1, 2, 3, 4});
  values.insert(values.begin() + 1, std::nullopt);
  GroupingOptions options;
  options.numeric_bins = 2;
  options.max_categorical_levels = 3;
  const Grouping grouping = make_grouping("age", values, options);
  EXPECT_TRUE(grouping.numeric);
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"< 2.5", ">= 2.5", "(missing)"}));
  EXPECT_EQ(grouping.group_of_unit, (std::vector<std::int32_t>{0, 2, 0, 1, 1}));
}

TEST(Grouping, SingleValueBinned) {
  const Values values = {"5", "5.0", " 5"};
  GroupingOptions options;
  options.max_categorical_levels = 0;
  const Grouping grouping = make_grouping("x", values, options);
  EXPECT_TRUE(grouping.numeric);
  EXPECT_EQ(grouping.group_names, (std::vector<std::string>{"all values"}));
  EXPECT_EQ(grouping.group_of_unit, (std::vector<std::int32_t>{0, 0, 0}));
}

TEST(GroupingOptions, TooFewBinsThrows) {
  GroupingOptions options;
  options.numeric_bins = 1;
  EXPECT_THROW(options.validate(), UsageError);
  EXPECT_THROW(make_grouping("x", {}, options), UsageError);
}

TEST(GroupingOptions, DefaultsValid) { EXPECT_NO_THROW(GroupingOptions{}.validate()); }

}  // namespace
}  // namespace privaudit::groups
