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

TEST(SweepReport, CapacitySections) {
  const std::string html = render_sweep_report(capacity_fixture());
  for (const char* id : {"sweep-summary", "sweep-survival", "sweep-capacity", "sweep-groups", "sweep-methods"}) {
    EXPECT_EQ(count(html, std::string("<section id=\"") + id + "\">\n<h2>"), 1u) << id;
    EXPECT_EQ(count(html, std::string("href=\"#") + id + "\""), 1u) << id;
  }
  EXPECT_EQ(html.find("sweep-privacy-utility"), std::string::npos);
}

TEST(SweepReport, EpsilonSections) {
  const std::string html = render_sweep_report(epsilon_fixture());
  for (const char* id : {"sweep-summary", "sweep-survival", "sweep-privacy-utility", "sweep-groups", "sweep-methods"}) {
    EXPECT_EQ(count(html, std::string("<section id=\"") + id + "\">\n<h2>"), 1u) << id;
    EXPECT_EQ(count(html, std::string("href=\"#") + id + "\""), 1u) << id;
  }
  // All three recipes have 8961 parameters, so capacity did not vary.
  EXPECT_EQ(html.find("sweep-capacity"), std::string::npos);
}

TEST(SweepReport, CapacityShownWhenParametersDiffer) {
  json sweep = epsilon_fixture();
  sweep["recipes"][2]["parameters"] = 2241;
  const std::string html = render_sweep_report(sweep);
  EXPECT_EQ(count(html, "<section id=\"sweep-capacity\">"), 1u);
  EXPECT_EQ(count(html, "<section id=\"sweep-privacy-utility\">"), 1u);
}

TEST(SweepReport, WellFormed) {
  EXPECT_EQ(testing::check_markup(render_sweep_report(capacity_fixture()), testing::MarkupDialect::html), "");
  EXPECT_EQ(testing::check_markup(render_sweep_report(epsilon_fixture()), testing::MarkupDialect::html), "");
}

TEST(SweepReport, SamePageShellAsRunReport) {
  const std::string sweep = render_sweep_report(capacity_fixture());
  const std::string run = render_report(json::object());
  const std::string style = between(run, "<style>", "</style>");
  ASSERT_FALSE(style.empty());
  EXPECT_EQ(between(sweep, "<style>", "</style>"), style);
  const std::string csp =
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">";
  EXPECT_EQ(count(sweep, csp), 1u);
  EXPECT_LT(sweep.find(csp), sweep.find("<style>"));
}

