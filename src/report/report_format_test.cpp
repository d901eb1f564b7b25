#include "report/report_format.h"

#include <cmath>

#include <gtest/gtest.h>

namespace privaudit::report {
namespace {

const Json kSample = Json::parse(R"({
  "count": 3745, "share": 0.117, "flag": true, "name": "afam", "missing": null, "list": [1, null, "x", 2.5],
  "auc": {"mean": 0.6034, "sd": 0.0121}, "ci": {"value": 0.6, "ci_low": 0.58, "ci_high": 0.62},
  "nested": {"deeper": {"value": 7}}
})");

TEST(ReportFormat, FindHandlesMissingNullAndWrongType) {
  EXPECT_NE(find(&kSample, "count"), nullptr);
  EXPECT_EQ(find(&kSample, "absent"), nullptr);
  EXPECT_EQ(find(&kSample, "missing"), nullptr);
  EXPECT_EQ(find(find(&kSample, "name"), "x"), nullptr);
  EXPECT_EQ(find(nullptr, "x"), nullptr);
  EXPECT_EQ(number(find_path(kSample, {"nested", "deeper", "value"})), 7.0);
  EXPECT_EQ(find_path(kSample, {"nested", "absent", "value"}), nullptr);
}

TEST(ReportFormat, NumberAndText) {
  EXPECT_EQ(number_at(&kSample, "count"), 3745.0);
  EXPECT_TRUE(std::isnan(number_at(&kSample, "name")));
  EXPECT_TRUE(std::isnan(number_at(&kSample, "flag")));
  EXPECT_TRUE(std::isnan(number_at(&kSample, "missing")));
  EXPECT_EQ(text_at(&kSample, "name"), "afam");
  EXPECT_EQ(text_at(&kSample, "flag"), "true");
  EXPECT_EQ(text_at(&kSample, "count"), "3745");
  EXPECT_EQ(text_at(&kSample, "missing", "n/a"), "n/a");
  EXPECT_EQ(text_at(&kSample, "auc", "n/a"), "n/a");
}

TEST(ReportFormat, NumbersOfArray) {
  const auto values = numbers(find(&kSample, "list"));
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0], 1.0);
  EXPECT_TRUE(std::isnan(values[1]));
  EXPECT_TRUE(std::isnan(values[2]));
  EXPECT_EQ(values[3], 2.5);
  EXPECT_TRUE(numbers(find(&kSample, "name")).empty());
  EXPECT_TRUE(array_or_empty(nullptr).empty());
}

TEST(ReportFormat, FixedAndCounts) {
  EXPECT_EQ(fixed(0.60349, 3), "0.603");
  EXPECT_EQ(fixed(-0.0001, 3), "0.000");
  EXPECT_EQ(fixed(std::nan(""), 3), "n/a");
  EXPECT_EQ(count_text(3745.0), "3,745");
  EXPECT_EQ(count_text(1234567.0), "1,234,567");
  EXPECT_EQ(count_text(999.0), "999");
  EXPECT_EQ(count_text(-1200.0), "-1,200");
  EXPECT_EQ(count_text(0.0), "0");
  EXPECT_EQ(count_text(std::nan("")), "n/a");
}

TEST(ReportFormat, PValuesAndPercent) {
  EXPECT_EQ(p_value_text(0.0003), "< 0.001");
  EXPECT_EQ(p_value_text(0.0431), "0.043");
  EXPECT_EQ(p_value_text(1.0), "1.000");
  EXPECT_EQ(p_value_text(std::nan("")), "n/a");
  EXPECT_EQ(p_clause(0.0431), "p = 0.043");
  EXPECT_EQ(p_clause(0.0001), "p < 0.001");
  EXPECT_EQ(p_clause(std::nan("")), "p = n/a");
  EXPECT_EQ(percent(0.117), "11.7%");
  EXPECT_EQ(percent(0.05, 0), "5%");
  EXPECT_EQ(percent(std::nan("")), "n/a");
}

TEST(ReportFormat, MeanSdAndEstimate) {
  EXPECT_EQ(mean_sd_text(find(&kSample, "auc"), 3), "0.603 ± 0.012");
  EXPECT_EQ(mean_sd_text(nullptr, 3), "n/a");
  const Json no_sd = {{"mean", 0.5}, {"sd", nullptr}};
  EXPECT_EQ(mean_sd_text(&no_sd, 2), "0.50");
  EXPECT_EQ(estimate_text(find(&kSample, "ci"), 2), "0.60 (0.58 to 0.62)");
  EXPECT_EQ(estimate_text(find(&kSample, "ci"), 0, true), "60% (58% to 62%)");
  const Json no_ci = {{"value", 0.25}, {"ci_low", nullptr}, {"ci_high", 0.3}};
  EXPECT_EQ(estimate_text(&no_ci, 2), "0.25");
  const Json no_value = {{"value", nullptr}, {"ci_low", 0.1}, {"ci_high", 0.3}};
  EXPECT_EQ(estimate_text(&no_value, 2), "n/a");
}

TEST(ReportFormat, SignificanceMarks) {
  // Four groups: ** below 0.05 / 4 = 0.0125.
  EXPECT_EQ(significance_mark(0.0003, 4), "**");
  EXPECT_EQ(significance_mark(0.012, 4), "**");
  EXPECT_EQ(significance_mark(0.013, 4), "*");
  EXPECT_EQ(significance_mark(0.0499, 4), "*");
  EXPECT_EQ(significance_mark(0.05, 4), "");
  EXPECT_EQ(significance_mark(std::nan(""), 4), "");
  // One group: Bonferroni changes nothing, so any p < 0.05 gets **.
  EXPECT_EQ(significance_mark(0.04, 1), "**");
}

TEST(ReportFormat, Slug) {
  EXPECT_EQ(slug("afam"), "afam");
  EXPECT_EQ(slug("Race / Ethnicity"), "race-ethnicity");
  EXPECT_EQ(slug("<script>"), "script");
  EXPECT_EQ(slug("ßü"), "item");
  EXPECT_EQ(slug(""), "item");
}

TEST(ReportFormat, AttackLabels) {
  EXPECT_EQ(attack_label("rmia_offline"), "RMIA offline");
  EXPECT_EQ(attack_label("custom"), "custom");
}

}  // namespace
}  // namespace privaudit::report
