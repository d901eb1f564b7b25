// The DP-SGD parts of the single-run report: the guarantee sentence and violation notice in the
// summary, the bound line on the survival charts, the DP-SGD row of the recipe table and the
// DP-SGD block of the methods section.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "report/html_report.h"
#include "report/markup_checker.h"

namespace privaudit::report {
namespace {

using nlohmann::json;

json fixture() {
  static const json kFixture =
      json::parse(read_file(std::filesystem::path(PRIVAUDIT_SOURCE_DIR) / "src/report/testdata/summary_fixture.json"));
  return kFixture;
}

json bound_entry(int selected, int confirmed, int tested, int beyond_se) {
  return {{"bound", 0.6140601829670086}, {"selected", selected},       {"confirmed", confirmed},
          {"tested", tested},            {"min_models", 8},            {"z", tested > 0 ? json(3.765655115462313) : json()},
          {"beyond_se", beyond_se},      {"max_z", tested > 0 ? json(1.6908851185339027) : json()},
          {"max_holdout_auc", 0.8838092982313602}};
}

// The "privacy" object of a patient-level DP-SGD run at epsilon 1, as privaudit 0.1.0 wrote it for
// the NMES 1988 demo data (3,745 pool patients, 64 models).
json privacy() {
  return {{"unit", "patient"},
          {"clip_norm", 1.0},
          {"noise_multiplier", 3.410242766725389},
          {"sampling_rate", 0.03417890520694259},
          {"steps", 870},
          {"delta", 0.000267022696929239},
          {"target_epsilon", 1.0},
          {"epsilon", 0.999999992847524},
          {"order", 12.0},
          {"auc_bound", 0.6140601829670086},
          {"auc_bound_single_pair", 0.7312021849759693},
          {"accountant", "RDP of the Poisson-subsampled Gaussian mechanism, improved conversion (Balle et al. 2020)"},
          {"bound_check",
           {{"family_wise_alpha", 0.05},
            {"records", bound_entry(602, 91, 602, 0)},
            {"patients", bound_entry(602, 91, 602, 0)}}}};
}

json with_privacy(const json& privacy_object) {
  json summary = fixture();
  summary["privacy"] = privacy_object;
  return summary;
}

// The text of <section id="ID"> ... </section>.
std::string section(const std::string& html, const std::string& id) {
  const auto start = html.find("<section id=\"" + id + "\">");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</section>", start) - start);
}

// The <svg> element of the chart with data-chart="ID", or "".
std::string chart(const std::string& html, const std::string& id) {
  const auto at = html.find("data-chart=\"" + id + "\"");
  if (at == std::string::npos) return "";
  const auto start = html.rfind("<svg", at);
  return html.substr(start, html.find("</svg>", at) - start);
}

// The <figcaption> that follows the chart with data-chart="ID", or "".
std::string caption(const std::string& html, const std::string& id) {
  const auto at = html.find("data-chart=\"" + id + "\"");
  if (at == std::string::npos) return "";
  const auto start = html.find("<figcaption>", at);
  return html.substr(start, html.find("</figcaption>", start) - start);
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

TEST(DpReport, SummaryStatesGuarantee) {
  const std::string summary = section(render_report(with_privacy(privacy())), "summary");
  EXPECT_NE(summary.find("<strong>Differential privacy.</strong>"), std::string::npos);
  EXPECT_NE(summary.find("patient-level DP-SGD"), std::string::npos);
  EXPECT_NE(summary.find("at ε = 1 and δ = 0.000267."), std::string::npos);
  EXPECT_NE(summary.find("no membership attack can exceed AUC 0.614 on any patient."), std::string::npos);
}

TEST(DpReport, SummaryStatesBoundCheck) {
  const std::string summary = section(render_report(with_privacy(privacy())), "summary");
  EXPECT_NE(summary.find("91 patients and 91 records are confirmed above the bound"), std::string::npos);
  EXPECT_NE(summary.find("None of them is above it by more than estimation noise explains: 602 patients and 602 "
                         "records were tested"),
            std::string::npos);
  EXPECT_NE(summary.find("expected from noise alone"), std::string::npos);
  EXPECT_NE(summary.find("family-wise 5%"), std::string::npos);
}

TEST(DpReport, NoneConfirmed) {
  json dp = privacy();
  dp["bound_check"]["records"] = bound_entry(0, 0, 0, 0);
  dp["bound_check"]["patients"] = bound_entry(0, 0, 0, 0);
  const std::string summary = section(render_report(with_privacy(dp)), "summary");
  EXPECT_NE(summary.find("no patient and no record is confirmed above the bound"), std::string::npos);
  EXPECT_EQ(summary.find("expected from noise alone"), std::string::npos);
}

TEST(DpReport, ConfirmedButUntested) {
  json dp = privacy();
  dp["bound_check"]["records"] = bound_entry(40, 5, 0, 0);
  dp["bound_check"]["patients"] = bound_entry(40, 5, 0, 0);
  const std::string summary = section(render_report(with_privacy(dp)), "summary");
  EXPECT_NE(summary.find("5 patients and 5 records are confirmed above the bound"), std::string::npos);
  EXPECT_NE(summary.find("None of them has the 8 IN and 8 OUT models"), std::string::npos);
  EXPECT_EQ(summary.find("expected from noise alone"), std::string::npos);
}

TEST(DpReport, PartlyTestedCountsTheRest) {
  json dp = privacy();
  dp["bound_check"]["records"] = bound_entry(602, 91, 600, 0);
  dp["bound_check"]["patients"] = bound_entry(602, 91, 599, 0);
  const std::string summary = section(render_report(with_privacy(dp)), "summary");
  EXPECT_NE(summary.find("Another 5 units selected above the bound had too few held-out models to be tested."), std::string::npos);
}

TEST(DpReport, WarningOnlyWhenBeyondNoise) {
  const std::string quiet = render_report(with_privacy(privacy()));
  EXPECT_EQ(quiet.find("Privacy bound violated"), std::string::npos);
  EXPECT_EQ(quiet.find("violation"), std::string::npos);

  json dp = privacy();
  dp["bound_check"]["patients"]["beyond_se"] = 3;
  dp["bound_check"]["records"]["beyond_se"] = 2;
  const std::string summary = section(render_report(with_privacy(dp)), "summary");
  const auto notice = summary.find("<div class=\"fact highlight violation\">\n<p><strong class=\"mark\">Privacy bound "
                                   "violated.</strong> 3 patients and 2 records have a membership AUC");
  ASSERT_NE(notice, std::string::npos);
  EXPECT_EQ(count(summary, "Privacy bound violated."), 1u);
  // Before the key facts, so that a reader meets it first.
  EXPECT_LT(notice, summary.find("<div class=\"facts\">"));
  EXPECT_NE(summary.find("above the DP bound of 0.614"), std::string::npos);
  EXPECT_NE(summary.find("Do not rely on the stated ε = 1"), std::string::npos);
  EXPECT_NE(summary.find("Of them, 3 patients and 2 records are above it by more than estimation noise explains"),
            std::string::npos);
  EXPECT_EQ(summary.find("expected from noise alone"), std::string::npos);
}

TEST(DpReport, WarningNamesOnlyViolatingUnits) {
  json dp = privacy();
  dp["bound_check"]["patients"]["beyond_se"] = 1;
  const std::string summary = section(render_report(with_privacy(dp)), "summary");
  EXPECT_NE(summary.find("violated.</strong> 1 patient has a membership AUC"), std::string::npos);
}

TEST(DpReport, BoundLineOnBothCharts) {
  const std::string html = render_report(with_privacy(privacy()));
  EXPECT_EQ(count(chart(html, "survival-records"), ">DP bound 0.614</text>"), 1u);
  EXPECT_EQ(count(chart(html, "survival-patients"), ">DP bound 0.614</text>"), 1u);
  EXPECT_NE(caption(html, "survival-records").find("no membership attack can exceed AUC 0.614 on any record"),
            std::string::npos);
  EXPECT_NE(caption(html, "survival-patients").find("no membership attack can exceed AUC 0.614 on any patient"),
            std::string::npos);
  EXPECT_NE(caption(html, "survival-records").find("estimates from 64 models"), std::string::npos);
}

TEST(DpReport, RecordLevelLeavesPatientChart) {
  json dp = privacy();
  dp["unit"] = "record";
  dp["bound_check"]["patients"] = nullptr;
  const std::string html = render_report(with_privacy(dp));
  EXPECT_EQ(count(chart(html, "survival-records"), ">DP bound 0.614</text>"), 1u);
  EXPECT_EQ(chart(html, "survival-patients").find("DP bound"), std::string::npos);
  EXPECT_NE(caption(html, "survival-patients").find("The record-level DP bound is not drawn here"), std::string::npos);
  const std::string summary = section(html, "summary");
  EXPECT_NE(summary.find("record-level DP-SGD"), std::string::npos);
  EXPECT_NE(summary.find("no membership attack can exceed AUC 0.614 on any record."), std::string::npos);
  EXPECT_NE(summary.find("patients are not checked against it"), std::string::npos);
  EXPECT_NE(summary.find("On held-out models, 91 records are confirmed above the bound"), std::string::npos);
  EXPECT_NE(section(html, "methods").find("Patients are not checked"), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(DpReport, RecordLevelWithPatientCheckDrawsBoth) {
  // Record-level DP where every patient has one record: the summary carries a patient check.
  json dp = privacy();
  dp["unit"] = "record";
  const std::string html = render_report(with_privacy(dp));
  EXPECT_EQ(count(chart(html, "survival-records"), ">DP bound 0.614</text>"), 1u);
  EXPECT_EQ(count(chart(html, "survival-patients"), ">DP bound 0.614</text>"), 1u);
}

TEST(DpReport, NoBoundLineAtOne) {
  json dp = privacy();
  dp["auc_bound"] = 1.0;
  dp.erase("bound_check");
  const std::string html = render_report(with_privacy(dp));
  EXPECT_EQ(chart(html, "survival-records").find("DP bound"), std::string::npos);
  EXPECT_EQ(chart(html, "survival-patients").find("DP bound"), std::string::npos);
  EXPECT_NE(caption(html, "survival-records").find("No DP bound is drawn"), std::string::npos);
  EXPECT_NE(section(html, "summary").find("allows a membership AUC of up to 1"), std::string::npos);
}

TEST(DpReport, NoBoundLineWhenRoundedToOne) {
  // epsilon 100 at the same delta: rdp_profile_auc_bound gave 0.9999999999998981.
  json dp = privacy();
  dp["epsilon"] = 99.999795397516;
  dp["auc_bound"] = 0.9999999999998981;
  dp["bound_check"]["records"] = bound_entry(0, 0, 0, 0);
  dp["bound_check"]["patients"] = bound_entry(0, 0, 0, 0);
  const std::string html = render_report(with_privacy(dp));
  EXPECT_EQ(chart(html, "survival-records").find("DP bound"), std::string::npos);
  EXPECT_NE(caption(html, "survival-records").find("1.000 to three decimals"), std::string::npos);
  EXPECT_NE(section(html, "summary").find("That is no practical limit"), std::string::npos);
}

TEST(DpReport, LargeEpsilonPrintedPlain) {
  // epsilon 1000 at the same delta, as privaudit 0.1.0 accounted it for the NMES 1988 demo data.
  json dp = privacy();
  dp["target_epsilon"] = 1000.0;
  dp["epsilon"] = 999.9960309527266;
  dp["auc_bound"] = 0.9999999999998981;
  dp["auc_bound_single_pair"] = 1.0;
  dp["bound_check"]["records"] = bound_entry(0, 0, 0, 0);
  dp["bound_check"]["patients"] = bound_entry(0, 0, 0, 0);
  const std::string html = render_report(with_privacy(dp));
  EXPECT_EQ(html.find("e+03"), std::string::npos);
  EXPECT_EQ(html.find("1.0000"), std::string::npos);
  EXPECT_NE(section(html, "summary").find("at ε = 1000 and δ = 0.000267."), std::string::npos);
  const std::string methods = section(html, "methods");
  EXPECT_NE(methods.find("calibrated to reach the target ε = 1000</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>Membership AUC bound</td><td>1 (no limit)</td>"), std::string::npos);
}

TEST(DpReport, InfiniteEpsilon) {
  json dp = privacy();
  dp["epsilon"] = "inf";
  dp["clip_norm"] = "inf";
  dp["order"] = nullptr;
  dp["target_epsilon"] = nullptr;
  dp["auc_bound"] = 1.0;
  dp["auc_bound_single_pair"] = 1.0;
  dp.erase("bound_check");
  std::string html;
  ASSERT_NO_THROW(html = render_report(with_privacy(dp)));
  const std::string summary = section(html, "summary");
  EXPECT_NE(summary.find("without gradient clipping, so the privacy accountant reports an infinite ε"),
            std::string::npos);
  EXPECT_NE(summary.find("DP-SGD gives no privacy guarantee here"), std::string::npos);
  EXPECT_EQ(summary.find("no membership attack can exceed"), std::string::npos);
  EXPECT_EQ(chart(html, "survival-records").find("DP bound"), std::string::npos);
  const std::string methods = section(html, "methods");
  EXPECT_NE(methods.find("<td>ε</td><td>infinite: no guarantee</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>Clip norm C</td><td>none (clipping off)</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>Membership AUC bound</td><td>1 (no limit)</td>"), std::string::npos);
  for (const char* bad : {">nan", "nan<", " nan ", ">inf<", " inf "}) EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(DpReport, ZeroNoiseNamed) {
  json dp = privacy();
  dp["epsilon"] = "inf";
  dp["noise_multiplier"] = 0.0;
  dp["auc_bound"] = 1.0;
  dp.erase("bound_check");
  EXPECT_NE(section(render_report(with_privacy(dp)), "summary").find("but without noise, so"), std::string::npos);
}

TEST(DpReport, MissingBoundCheckSaysSo) {
  json dp = privacy();
  dp.erase("bound_check");
  const std::string html = render_report(with_privacy(dp));
  EXPECT_NE(section(html, "summary").find("The summary has no bound check"), std::string::npos);
  EXPECT_NE(section(html, "methods").find("The bound check is not in this summary."), std::string::npos);
  EXPECT_EQ(count(chart(html, "survival-records"), ">DP bound 0.614</text>"), 1u);
}

TEST(DpReport, MethodsListsSettings) {
  const std::string methods = section(render_report(with_privacy(privacy())), "methods");
  EXPECT_NE(methods.find("<h3>Differential privacy (DP-SGD)</h3>"), std::string::npos);
  EXPECT_NE(methods.find("<td>Privacy unit</td><td>patient</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>Clip norm C</td><td>1</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>Noise multiplier σ</td><td>3.41, calibrated to reach the target ε = 1</td>"),
            std::string::npos);
  EXPECT_NE(methods.find("<td>Sampling rate q</td><td>0.0342</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>Steps</td><td>870</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>δ</td><td>0.000267</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>ε</td><td>1, at RDP order 12</td>"), std::string::npos);
  EXPECT_NE(methods.find("<td>Accountant</td><td>RDP of the Poisson-subsampled Gaussian mechanism"), std::string::npos);
  EXPECT_NE(methods.find("<td>Membership AUC bound</td><td>0.6141; the single pair (ε, δ) alone gives 0.7312</td>"),
            std::string::npos);
  EXPECT_NE(methods.find("whole privacy profile"), std::string::npos);
  EXPECT_NE(methods.find("at least 8 IN and 8 OUT models on half B"), std::string::npos);
  EXPECT_NE(methods.find("Hanley-McNeil standard error at AUC = bound"), std::string::npos);
  EXPECT_NE(methods.find("<tr><td>patients</td><td>602</td><td>91</td><td>602</td><td>3.77</td><td>1.69</td><td>0</td>"
                         "<td>0.884</td></tr>"),
            std::string::npos);
  EXPECT_NE(methods.find("<tr><td>records</td><td>602</td>"), std::string::npos);
}

TEST(DpReport, RecipeTableShowsAccountedValues) {
  json summary = with_privacy(privacy());
  summary["config"]["train"]["privacy"] = "patient";
  summary["config"]["train"]["dp_noise"] = 1.0;
  summary["config"]["train"]["dp_clip"] = 1.0;
  summary["config"]["train"]["dp_delta"] = nullptr;
  const std::string utility = section(render_report(summary), "utility");
  EXPECT_EQ(utility.find("dp_noise"), std::string::npos);
  EXPECT_EQ(utility.find("<td>privacy</td>"), std::string::npos);
  EXPECT_NE(utility.find("<td>DP-SGD</td><td>patient-level; ε = 1 at δ = 0.000267; noise multiplier 3.41, clip norm "
                         "1, sampling rate 0.0342, 870 steps</td>"),
            std::string::npos);
}

TEST(DpReport, WithoutPrivacyOnlyOffRow) {
  const std::string plain = render_report(fixture());
  json null_privacy = fixture();
  null_privacy["privacy"] = nullptr;
  EXPECT_EQ(render_report(null_privacy), plain);
  json text_privacy = fixture();
  text_privacy["privacy"] = "patient";
  EXPECT_EQ(render_report(text_privacy), plain);
  // The recipe table states that DP-SGD was off, and nothing else on the page mentions DP.
  EXPECT_EQ(count(plain, "DP-SGD"), 1u);
  EXPECT_NE(section(plain, "utility").find("<tr><td>DP-SGD</td><td>off</td></tr>"), std::string::npos);
  EXPECT_EQ(plain.find("DP bound"), std::string::npos);
  EXPECT_EQ(plain.find("Differential privacy"), std::string::npos);
}

TEST(DpReport, RecipeTableDpOffReplacesSettings) {
  // The training options of a run without DP-SGD, as privaudit 0.1.0 writes them to config.train.
  json summary = fixture();
  summary["config"]["train"]["privacy"] = "off";
  summary["config"]["train"]["dp_clip"] = 1.0;
  summary["config"]["train"]["dp_noise"] = 1.0;
  summary["config"]["train"]["dp_delta"] = nullptr;
  summary["config"]["train"]["dp_sampling_rate"] = nullptr;
  summary["config"]["train"]["dp_target_epsilon"] = nullptr;
  const std::string utility = section(render_report(summary), "utility");
  EXPECT_EQ(utility.find("<td>dp_"), std::string::npos);
  EXPECT_EQ(utility.find("<td>privacy</td>"), std::string::npos);
  EXPECT_EQ(count(utility, "<tr><td>DP-SGD</td><td>off</td></tr>"), 1u);
  // The same page as without the DP options.
  EXPECT_EQ(section(render_report(fixture()), "utility"), utility);
}

TEST(DpReport, RequestedDpWithoutGuaranteeSaysSo) {
  json summary = fixture();
  summary["config"]["train"]["privacy"] = "patient";
  summary["config"]["train"]["dp_target_epsilon"] = 1.0;
  const std::string utility = section(render_report(summary), "utility");
  EXPECT_EQ(utility.find("<td>DP-SGD</td><td>off</td>"), std::string::npos);
  EXPECT_NE(utility.find("<td>DP-SGD</td><td>patient-level requested, but the summary has no DP-SGD guarantee</td>"),
            std::string::npos);
  EXPECT_EQ(utility.find("<td>dp_"), std::string::npos);
}

TEST(DpReport, InjectedMarkupEscaped) {
  json dp = privacy();
  dp["unit"] = "<script>alert(1)</script>";
  dp["accountant"] = "<b>RDP</b> & \"friends\"";
  const std::string html = render_report(with_privacy(dp));
  EXPECT_EQ(count(html, "<script"), 1u);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("<td>Privacy unit</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;RDP&lt;/b&gt; &amp; &quot;friends&quot;"), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(DpReport, WellFormed) {
  json violation = privacy();
  violation["bound_check"]["records"]["beyond_se"] = 4;
  json record = privacy();
  record["unit"] = "record";
  record["bound_check"]["patients"] = nullptr;
  for (const json& dp : {privacy(), violation, record}) {
    EXPECT_EQ(testing::check_markup(render_report(with_privacy(dp)), testing::MarkupDialect::html), "");
  }
}

TEST(DpReport, WrongTypesDoNotThrow) {
  json dp = privacy();
  dp["epsilon"] = json::array({1, 2});
  dp["delta"] = "small";
  dp["steps"] = nullptr;
  dp["auc_bound"] = "0.6";
  dp["bound_check"]["records"] = 7;
  dp["bound_check"]["patients"]["confirmed"] = "many";
  std::string html;
  ASSERT_NO_THROW(html = render_report(with_privacy(dp)));
  EXPECT_NE(section(html, "summary").find("does not contain the membership AUC bound"), std::string::npos);
  EXPECT_EQ(chart(html, "survival-records").find("DP bound"), std::string::npos);
  for (const char* bad : {">nan", "nan<", " nan ", "nan\""}) EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(DpReport, Deterministic) {
  EXPECT_EQ(render_report(with_privacy(privacy())), render_report(with_privacy(privacy())));
}

}  // namespace
}  // namespace privaudit::report
