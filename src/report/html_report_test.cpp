#include "report/html_report.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/markup_checker.h"

namespace privaudit::report {
namespace {

using nlohmann::json;

// A summary of the bundled NMES 1988 run (64 MLPs) with the survival, ROC, group and exposed-patient
// sections. Its "age" attribute has a suppressed group "100+".
json fixture() {
  static const json kFixture =
      json::parse(read_file(std::filesystem::path(PRIVAUDIT_SOURCE_DIR) / "src/report/testdata/summary_fixture.json"));
  return kFixture;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// The <tr ...>...</tr> element around byte offset `pos`, or "" when `pos` is not inside a row.
std::string enclosing_row(const std::string& html, std::size_t pos) {
  const auto start = html.rfind("<tr", pos);
  const auto previous_end = html.rfind("</tr>", pos);
  if (start == std::string::npos || (previous_end != std::string::npos && previous_end > start)) return "";
  const auto end = html.find("</tr>", pos);
  return end == std::string::npos ? "" : html.substr(start, end + 5 - start);
}

json& group_named(json& summary, const std::string& attribute, const std::string& group) {
  for (auto& a : summary["groups"]["attributes"]) {
    if (a["name"] != attribute) continue;
    for (auto& g : a["groups"]) {
      if (g["name"] == group) return g;
    }
  }
  throw std::runtime_error("fixture has no group " + attribute + " = " + group);
}

TEST(HtmlReport, AllSectionsWithHeadings) {
  const std::string html = render_report(fixture());
  for (const char* id : {"summary", "utility", "survival", "attacks", "groups", "patients", "methods"}) {
    const std::string open = std::string("<section id=\"") + id + "\">\n<h2>";
    EXPECT_EQ(count(html, open), 1u) << id;
    EXPECT_EQ(count(html, std::string("href=\"#") + id + "\""), 1u) << id;
  }
}

TEST(HtmlReport, AllChartsPresent) {
  const std::string html = render_report(fixture());
  for (const char* id : {"survival-records", "survival-patients", "roc", "residual-vs-size"}) {
    EXPECT_EQ(count(html, std::string("data-chart=\"") + id + "\""), 1u) << id;
  }
  for (const char* attribute : {"afam", "medicaid", "insurance", "gender", "age"}) {
    EXPECT_EQ(count(html, std::string("data-chart=\"residuals-") + attribute + "\""), 1u) << attribute;
    EXPECT_EQ(count(html, std::string("data-chart=\"risk-") + attribute + "\""), 1u) << attribute;
  }
  EXPECT_EQ(count(html, "<svg class=\"chart\""), 4u + 2u * 5u);
}

TEST(HtmlReport, WellFormed) {
  EXPECT_EQ(testing::check_markup(render_report(fixture()), testing::MarkupDialect::html), "");
}

TEST(HtmlReport, ContentSecurityPolicyFirstInHead) {
  const std::string html = render_report(fixture());
  const std::string csp =
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">";
  const auto at = html.find(csp);
  ASSERT_NE(at, std::string::npos);
  EXPECT_LT(at, html.find("<style>"));
  EXPECT_LT(at, html.find("<script>"));
  EXPECT_LT(at, html.find("<link"));
}

TEST(HtmlReport, NothingToFetch) {
  const std::string html = lower(render_report(fixture()));
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_EQ(html.find("xlink:href"), std::string::npos);
  // url(...) only for same-document clip paths.
  EXPECT_EQ(count(html, "url("), count(html, "url(#"));
  // The only <link> is the empty data: icon.
  EXPECT_EQ(count(html, "<link"), 1u);
  EXPECT_EQ(count(html, "<link rel=\"icon\" href=\"data:,\">"), 1u);
  // One inline script, ours.
  EXPECT_EQ(count(html, "<script"), 1u);
}

TEST(HtmlReport, SuppressedGroupOnlyInSuppressedRows) {
  const std::string html = render_report(fixture());
  const std::string name = "100+";
  std::size_t rows = 0;
  for (auto pos = html.find(name); pos != std::string::npos; pos = html.find(name, pos + 1)) {
    const std::string row = enclosing_row(html, pos);
    ASSERT_FALSE(row.empty()) << "group name outside a table row at offset " << pos;
    EXPECT_NE(row.find("<tr class=\"suppressed\">"), std::string::npos) << row;
    const std::string phrase = "suppressed (fewer than 10 patients)";
    ASSERT_NE(row.find(phrase), std::string::npos) << row;
    std::string rest = row;
    rest.erase(rest.find(phrase), phrase.size());
    rest.erase(rest.find(name), name.size());
    rest.erase(rest.find("colspan=\""), 12);  // colspan="NN"
    EXPECT_EQ(std::count_if(rest.begin(), rest.end(), [](unsigned char c) { return std::isdigit(c); }), 0) << row;
    ++rows;
  }
  EXPECT_EQ(rows, 2u);  // one row in each of the attribute's two tables
}

TEST(HtmlReport, SuppressedGroupNotPlottedEvenIfListed) {
  json summary = fixture();
  summary["groups"]["residual_vs_size"]["points"].push_back(
      {{"attribute", "age"}, {"group", "100+"}, {"pool_share", 0.0005}, {"residual", 4.0}});
  const std::string html = render_report(summary);
  const auto chart = html.find("data-chart=\"residual-vs-size\"");
  ASSERT_NE(chart, std::string::npos);
  const std::string svg = html.substr(chart, html.find("</svg>", chart) - chart);
  EXPECT_EQ(svg.find("100+"), std::string::npos);
}

TEST(HtmlReport, InjectedMarkupEscaped) {
  json summary = fixture();
  const std::string attack = "<script>alert(\"x\")</script>";
  group_named(summary, "afam", "yes")["name"] = attack;
  summary["groups"]["attributes"][0]["name"] = "<img src=x onerror=alert(1)>";
  summary["groups"]["residual_vs_size"]["points"][0]["group"] = attack;
  summary["exposed_patients"][0]["id"] = attack;
  summary["exposed_patients"][0]["groups"]["<b>"] = "</td><script>";
  summary["input"]["path"] = "/data/<script>.csv";
  summary["roc"][0]["name"] = attack;
  const std::string html = render_report(summary);
  EXPECT_EQ(count(html, "<script"), 1u);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(HtmlReport, SummaryStatesRiskAndGroups) {
  const std::string html = render_report(fixture());
  const auto start = html.find("<section id=\"summary\">");
  const std::string summary = html.substr(start, html.find("</section>", start) - start);
  EXPECT_NE(summary.find("0.603"), std::string::npos);        // best aggregate AUC
  EXPECT_NE(summary.find("RMIA online"), std::string::npos);  // and its attack
  EXPECT_NE(summary.find("9 of 3,745 patients"), std::string::npos);
  EXPECT_NE(summary.find("<span class=\"fact-value\">7 of 19</span>"), std::string::npos);  // confirmed of selected
  // age 85-99: p = 0.0003 < 0.05 / 4; age 66-74 is under-represented and not listed.
  EXPECT_NE(summary.find("<strong>age = 85-99</strong>"), std::string::npos);
  EXPECT_EQ(summary.find("66-74"), std::string::npos);
  EXPECT_NE(summary.find("What a membership attack is"), std::string::npos);
}

// The text of <section id="ID"> ... </section>.
std::string section(const std::string& html, const std::string& id) {
  const auto start = html.find("<section id=\"" + id + "\">");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</section>", start) - start);
}

TEST(HtmlReport, NothingSelectedPlainSentence) {
  json summary = fixture();
  for (auto& entry : summary["tails"]["patients_joint"]) {
    if (entry["threshold"] != 0.95) continue;
    entry = {{"threshold", 0.95}, {"in_sample", 0}, {"selected", 0}, {"confirmed", 0}, {"mean_holdout_auc", nullptr}};
  }
  const std::string text = section(render_report(summary), "summary");
  EXPECT_EQ(text.find("0 of 0"), std::string::npos);
  EXPECT_EQ(text.find("is n/a"), std::string::npos);
  EXPECT_NE(text.find("<span class=\"fact-value\">0</span><span class=\"fact-label\">patients above 0.95 on half A "
                      "of the models, so none to confirm on half B</span>"),
            std::string::npos);
  EXPECT_NE(text.find("No patient was above 0.95 on half A of the models, so there is nothing to confirm on half B."),
            std::string::npos);
}

TEST(HtmlReport, NoneConfirmedSaysNone) {
  json summary = fixture();
  for (auto& entry : summary["tails"]["patients_joint"]) {
    if (entry["threshold"] == 0.95) entry["confirmed"] = 0;
  }
  const std::string text = section(render_report(summary), "summary");
  EXPECT_NE(text.find("Of 19 patients above 0.95 on one half of the models, none stays above it on the other half"),
            std::string::npos);
}

TEST(HtmlReport, OneGroupSingular) {
  // The fixture has one over-represented group, age 85-99.
  const std::string text = section(render_report(fixture()), "summary");
  EXPECT_NE(text.find("<span class=\"fact-value\">1</span><span class=\"fact-label\">group over-represented among "
                      "the most exposed records</span>"),
            std::string::npos);
  EXPECT_EQ(text.find("groups over-represented among the most exposed"), std::string::npos);
  json summary = fixture();
  summary["groups"]["attributes"] = json::array();
  EXPECT_NE(section(render_report(summary), "summary").find("groups over-represented among the most exposed"),
            std::string::npos);
}

TEST(HtmlReport, SignificanceMarks) {
  const std::string html = render_report(fixture());
  const auto chart = html.find("data-chart=\"residuals-age\"");
  ASSERT_NE(chart, std::string::npos);
  const std::string svg = html.substr(chart, html.find("</svg>", chart) - chart);
  EXPECT_EQ(count(svg, "class=\"mark\""), 2u);  // 85-99 (**) and 66-74 (*)
  EXPECT_EQ(count(svg, ">**</text>"), 1u);
  EXPECT_EQ(count(svg, ">*</text>"), 1u);
  const auto afam = html.find("data-chart=\"residuals-afam\"");
  const std::string afam_svg = html.substr(afam, html.find("</svg>", afam) - afam);
  EXPECT_EQ(count(afam_svg, "class=\"mark\""), 0u);
}

TEST(HtmlReport, NullNumbersShowAsNotAvailable) {
  json summary = fixture();
  summary["attacks"][0]["auc"]["mean"] = nullptr;
  group_named(summary, "gender", "male")["record_auc_mean"]["value"] = nullptr;
  summary["survival"]["records"]["sf"][5] = nullptr;
  summary["roc"][1]["tpr_mean"][3] = nullptr;
  const std::string html = render_report(summary);
  EXPECT_NE(html.find("<td>LiRA online</td><td>n/a</td>"), std::string::npos);
  for (const char* bad : {">nan", "nan<", "\"nan", "nan\"", " nan "}) EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(HtmlReport, EmptySummaryRendersEverySection) {
  const std::string html = render_report(json::object());
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
  for (const char* id : {"summary", "utility", "survival", "attacks", "groups", "patients", "methods"}) {
    EXPECT_NE(html.find(std::string("<section id=\"") + id + "\">"), std::string::npos) << id;
  }
  EXPECT_NE(html.find("The group analysis is not in this summary."), std::string::npos);
  EXPECT_NE(html.find("The ROC curves are not in this summary."), std::string::npos);
  EXPECT_NE(html.find("The summary lists no exposed patients."), std::string::npos);
  EXPECT_EQ(count(html, "<svg"), 0u);
}

TEST(HtmlReport, NoAttributesSaysSo) {
  json summary = fixture();
  summary["groups"]["attributes"] = json::array();
  summary["groups"]["residual_vs_size"]["points"] = json::array();
  const std::string html = render_report(summary);
  EXPECT_NE(html.find("No patient attributes were audited"), std::string::npos);
  EXPECT_EQ(html.find("data-chart=\"residuals-"), std::string::npos);
  EXPECT_EQ(html.find("data-chart=\"residual-vs-size\""), std::string::npos);
}

TEST(HtmlReport, AllZeroShareChartStartsAtZero) {
  json summary = fixture();
  for (auto& attribute : summary["groups"]["attributes"]) {
    if (attribute["name"] != "afam") continue;
    for (auto& group : attribute["groups"]) {
      group["share_above_0.9"] = {{"value", 0.0}, {"ci_low", 0.0}, {"ci_high", 0.0}};
    }
  }
  const std::string html = render_report(summary);
  const auto at = html.find("data-chart=\"risk-afam\"");
  ASSERT_NE(at, std::string::npos);
  const std::string svg = html.substr(at, html.find("</svg>", at) - at);
  // A domain from all-zero data would span -1 to 1: negative shares make no sense.
  EXPECT_EQ(svg.find(">-"), std::string::npos);
  EXPECT_NE(svg.find(">0.0</text>"), std::string::npos);
  EXPECT_NE(svg.find(">1.0</text>"), std::string::npos);
  const auto caption = html.find("<figcaption>", at);
  EXPECT_NE(html.substr(caption, html.find("</figcaption>", caption) - caption)
                .find("No patient of any group shown here has a joint AUC above 0.9."),
            std::string::npos);
}

TEST(HtmlReport, ChartIdsUniqueForSimilarNames) {
  json summary = fixture();
  summary["groups"]["attributes"][0]["name"] = "Race / Ethnicity";
  summary["groups"]["attributes"][1]["name"] = "race-ethnicity";
  const std::string html = render_report(summary);
  EXPECT_EQ(count(html, "data-chart=\"residuals-race-ethnicity\""), 1u);
  EXPECT_EQ(count(html, "data-chart=\"residuals-race-ethnicity-2\""), 1u);
  EXPECT_EQ(count(html, "id=\"attribute-race-ethnicity\""), 1u);
  EXPECT_EQ(count(html, "id=\"attribute-race-ethnicity-2\""), 1u);
}

TEST(HtmlReport, UtilityHidesOtherOptimizerSettings) {
  json summary = fixture();
  const std::string adam = render_report(summary);
  EXPECT_EQ(adam.find("Momentum (SGD)"), std::string::npos);
  EXPECT_NE(adam.find("Adam β1"), std::string::npos);
  summary["config"]["train"]["optimizer"] = "sgd";
  const std::string sgd = render_report(summary);
  EXPECT_NE(sgd.find("Momentum (SGD)"), std::string::npos);
  EXPECT_EQ(sgd.find("Adam β1"), std::string::npos);
}

TEST(HtmlReport, ConfigKeepsScalarArraysOnOneLine) {
  const std::string html = render_report(fixture());
  EXPECT_NE(html.find("&quot;rmia_offline_a_grid&quot;: [0.0, 0.05, 0.1,"), std::string::npos);
  EXPECT_NE(html.find("&quot;tail_thresholds&quot;: [0.8, 0.9, 0.95, 0.99]"), std::string::npos);
}

TEST(HtmlReport, WrongTypesDoNotThrow) {
  json summary = fixture();
  summary["groups"] = "not an object";
  summary["roc"] = 7;
  summary["attacks"][0] = nullptr;
  summary["exposed_patients"][0]["groups"] = json::array({1, 2});
  summary["survival"]["records"]["x"] = json::array({0.5});
  summary["config"]["analysis"]["near_certain_auc"] = "high";
  const std::string html = render_report(summary);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
  EXPECT_NE(html.find("The survival function of record AUCs is not in this summary."), std::string::npos);
}

TEST(HtmlReport, ManyPatientsFoldIntoDetails) {
  json summary = fixture();
  json patients = json::array();
  for (int i = 0; i < 120; ++i) patients.push_back(summary["exposed_patients"][i % 12]);
  summary["exposed_patients"] = patients;
  const std::string html = render_report(summary);
  EXPECT_NE(html.find("<summary>Show the other 70 patients</summary>"), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(HtmlReport, PseudonymNote) {
  json summary = fixture();
  EXPECT_NE(render_report(summary).find("Patient ids are shown as in the input file"), std::string::npos);
  summary["config"]["analysis"]["pseudonymized_ids"] = true;
  EXPECT_NE(render_report(summary).find("Patient ids are pseudonyms"), std::string::npos);
}

TEST(HtmlReport, MethodsListsProvenance) {
  const std::string html = render_report(fixture());
  const auto start = html.find("<section id=\"methods\">");
  const std::string methods = html.substr(start, html.find("</section>", start) - start);
  EXPECT_NE(methods.find("afe3014ac853364ff86e71bdfd14e05a2b0c8a4e781f239bf060488d032d3c53"), std::string::npos);
  EXPECT_NE(methods.find("<pre class=\"config\">"), std::string::npos);
  EXPECT_NE(methods.find("&quot;near_certain_auc&quot;: 0.95"), std::string::npos);
  EXPECT_NE(methods.find("tail_halves <code>7139349654162315200</code>"), std::string::npos);
  EXPECT_NE(methods.find("training 2.4 s"), std::string::npos);
  for (const char* term : {"Hanley-McNeil", "Joint patient test", "winner&#39;s curse", "LiRA", "RMIA", "Pearson residual",
                           "Bonferroni", "Bootstrap", "Small-cell suppression", "empirical"}) {
    EXPECT_NE(methods.find(term), std::string::npos) << term;
  }
}

TEST(HtmlReport, NonObjectSummaryRejected) {
  EXPECT_THROW(render_report(json::array()), InputError);
  EXPECT_THROW(render_report(json(nullptr)), InputError);
}

TEST(HtmlReport, Deterministic) { EXPECT_EQ(render_report(fixture()), render_report(fixture())); }

TEST(HtmlReport, WriteReportMatchesRender) {
  const auto dir = std::filesystem::temp_directory_path() / ("privaudit-report-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "report.html";
  write_report(path, fixture());
  EXPECT_EQ(read_file(path), render_report(fixture()));
  std::filesystem::remove_all(dir);
}

TEST(HtmlReport, WriteReportToMissingFolderFails) {
  EXPECT_THROW(write_report("/nonexistent-privaudit-folder/report.html", fixture()), IoError);
}

}  // namespace
}  // namespace privaudit::report
