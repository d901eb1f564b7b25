// Sweep report tests of the wording and chart details found when the real sweep reports were read
// as a privacy officer would: number formats, bounds that round to 1, captions, group sentences.
#include "report/sweep_report.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/html_report.h"
#include "report/markup_checker.h"
#include "report/sweep_report_testing.h"

namespace privaudit::report {
namespace {

using namespace sweep_testing;

// The number in the first SVG attribute `name="..."` at or after `from` in `svg`; NaN when absent.
double attribute_after(const std::string& svg, std::size_t from, const std::string& name) {
  const auto at = svg.find(" " + name + "=\"", from);
  if (at == std::string::npos) return std::nan("");
  return std::stod(svg.substr(at + name.size() + 3));
}

// The bottom edge of the plot area of a chart: the y of its clip rectangle plus its height.
double plot_bottom(const std::string& svg) {
  const auto rect = svg.find("<clipPath");
  return attribute_after(svg, rect, "y") + attribute_after(svg, rect, "height");
}

// The y position of the tick label `label` on the y axis of a chart; NaN when absent.
double y_tick(const std::string& svg, const std::string& label) {
  const auto axis = svg.find("<g class=\"axis y-axis\"");
  const auto text = svg.find("\" text-anchor=\"end\" dominant-baseline=\"middle\">" + label + "</text>", axis);
  if (axis == std::string::npos || text == std::string::npos) return std::nan("");
  return std::stod(svg.substr(svg.rfind("y=\"", text) + 3));
}

// Makes every patient of the fixture's pool have one record, as in the NMES 1988 demo data.
json one_record_each(json sweep) {
  sweep["counts"]["pool_patients"] = sweep["counts"]["pool_records"];
  return sweep;
}

TEST(SweepReport, EpsilonPrintedAsWritten) {
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["epsilon"] = 1000.0;
  sweep["recipes"][1]["dp"]["epsilon"] = 999.9960309527266;
  sweep["recipes"][1]["dp"]["auc_bound"] = 0.97;
  sweep["recipes"][2]["epsilon"] = 10.5;
  const std::string html = render_sweep_report(sweep);
  EXPECT_EQ(html.find("e+0"), std::string::npos);
  const std::string summary = section(html, "sweep-summary");
  EXPECT_NE(row_starting(summary, "DP ε=10").find("<td>1000<span class=\"ci\">accounted 1000</span></td>"),
            std::string::npos);
  EXPECT_NE(row_starting(summary, "DP ε=1").find("<td>10.5<span class=\"ci\">accounted 0.997</span></td>"),
            std::string::npos);
  EXPECT_EQ(count(chart(html, "sweep-survival-records"), ">eps=1000 bound</text>"), 1u);
  EXPECT_EQ(count(chart(html, "sweep-survival-records"), ">eps=10.5 bound</text>"), 1u);
  EXPECT_NE(row_starting(section(html, "sweep-privacy-utility"), "DP ε=10").find("<td>1000<span"), std::string::npos);
  EXPECT_NE(row_starting(section(html, "sweep-methods"), "DP ε=10").find("ε = 1000 (accounted 1000)"),
            std::string::npos);
}

TEST(SweepReport, AccountedEpsilonFourDigits) {
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["epsilon"] = nullptr;
  sweep["recipes"][1]["dp"]["epsilon"] = 9.98765;
  sweep["recipes"][2]["epsilon"] = nullptr;
  sweep["recipes"][2]["dp"]["epsilon"] = 999.9960309527266;
  const std::string html = render_sweep_report(sweep);
  const std::string summary = section(html, "sweep-summary");
  // Without a target, the accounted epsilon is the recipe's epsilon and is not repeated under it.
  EXPECT_NE(row_starting(summary, "DP ε=10").find("<td>9.988</td>"), std::string::npos);
  EXPECT_NE(row_starting(summary, "DP ε=1").find("<td>1000</td>"), std::string::npos);
  EXPECT_EQ(count(chart(html, "sweep-survival-records"), ">eps=9.988 bound</text>"), 1u);
  EXPECT_EQ(html.find("e+0"), std::string::npos);
}

TEST(SweepReport, BoundRoundingToOneIsNoLimit) {
  json sweep = epsilon_fixture();
  // epsilon 100 at delta 0.000267: rdp_profile_auc_bound gave 0.9999999999998981.
  sweep["recipes"][1]["dp"]["auc_bound"] = 0.9999999999998981;
  const std::string html = render_sweep_report(sweep);
  EXPECT_EQ(html.find("1.0000"), std::string::npos);
  EXPECT_NE(row_starting(section(html, "sweep-summary"), "DP ε=10").find("<td>1 (no limit)</td>"),
            std::string::npos);
  EXPECT_NE(row_starting(section(html, "sweep-privacy-utility"), "DP ε=10").find("<td>1 (no limit)</td>"),
            std::string::npos);
  for (const char* id : {"sweep-survival-records", "sweep-survival-patients"}) {
    EXPECT_EQ(chart(html, id).find("eps=10 bound"), std::string::npos) << id;
    EXPECT_EQ(count(chart(html, id), ">eps=1 bound</text>"), 1u) << id;
  }
}

TEST(SweepReport, BoundLineAtThreeDecimalsNotDrawn) {
  // 0.9996 prints as 0.9996 in the tables but is 1.000 to the three decimals of the run report's
  // rule for bound lines.
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["dp"]["auc_bound"] = 0.9996;
  const std::string html = render_sweep_report(sweep);
  EXPECT_EQ(chart(html, "sweep-survival-records").find("eps=10 bound"), std::string::npos);
  EXPECT_NE(row_starting(section(html, "sweep-summary"), "DP ε=10").find("<td>0.9996</td>"), std::string::npos);
}

TEST(SweepReport, SurvivalCaptionCallsCurvesEstimates) {
  const std::string survival = section(render_sweep_report(epsilon_fixture()), "sweep-survival");
  EXPECT_EQ(survival.find("no record&#39;s AUC can exceed it"), std::string::npos);
  EXPECT_EQ(survival.find("beyond estimation noise, no"), std::string::npos);
  EXPECT_NE(survival.find("The plotted curves are estimates from each recipe&#39;s models, so estimation noise "
                          "alone carries some records past a bound."),
            std::string::npos);
  EXPECT_NE(survival.find("The bound check (section Privacy and utility) tests whether any lies above its bound by "
                          "more than noise explains."),
            std::string::npos);
}

TEST(SweepReport, SurvivalCaptionWithoutPrivacySection) {
  // Two DP recipes at the same epsilon in a capacity sweep: no privacy-utility section.
  json sweep = epsilon_fixture();
  sweep["kind"] = "capacity";
  sweep["recipes"] = json::array({sweep["recipes"][1], sweep["recipes"][1]});
  const std::string html = render_sweep_report(sweep);
  ASSERT_EQ(html.find("<section id=\"sweep-privacy-utility\">"), std::string::npos);
  EXPECT_NE(section(html, "sweep-survival").find("The bound check in the summary tests whether"), std::string::npos);
}

TEST(SweepReport, GroupDisparityOnlyUnderDp) {
  // As insurance in the NMES 1988 epsilon sweep: not significant without DP, significant at epsilon 1.
  json sweep = epsilon_fixture();
  json& gender = sweep["recipes"][2]["groups"][1];
  gender["p_value"] = 0.00058;
  gender["p_bonferroni"] = 0.0023;
  gender["groups"][0]["residual"] = 3.03;
  gender["groups"][0]["p_value"] = 0.0024;
  const std::string groups = section(render_sweep_report(sweep), "sweep-groups");
  EXPECT_EQ(groups.find("no disparity to follow"), std::string::npos);
  EXPECT_NE(groups.find("Without DP, the disparity of gender is not significant. Under DP-SGD, it is significant at "
                        "DP ε=1 (χ² test Bonferroni p = 0.002, female: residual 3.03, p = 0.002), and not at DP "
                        "ε=10."),
            std::string::npos);
}

TEST(SweepReport, GroupSentenceNamesNoBaselineLabel) {
  const std::string groups = section(render_sweep_report(epsilon_fixture()), "sweep-groups");
  EXPECT_EQ(groups.find("Without DP (No DP)"), std::string::npos);
  EXPECT_NE(groups.find("Without DP, the disparity of afam is significant (χ² test Bonferroni p = 0.002, yes: "
                        "residual 3.40, p &lt; 0.001). Under DP-SGD, it is significant at DP ε=10 (χ² test "
                        "Bonferroni p = 0.012, yes: residual 2.90, p = 0.004), and not at DP ε=1."),
            std::string::npos);
  EXPECT_NE(groups.find("Without DP, the disparity of gender is not significant. Under DP-SGD, it is not significant "
                        "at any recipe."),
            std::string::npos);
}

TEST(SweepReport, AttributeTestAloneCountsAsSignificant) {
  // The chi-square test over all groups can be significant while no single group reaches **.
  json sweep = capacity_fixture();
  sweep["recipes"][0]["groups"][1]["p_bonferroni"] = 0.03;
  const std::string groups = section(render_sweep_report(sweep), "sweep-groups");
  EXPECT_NE(groups.find("The disparity of age is significant at every recipe: MLP 16 wide (χ² test Bonferroni p = "
                        "0.030), MLP 64 wide (χ² test Bonferroni p = 0.008, 65+: residual 2.80, p = 0.005) and MLP "
                        "256 wide (χ² test Bonferroni p &lt; 0.001, 65+: residual 3.60, p &lt; 0.001)."),
            std::string::npos);
}

TEST(SweepReport, PatientSeriesHiddenWhenOneRecordEach) {
  const std::string html = render_sweep_report(one_record_each(epsilon_fixture()));
  const std::string tails = chart(html, "sweep-epsilon-tails");
  ASSERT_FALSE(tails.empty());
  EXPECT_EQ(tails.find("<title>patients"), std::string::npos);
  EXPECT_NE(tails.find("<title>records"), std::string::npos);
  const std::string bound = chart(html, "sweep-epsilon-bound");
  EXPECT_EQ(bound.find("patients"), std::string::npos);
  EXPECT_NE(bound.find("largest half-B AUC, records"), std::string::npos);
  const std::string privacy = section(html, "sweep-privacy-utility");
  EXPECT_EQ(count(privacy, "Every patient has one record here, so the patients are the records"), 2u);
  // The bound table has one group of record columns.
  EXPECT_EQ(privacy.find("<th colspan=\"5\">Patients</th>"), std::string::npos);
  EXPECT_NE(privacy.find("<th colspan=\"5\">Records (one per patient)</th>"), std::string::npos);
}

TEST(SweepReport, PatientSeriesDrawnWhenPatientsHaveSeveralRecords) {
  const std::string html = render_sweep_report(epsilon_fixture());
  EXPECT_NE(chart(html, "sweep-epsilon-tails").find("<title>patients"), std::string::npos);
  EXPECT_NE(chart(html, "sweep-epsilon-bound").find("largest half-B AUC, patients"), std::string::npos);
  EXPECT_EQ(html.find("Every patient has one record here"), std::string::npos);
}

TEST(SweepReport, BoundTableShowsLargestAndCriticalZ) {
  const std::string privacy = section(render_sweep_report(epsilon_fixture()), "sweep-privacy-utility");
  EXPECT_NE(privacy.find("<th>Largest z / critical z</th>"), std::string::npos);
  const std::string strict = row_starting(privacy, "DP ε=1");
  EXPECT_NE(strict.find("<td>6 / 2</td><td>6</td><td>0.61 / 2.39</td><td>0</td><td>0.752</td>"), std::string::npos)
      << strict;
  EXPECT_NE(row_starting(privacy, "DP ε=10").find("<td>1 / 0</td><td>1</td><td>-0.92 / 1.6"),
            std::string::npos);
}

TEST(SweepReport, BoundChartCaptionExplainsLargestAuc) {
  json sweep = epsilon_fixture();
  // As epsilon 1 in the NMES 1988 sweep: the largest half-B AUC lies far above the bound.
  sweep["recipes"][2]["dp"]["bound_check"]["records"]["max_holdout_auc"] = 0.884;
  sweep["recipes"][2]["dp"]["bound_check"]["records"]["max_z"] = 1.69;
  const std::string privacy = section(render_sweep_report(sweep), "sweep-privacy-utility");
  EXPECT_NE(privacy.find("At ε = 1, the largest half-B AUC of the records (0.884) is above the bound (0.7311), but "
                         "the largest z of the 6 records tested is 1.69, below the critical 2.39, so none of them "
                         "is above the bound by more than noise explains."),
            std::string::npos);
}

TEST(SweepReport, LogisticModelHasNoWidth) {
  json sweep = capacity_fixture();
  sweep["recipes"][0]["model"] = {{"kind", "logistic"}, {"width", 128}, {"depth", 1}};
  const std::string methods = section(render_sweep_report(sweep), "sweep-methods");
  EXPECT_NE(row_starting(methods, "MLP 16 wide").find("<td>logistic</td>"), std::string::npos);
  EXPECT_EQ(methods.find("logistic, "), std::string::npos);
  EXPECT_NE(methods.find("mlp, depth 1, width 64"), std::string::npos);
}

TEST(SweepReport, UtilitySentenceNamesPeak) {
  json sweep = capacity_fixture();
  sweep["recipes"][1]["utility"]["test_auroc"]["mean"] = 0.83;
  const std::string summary = section(render_sweep_report(sweep), "sweep-summary");
  EXPECT_NE(summary.find("Over the same recipes, the mean test AUROC is 0.812 for MLP 16 wide, peaks at 0.830 with "
                         "MLP 64 wide, and is 0.795 for MLP 256 wide."),
            std::string::npos);
}

TEST(SweepReport, UtilitySentenceWhenFirstOrLastIsBest) {
  const std::string capacity = section(render_sweep_report(capacity_fixture()), "sweep-summary");
  EXPECT_NE(capacity.find("the mean test AUROC falls from 0.812 (MLP 16 wide, the highest) to 0.795 (MLP 256 wide)."),
            std::string::npos);
  json sweep = capacity_fixture();
  sweep["recipes"][2]["utility"]["test_auroc"]["mean"] = 0.9;
  EXPECT_NE(section(render_sweep_report(sweep), "sweep-summary")
                .find("the mean test AUROC rises from 0.812 (MLP 16 wide) to 0.900 (MLP 256 wide, the highest)."),
            std::string::npos);
}

TEST(SweepReport, DpColumnsHiddenWithoutDp) {
  const std::string capacity = section(render_sweep_report(capacity_fixture()), "sweep-summary");
  EXPECT_EQ(capacity.find("<th>ε</th>"), std::string::npos);
  EXPECT_EQ(capacity.find("DP AUC bound"), std::string::npos);
  EXPECT_EQ(capacity.find("privacy accountant"), std::string::npos);
  const std::string epsilon = section(render_sweep_report(epsilon_fixture()), "sweep-summary");
  EXPECT_NE(epsilon.find("<th>ε</th>"), std::string::npos);
  EXPECT_NE(epsilon.find("<th>DP AUC bound</th>"), std::string::npos);
}

TEST(SweepReport, OneRecordEachSaidOnce) {
  const std::string summary = section(render_sweep_report(one_record_each(capacity_fixture())), "sweep-summary");
  EXPECT_NE(summary.find("the same assignment of the 3,745 patients of the audit pool, one record each, to the "
                         "models&#39; training sets"),
            std::string::npos);
  EXPECT_NE(summary.find("From MLP 16 wide to MLP 256 wide, the number of patients confirmed at near-certain risk "
                         "(AUC above 0.95 on both halves of the models) rises from 10 to 117."),
            std::string::npos);
  EXPECT_EQ(summary.find("confirmed records"), std::string::npos);
  EXPECT_EQ(summary.find("Records above"), std::string::npos);
  EXPECT_NE(summary.find("Patients (one record each) above 0.95: all models / confirmed"), std::string::npos);
  const std::string wide = row_starting(summary, "MLP 256 wide");
  // The TPR column is followed by the one tail column, and nothing after it.
  const std::string end = "<td>0.015 ± 0.005</td><td>205 / 117</td>";
  ASSERT_GE(wide.size(), end.size());
  EXPECT_EQ(wide.substr(wide.size() - end.size()), end) << wide;
}

TEST(SweepReport, OneRecordEachBoundSentence) {
  const std::string summary = section(render_sweep_report(one_record_each(epsilon_fixture())), "sweep-summary");
  EXPECT_NE(summary.find("2 patients confirmed above a bound are within estimation noise of it."), std::string::npos);
  EXPECT_EQ(summary.find("2 records"), std::string::npos);
}

TEST(SweepReport, ZeroCountsClearOfAxisLine) {
  json sweep = capacity_fixture();
  sweep["recipes"][0]["tails"]["patients_joint"][1]["confirmed"] = 0;
  const std::string svg = chart(render_sweep_report(sweep), "sweep-capacity-tails");
  ASSERT_FALSE(svg.empty());
  // A marker of radius 5 at 0 must not sit on the bottom edge of the plot.
  EXPECT_LT(y_tick(svg, "0"), plot_bottom(svg) - 5.0);
  EXPECT_EQ(svg.find(">-"), std::string::npos);  // no negative tick label
  const std::string tails = chart(render_sweep_report(epsilon_fixture()), "sweep-epsilon-tails");
  EXPECT_LT(y_tick(tails, "0"), plot_bottom(tails) - 5.0);
  EXPECT_EQ(tails.find(">-"), std::string::npos);
}

TEST(SweepReport, AllZeroCountsKeepAnAxis) {
  json sweep = capacity_fixture();
  for (auto& recipe : sweep["recipes"]) recipe["tails"]["patients_joint"][1]["confirmed"] = 0;
  const std::string svg = chart(render_sweep_report(sweep), "sweep-capacity-tails");
  ASSERT_FALSE(svg.empty());
  EXPECT_LT(y_tick(svg, "0"), plot_bottom(svg) - 5.0);
  EXPECT_NE(svg.find(">1</text>"), std::string::npos);
}

TEST(SweepReport, TooltipParametersInFull) {
  json sweep = capacity_fixture();
  sweep["recipes"][2]["parameters"] = 24577;
  const std::string html = render_sweep_report(sweep);
  EXPECT_NE(chart(html, "sweep-capacity-auroc").find("trainable parameters per model 24577,"), std::string::npos);
  EXPECT_EQ(html.find("e+04"), std::string::npos);
}

TEST(SweepReport, FolderNamesDoNotWrap) {
  const std::string methods = section(render_sweep_report(epsilon_fixture()), "sweep-methods");
  EXPECT_NE(methods.find("<td><code style=\"white-space: nowrap\">recipes/eps-10</code></td>"), std::string::npos);
}

}  // namespace
}  // namespace privaudit::report