TEST(SweepReport, NothingToFetch) {
  std::string html = render_sweep_report(epsilon_fixture());
  std::transform(html.begin(), html.end(), html.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(count(html, "url("), count(html, "url(#"));
  EXPECT_EQ(count(html, "<link"), 1u);
  EXPECT_EQ(count(html, "<script"), 1u);
}

TEST(SweepReport, OneSurvivalSeriesPerRecipe) {
  for (const json& sweep : {capacity_fixture(), epsilon_fixture()}) {
    const std::string html = render_sweep_report(sweep);
    for (const char* id : {"sweep-survival-records", "sweep-survival-patients"}) {
      const std::string svg = chart(html, id);
      ASSERT_FALSE(svg.empty()) << id;
      EXPECT_EQ(count(svg, "class=\"series\""), 3u) << id;
      // Each series carries the recipe label as its <title>.
      for (const auto& recipe : sweep["recipes"]) {
        const std::string label = recipe["label"].get<std::string>();
        EXPECT_NE(svg.find("<title>" + label + "</title></path>"), std::string::npos) << id << " " << label;
      }
    }
  }
}

TEST(SweepReport, SurvivalUsesLogAxisToOneUnit) {
  const std::string svg = chart(render_sweep_report(capacity_fixture()), "sweep-survival-records");
  // A log axis starting at 0.5 / 3745 has decade labels such as 0.001 and 1.
  EXPECT_NE(svg.find(">0.001</text>"), std::string::npos);
  EXPECT_NE(svg.find(">1</text>"), std::string::npos);
}

TEST(SweepReport, BoundLinesForDpRecipes) {
  const std::string html = render_sweep_report(epsilon_fixture());
  for (const char* id : {"sweep-survival-records", "sweep-survival-patients"}) {
    const std::string svg = chart(html, id);
    EXPECT_EQ(count(svg, ">eps=10 bound</text>"), 1u) << id;
    EXPECT_EQ(count(svg, ">eps=1 bound</text>"), 1u) << id;
    EXPECT_EQ(count(svg, "bound</text>"), 2u) << id;  // none for the recipe without DP
  }
  EXPECT_NE(section(html, "sweep-survival").find("A bound of 1.000 to three decimals is no practical limit"),
            std::string::npos);
}

TEST(SweepReport, NoBoundLinesWithoutDp) {
  const std::string html = render_sweep_report(capacity_fixture());
  EXPECT_EQ(html.find("bound</text>"), std::string::npos);
  EXPECT_EQ(section(html, "sweep-survival").find("A bound of 1"), std::string::npos);
}

TEST(SweepReport, BoundOfOneNotDrawn) {
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["dp"]["auc_bound"] = 1.0;
  const std::string svg = chart(render_sweep_report(sweep), "sweep-survival-records");
  EXPECT_EQ(svg.find("eps=10 bound"), std::string::npos);
  EXPECT_EQ(count(svg, ">eps=1 bound</text>"), 1u);
}

TEST(SweepReport, BoundLabelFallsBackToAccountedEpsilon) {
  json sweep = epsilon_fixture();
  sweep["recipes"][2]["epsilon"] = nullptr;
  const std::string svg = chart(render_sweep_report(sweep), "sweep-survival-records");
  EXPECT_EQ(count(svg, ">eps=0.997 bound</text>"), 1u);
}

TEST(SweepReport, ViolationWhenBeyondSe) {
  json sweep = epsilon_fixture();
  sweep["recipes"][2]["dp"]["bound_check"]["patients"]["beyond_se"] = 1;
  const std::string html = render_sweep_report(sweep);
  const std::string summary = section(html, "sweep-summary");
  EXPECT_NE(summary.find("<strong class=\"mark\">Privacy bound violated.</strong>"), std::string::npos);
  EXPECT_NE(summary.find("In DP ε=1 (1 patient), the membership AUC"), std::string::npos);
  EXPECT_EQ(summary.find("stay under the DP bounds"), std::string::npos);
  // The notice comes before the table.
  EXPECT_LT(summary.find("Privacy bound violated."), summary.find("<table"));
  // The bound table marks the count.
  const std::string row = row_starting(section(html, "sweep-privacy-utility"), "DP ε=1");
  EXPECT_NE(row.find("<span class=\"mark\">1</span>"), std::string::npos) << row;
}

TEST(SweepReport, ViolationInRecordsNamesRecords) {
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["dp"]["bound_check"]["records"]["beyond_se"] = 3;
  const std::string summary = section(render_sweep_report(sweep), "sweep-summary");
  EXPECT_NE(summary.find("In DP ε=10 (3 records), the membership AUC"), std::string::npos);
}

TEST(SweepReport, BoundsHoldWithoutViolation) {
  const std::string summary = section(render_sweep_report(epsilon_fixture()), "sweep-summary");
  EXPECT_EQ(summary.find("Privacy bound violated"), std::string::npos);
  EXPECT_EQ(summary.find("class=\"mark\""), std::string::npos);
  EXPECT_NE(summary.find("The confirmed tails stay under the DP bounds"), std::string::npos);
  // DP ε=1 has 2 patients and 2 records confirmed above its bound, none beyond noise.
  EXPECT_NE(summary.find("2 patients and 2 records confirmed above a bound are within estimation noise of it."),
            std::string::npos);
  EXPECT_NE(summary.find("Bonferroni-corrected over the units tested"), std::string::npos);
  // Every selected unit was tested.
  EXPECT_EQ(summary.find("too few models"), std::string::npos);
}

TEST(SweepReport, BoundOfOneNeedsNoCheck) {
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["dp"]["auc_bound"] = 1.0;
  sweep["recipes"][1]["dp"].erase("bound_check");
  const std::string html = render_sweep_report(sweep);
  const std::string summary = section(html, "sweep-summary");
  EXPECT_NE(summary.find("DP ε=10 has an AUC bound of 1, which does not limit the membership AUC, so there is "
                         "nothing to check."),
            std::string::npos);
  EXPECT_EQ(summary.find("The bound check is missing"), std::string::npos);
  EXPECT_NE(summary.find("The confirmed tails stay under the DP bounds: in no DP recipe is"), std::string::npos);
  const std::string row = row_starting(section(html, "sweep-privacy-utility"), "DP ε=10");
  EXPECT_NE(row.find("<td>1 (no limit)</td><td colspan=\"10\">nothing to check"), std::string::npos) << row;
}

TEST(SweepReport, UntestedUnitsNamed) {
  json sweep = epsilon_fixture();
  sweep["recipes"][2]["dp"]["bound_check"]["records"]["tested"] = 4;
  const std::string summary = section(render_sweep_report(sweep), "sweep-summary");
  EXPECT_NE(summary.find("2 records above a bound on half A had too few models on half B for the test"),
            std::string::npos);
}

TEST(SweepReport, MissingBoundCheckSaysSo) {
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["dp"].erase("bound_check");
  const std::string summary = section(render_sweep_report(sweep), "sweep-summary");
  EXPECT_NE(summary.find("The bound check is missing for DP ε=10"), std::string::npos);
  EXPECT_NE(summary.find("in no DP recipe with a bound check"), std::string::npos);
}

TEST(SweepReport, CapacityHasNoBoundSentence) {
  const std::string summary = section(render_sweep_report(capacity_fixture()), "sweep-summary");
  EXPECT_EQ(summary.find("Privacy bound violated"), std::string::npos);
  EXPECT_EQ(summary.find("DP bounds"), std::string::npos);
}

TEST(SweepReport, SummaryStatesWhatVaried) {
  const std::string capacity = section(render_sweep_report(capacity_fixture()), "sweep-summary");
  EXPECT_NE(capacity.find("This sweep varies the model capacity (trainable parameters per model) over 3 recipes."),
            std::string::npos);
  EXPECT_NE(capacity.find("Every recipe trains 64 models on the same plan"), std::string::npos);
  EXPECT_NE(capacity.find("3,745 records (3,512 patients)"), std::string::npos);
  const std::string epsilon = section(render_sweep_report(epsilon_fixture()), "sweep-summary");
  EXPECT_NE(epsilon.find("This sweep varies the privacy budget ε of DP-SGD training over 3 recipes."),
            std::string::npos);
}

TEST(SweepReport, SummaryTailAndUtilityChange) {
  const std::string capacity = section(render_sweep_report(capacity_fixture()), "sweep-summary");
  EXPECT_NE(capacity.find("From MLP 16 wide to MLP 256 wide, the number of patients confirmed at near-certain risk "
                          "(joint AUC above 0.95 on both halves of the models) rises from 10 to 117; the number of "
                          "confirmed records rises from 12 to 121."),
            std::string::npos);
  EXPECT_NE(capacity.find("the mean test AUROC falls from 0.812 (MLP 16 wide, the highest) to 0.795 (MLP 256 wide)."),
            std::string::npos);
  const std::string epsilon = section(render_sweep_report(epsilon_fixture()), "sweep-summary");
  EXPECT_NE(epsilon.find("falls from 117 to 0; the number of confirmed records falls from 121 to 0."),
            std::string::npos);
}

TEST(SweepReport, SummaryTableRows) {
  const std::string capacity = section(render_sweep_report(capacity_fixture()), "sweep-summary");
  const std::string wide = row_starting(capacity, "MLP 256 wide");
  ASSERT_FALSE(wide.empty());
  EXPECT_NE(wide.find("<td>8,961</td>"), std::string::npos) << wide;
  EXPECT_NE(wide.find("<td>0.795 ± 0.011</td>"), std::string::npos) << wide;      // test AUROC
  // LiRA online (0.612) beats RMIA online (0.605) here; the TPR is LiRA's.
  EXPECT_NE(wide.find("<td>0.612 ± 0.006<span class=\"ci\">LiRA online</span></td>"), std::string::npos) << wide;
  EXPECT_NE(wide.find("<td>0.015 ± 0.005</td>"), std::string::npos) << wide;
  EXPECT_NE(wide.find("<td>210 / 121</td><td>205 / 117</td>"), std::string::npos) << wide;

  const std::string epsilon = section(render_sweep_report(epsilon_fixture()), "sweep-summary");
  const std::string dp = row_starting(epsilon, "DP ε=10");
  EXPECT_NE(dp.find("<td>10<span class=\"ci\">accounted 9.98</span></td><td>0.9993</td>"), std::string::npos) << dp;
  EXPECT_NE(dp.find("<span class=\"ci\">RMIA online</span>"), std::string::npos) << dp;
}

TEST(SweepReport, LabelEscaped) {
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["label"] = "<b>&";
  sweep["recipes"][0]["groups"][0]["attribute"] = "<i>race</i>";
  sweep["recipes"][0]["groups"][0]["groups"][0]["name"] = "<script>alert(1)</script>";
  sweep["run"] = "runs/<img src=x>";
  const std::string html = render_sweep_report(sweep);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(count(html, "<script"), 1u);
  EXPECT_NE(html.find("&lt;b&gt;&amp;"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(SweepReport, SuppressedCellsCarryNoNumber) {
  const std::string html = render_sweep_report(capacity_fixture());
  const std::string groups = section(html, "sweep-groups");
  EXPECT_EQ(count(groups, "<td>100+</td>"), 1u);
  const std::string row = row_starting(groups, "100+");
  ASSERT_FALSE(row.empty());
  EXPECT_EQ(count(row, "<td>suppressed</td>"), 3u) << row;
  std::string rest = row;
  rest.erase(0, std::string("<tr><td>100+</td>").size());
  EXPECT_FALSE(has_digit(rest)) << row;
  // The suppressed group appears nowhere else on the page.
  EXPECT_EQ(count(html, "100+"), 1u);
}

TEST(SweepReport, GroupCellsShowResidualAndMarks) {
  const std::string groups = section(render_sweep_report(capacity_fixture()), "sweep-groups");
  const std::string old_age = row_starting(groups, "65+");
  // Four age groups: ** below 0.05 / 4. Not at width 16 (p 0.27), ** at 64 (p 0.0051) and 256.
  EXPECT_NE(old_age.find("<td>1.10<span class=\"ci\">p = 0.270</span></td>"), std::string::npos) << old_age;
  EXPECT_NE(old_age.find("<td>2.80 <span class=\"mark\">**</span><span class=\"ci\">p = 0.005</span></td>"),
            std::string::npos)
      << old_age;
  EXPECT_NE(old_age.find("<td>3.60 <span class=\"mark\">**</span><span class=\"ci\">p &lt; 0.001</span></td>"),
            std::string::npos)
      << old_age;
  // p = 0.016 is below 0.05 but not below 0.0125: one star.
  const std::string young = row_starting(groups, "17-44");
  EXPECT_NE(young.find("<td>-2.40 <span class=\"mark\">*</span>"), std::string::npos) << young;
}

TEST(SweepReport, CapacityGroupSentences) {
  const std::string groups = section(render_sweep_report(capacity_fixture()), "sweep-groups");
  EXPECT_NE(groups.find("The disparity of age is significant at MLP 64 wide (χ² test Bonferroni p = 0.008, 65+: "
                        "residual 2.80, p = 0.005) and MLP 256 wide (χ² test Bonferroni p &lt; 0.001, 65+: residual "
                        "3.60, p &lt; 0.001), and not at MLP 16 wide."),
            std::string::npos);
  EXPECT_NE(groups.find("The disparity of afam is significant at MLP 256 wide (χ² test Bonferroni p = 0.006, yes: "
                        "residual 3.20, p = 0.001), and not at MLP 16 wide and MLP 64 wide."),
            std::string::npos);
}

TEST(SweepReport, EpsilonGroupSentences) {
  const std::string groups = section(render_sweep_report(epsilon_fixture()), "sweep-groups");
  EXPECT_NE(groups.find("Without DP, the disparity of afam is significant"), std::string::npos);
  EXPECT_NE(groups.find("Without DP, the disparity of gender is not significant."), std::string::npos);
}

TEST(SweepReport, DisparityGoneUnderAllDpRecipes) {
  json sweep = epsilon_fixture();
  sweep["recipes"][1]["groups"][0]["groups"][0]["p_value"] = 0.2;
  sweep["recipes"][1]["groups"][0]["p_bonferroni"] = 0.2;
  const std::string groups = section(render_sweep_report(sweep), "sweep-groups");
  EXPECT_NE(groups.find("Without DP, the disparity of afam is significant (χ² test Bonferroni p = 0.002, yes: "
                        "residual 3.40, p &lt; 0.001). Under DP-SGD, it is not significant at any recipe."),
            std::string::npos);
}

TEST(SweepReport, MissingGroupsGiveWords) {
  json sweep = capacity_fixture();
  sweep["recipes"][1].erase("groups");
  std::string groups = section(render_sweep_report(sweep), "sweep-groups");
  EXPECT_NE(groups.find("The attribute is not analysed for MLP 64 wide."), std::string::npos);
  EXPECT_EQ(count(row_starting(groups, "65+"), "<td>not analysed</td>"), 1u);

  for (auto& recipe : sweep["recipes"]) recipe.erase("groups");
  groups = section(render_sweep_report(sweep), "sweep-groups");
  EXPECT_NE(groups.find("No recipe in this sweep file has a group analysis"), std::string::npos);
  EXPECT_EQ(groups.find("<table"), std::string::npos);
}

TEST(SweepReport, NullSurvivalGivesWords) {
  json sweep = capacity_fixture();
  sweep["recipes"][1]["survival"] = nullptr;
  std::string html = render_sweep_report(sweep);
  EXPECT_EQ(count(chart(html, "sweep-survival-records"), "class=\"series\""), 2u);
  EXPECT_NE(section(html, "sweep-survival").find("No curve in the sweep file for MLP 64 wide."), std::string::npos);

  for (auto& recipe : sweep["recipes"]) recipe["survival"] = nullptr;
  html = render_sweep_report(sweep);
  EXPECT_EQ(chart(html, "sweep-survival-records"), "");
  EXPECT_NE(html.find("No recipe has the survival function of record AUCs in this sweep file."), std::string::npos);
  EXPECT_NE(html.find("No recipe has the survival function of patient AUCs in this sweep file."), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(SweepReport, CapacityCharts) {
  const std::string html = render_sweep_report(capacity_fixture());
  for (const char* id : {"sweep-capacity-tails", "sweep-capacity-auroc"}) {
    const std::string svg = chart(html, id);
    ASSERT_FALSE(svg.empty()) << id;
    EXPECT_EQ(count(svg, "</title></circle>"), 3u) << id;  // one point per recipe
    EXPECT_NE(svg.find("trainable parameters per model"), std::string::npos) << id;
  }
  // The tail chart plots the confirmed patients: 117 at 8961 parameters.
  EXPECT_NE(chart(html, "sweep-capacity-tails").find("MLP 256 wide: 205 above on all models (trainable parameters per "
                                                      "model 8961, patients confirmed above 0.95 117)"),
            std::string::npos);
}

TEST(SweepReport, PrivacyUtilityCharts) {
  const std::string html = render_sweep_report(epsilon_fixture());
  for (const char* id : {"sweep-epsilon-auroc", "sweep-epsilon-tails", "sweep-epsilon-bound"}) {
    EXPECT_FALSE(chart(html, id).empty()) << id;
  }
  // The recipe without DP is a dashed horizontal line named in the legend.
  const std::string utility = chart(html, "sweep-epsilon-auroc");
  EXPECT_NE(utility.find("<title>test AUROC, without DP</title>"), std::string::npos);
  EXPECT_EQ(count(utility, "<path class=\"series\""), 2u);
  EXPECT_EQ(count(utility, "stroke-dasharray=\"6 4\""), 1u);
  // The bound chart has no line for the recipe without DP, which has no bound.
  EXPECT_EQ(chart(html, "sweep-epsilon-bound").find("without DP"), std::string::npos);
  EXPECT_NE(section(html, "sweep-privacy-utility").find("Dashed horizontal lines: the recipe without DP"),
            std::string::npos);
}

TEST(SweepReport, BoundTable) {
  const std::string privacy = section(render_sweep_report(epsilon_fixture()), "sweep-privacy-utility");
  EXPECT_NE(row_starting(privacy, "No DP").find("trained without DP-SGD: no bound"), std::string::npos);
  const std::string strict = row_starting(privacy, "DP ε=1");
  EXPECT_NE(strict.find("<td>1<span class=\"ci\">accounted 0.997</span></td><td>patient</td><td>0.7311</td>"),
            std::string::npos)
      << strict;
  EXPECT_NE(strict.find("<td>6 / 2</td><td>6</td><td>0.61 / 2.39</td><td>0</td><td>0.752</td>"), std::string::npos)
      << strict;
  EXPECT_NE(strict.find("<td>5 / 2</td><td>5</td><td>0.58 / 2.33</td><td>0</td><td>0.751</td>"),
            std::string::npos)
      << strict;
}

TEST(SweepReport, MethodsListsRecipeFolders) {
  const std::string methods = section(render_sweep_report(epsilon_fixture()), "sweep-methods");
  EXPECT_NE(methods.find(">recipes/eps-10</code>"), std::string::npos);
  EXPECT_NE(methods.find("mlp, depth 1, width 256"), std::string::npos);
  EXPECT_NE(methods.find("patient-level, ε = 10 (accounted 9.98) at δ = 0.000267, noise multiplier 0.91, clip norm 1, "
                         "sampling rate 0.034, 877 steps"),
            std::string::npos);
  EXPECT_NE(methods.find("<code>runs/epsilon</code>"), std::string::npos);
  for (const char* term : {"One plan for all recipes", "Half A", "half B", "privacy profile", "recipes/"}) {
    EXPECT_NE(methods.find(term), std::string::npos) << term;
  }
}

TEST(SweepReport, NullNumbersShowAsNotAvailable) {
  json sweep = epsilon_fixture();
  sweep["recipes"][0]["utility"]["test_auroc"]["mean"] = nullptr;
  sweep["recipes"][1]["dp"]["auc_bound"] = nullptr;
  sweep["recipes"][2]["survival"]["records"]["sf"][2] = nullptr;
  sweep["recipes"][2]["tails"] = nullptr;
  sweep["near_certain_auc"] = nullptr;
  const std::string html = render_sweep_report(sweep);
  for (const char* bad : {">nan", "nan<", "\"nan", "nan\"", " nan "}) {
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  }
  EXPECT_NE(row_starting(section(html, "sweep-summary"), "DP ε=10").find("<td>n/a</td>"), std::string::npos);
  EXPECT_NE(html.find("does not state the near-certain threshold"), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(SweepReport, WrongTypesDoNotThrow) {
  json sweep = epsilon_fixture();
  sweep["recipes"][0] = 7;
  sweep["recipes"][1]["tails"] = "none";
  sweep["recipes"][1]["groups"] = json::object();
  sweep["recipes"][2]["dp"] = json::array({1, 2});
  sweep["recipes"][2]["survival"]["patients"]["x"] = json::array({0.5});
  sweep["counts"] = "many";
  const std::string html = render_sweep_report(sweep);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
  EXPECT_NE(html.find("recipe 1"), std::string::npos);  // the label of a recipe that is not an object
}

TEST(SweepReport, EmptyObjectRendersWords) {
  const std::string html = render_sweep_report(json::object());
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
  for (const char* id : {"sweep-summary", "sweep-survival", "sweep-groups", "sweep-methods"}) {
    EXPECT_NE(html.find(std::string("<section id=\"") + id + "\">"), std::string::npos) << id;
  }
  EXPECT_NE(html.find("The sweep file does not say what varies between its 0 recipes."), std::string::npos);
  EXPECT_NE(html.find("The sweep file lists no recipes, so there is nothing to compare."), std::string::npos);
  EXPECT_NE(html.find("No recipe in this sweep file has a group analysis"), std::string::npos);
  EXPECT_EQ(count(html, "<svg"), 0u);
}

TEST(SweepReport, EpsilonSweepWithoutDpRecipes) {
  json sweep = epsilon_fixture();
  sweep["recipes"] = json::array({sweep["recipes"][0]});
  const std::string html = render_sweep_report(sweep);
  EXPECT_NE(html.find("No recipe of this sweep was trained with DP-SGD"), std::string::npos);
  EXPECT_NE(html.find("No recipe in this sweep file has a DP-SGD ε above zero"), std::string::npos);
  EXPECT_NE(html.find("The only recipe, No DP, has 117 patients and 121 records confirmed"), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(SweepReport, UnknownKindNamed) {
  json sweep = capacity_fixture();
  sweep["kind"] = "depth";
  const std::string summary = section(render_sweep_report(sweep), "sweep-summary");
  EXPECT_NE(summary.find("unknown kind &quot;depth&quot;"), std::string::npos);
}

TEST(SweepReport, NonObjectRejected) {
  EXPECT_THROW(render_sweep_report(json::array()), InputError);
  EXPECT_THROW(render_sweep_report(json(nullptr)), InputError);
  EXPECT_THROW(render_sweep_report(json("sweep")), InputError);
}

TEST(SweepReport, Deterministic) {
  EXPECT_EQ(render_sweep_report(epsilon_fixture()), render_sweep_report(epsilon_fixture()));
}

TEST(SweepReport, WriteMatchesRender) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("privaudit-sweep-report-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "report.html";
  write_sweep_report(path, capacity_fixture());
  EXPECT_EQ(read_file(path), render_sweep_report(capacity_fixture()));
  std::filesystem::remove_all(dir);
}

TEST(SweepReport, WriteErrors) {
  EXPECT_THROW(write_sweep_report("/nonexistent-privaudit-folder/report.html", capacity_fixture()), IoError);
  EXPECT_THROW(write_sweep_report("/nonexistent-privaudit-folder/report.html", json::array()), InputError);
}

}  // namespace
}  // namespace privaudit::report
