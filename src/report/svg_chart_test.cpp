#include "report/svg_chart.h"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "core/error.h"
#include "report/markup_checker.h"

namespace privaudit::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

std::string well_formed(const std::string& svg) { return testing::check_markup(svg, testing::MarkupDialect::xml); }

LineChart roc_chart() {
  LineChart chart;
  chart.id = "roc";
  chart.title = "ROC";
  chart.x_axis = {"False positive rate", ScaleKind::log10, 1e-4, 1.0};
  chart.y_axis = {"True positive rate", ScaleKind::log10, 1e-4, 1.0};
  LineSeries attack;
  attack.name = "LiRA";
  attack.x = {1e-4, 1e-3, 1e-2, 1e-1, 1.0};
  attack.y = {3e-4, 4e-3, 3e-2, 0.2, 1.0};
  attack.lower = {1e-4, 2e-3, 2e-2, 0.15, 1.0};
  attack.upper = {5e-4, 6e-3, 4e-2, 0.25, 1.0};
  LineSeries chance;
  chance.name = "chance";
  chance.x = {1e-4, 1.0};
  chance.y = {1e-4, 1.0};
  chance.dashed = true;
  chance.hover_points = false;
  chart.series = {attack, chance};
  return chart;
}

TEST(LineChart, WellFormedWithRootAttributes) {
  const std::string svg = render_line_chart(roc_chart());
  EXPECT_EQ(well_formed(svg), "");
  EXPECT_EQ(svg.rfind("<svg class=\"chart\" data-chart=\"roc\" role=\"img\" aria-label=\"ROC\"", 0), 0u);
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_EQ(svg.find("xmlns"), std::string::npos);
  EXPECT_EQ(svg.find("http"), std::string::npos);
}

TEST(LineChart, LogAxesHaveDecadeLabels) {
  const std::string svg = render_line_chart(roc_chart());
  for (const char* label : {">0.0001<", ">0.001<", ">0.01<", ">0.1<", ">1<"}) {
    EXPECT_EQ(count(svg, label), 2u) << label;  // once on each axis
  }
}

TEST(LineChart, BandPolygonPresent) {
  LineChart chart = roc_chart();
  EXPECT_EQ(count(render_line_chart(chart), "<polygon class=\"band\""), 1u);
  chart.series[0].lower.clear();
  chart.series[0].upper.clear();
  EXPECT_EQ(count(render_line_chart(chart), "<polygon class=\"band\""), 0u);
}

TEST(LineChart, BandSplitsAtMissingValues) {
  LineChart chart = roc_chart();
  chart.series[0].upper[2] = kNaN;
  EXPECT_EQ(count(render_line_chart(chart), "<polygon class=\"band\""), 2u);
}

TEST(LineChart, NaNAndInfinitePointsSkipped) {
  LineChart chart;
  chart.id = "gaps";
  LineSeries series;
  series.name = "s";
  series.x = {0.0, 1.0, 2.0, kNaN, 4.0, 5.0, 6.0};
  series.y = {1.0, 2.0, kInf, 3.0, 4.0, 5.0, kNaN};
  chart.series = {series};
  const std::string svg = render_line_chart(chart);
  EXPECT_EQ(well_formed(svg), "");
  // Points 0-1 and 4-5 remain: two subpaths and four hover points.
  EXPECT_EQ(count(svg, "<circle"), 4u);
  const auto path = svg.find("<path class=\"series\"");
  ASSERT_NE(path, std::string::npos);
  const std::string d = svg.substr(path, svg.find('>', path) - path);
  EXPECT_EQ(count(d, "M"), 2u);
  for (const char* bad : {"nan\"", "nan ", "inf\"", "inf "}) EXPECT_EQ(svg.find(bad), std::string::npos) << bad;
}

TEST(LineChart, NonPositiveValuesSkippedOnLogAxis) {
  LineChart chart;
  chart.id = "survival";
  chart.y_axis = {"share", ScaleKind::log10, 1e-3, 1.0};
  LineSeries series;
  series.name = "records";
  series.x = {0.5, 0.6, 0.7, 0.8};
  series.y = {1.0, 0.1, 0.01, 0.0};
  chart.series = {series};
  EXPECT_EQ(count(render_line_chart(chart), "<circle"), 3u);
}

TEST(LineChart, StepAfterInsertsCorners) {
  LineChart chart;
  chart.id = "steps";
  chart.size = {240.0, 200.0};
  chart.x_axis = {"", ScaleKind::linear, 0.0, 1.0};
  chart.y_axis = {"", ScaleKind::linear, 0.0, 1.0};
  LineSeries series;
  series.x = {0.0, 1.0};
  series.y = {1.0, 0.0};
  series.interpolation = Interpolation::step_after;
  series.hover_points = false;
  chart.series = {series};
  const std::string svg = render_line_chart(chart);
  const auto path = svg.find(" d=\"M");
  ASSERT_NE(path, std::string::npos);
  const std::string d = svg.substr(path + 4, svg.find('"', path + 4) - path - 4);
  // Three vertices: start, the corner at (x1, y0), the end.
  EXPECT_EQ(count(d, "L"), 2u) << d;
}

TEST(LineChart, EscapesText) {
  LineChart chart = roc_chart();
  chart.title = "<script>&\"'";
  chart.x_axis.title = "<script>&\"'";
  chart.series[0].name = "<script>alert(1)</script>";
  chart.x_references = {{0.01, "<b>"}};
  const std::string svg = render_line_chart(chart);
  EXPECT_EQ(well_formed(svg), "");
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;&amp;&quot;&#39;"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;"), std::string::npos);
}

TEST(LineChart, ReferenceLinesInsideDomainOnly) {
  LineChart chart = roc_chart();
  chart.x_references = {{0.01, "inside"}, {5.0, "outside"}};
  const std::string svg = render_line_chart(chart);
  EXPECT_EQ(count(svg, "class=\"reference\""), 1u);
  EXPECT_NE(svg.find(">inside<"), std::string::npos);
  EXPECT_EQ(svg.find("outside"), std::string::npos);
}

TEST(LineChart, LegendListsNamedSeries) {
  const std::string svg = render_line_chart(roc_chart());
  EXPECT_NE(svg.find("<g class=\"legend\">"), std::string::npos);
  EXPECT_NE(svg.find(">chance<"), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray=\"6 4\""), std::string::npos);
}

TEST(LineChart, HoverPointsThinnedForLongSeries) {
  LineChart chart;
  chart.id = "long";
  LineSeries series;
  series.name = "s";
  for (int i = 0; i < 1000; ++i) {
    series.x.push_back(i);
    series.y.push_back(i * 0.5);
  }
  chart.series = {series};
  const std::string svg = render_line_chart(chart);
  EXPECT_EQ(count(svg, "<circle"), kMaxHoverPoints);
  EXPECT_NE(svg.find("fill-opacity=\"0\""), std::string::npos);
}

TEST(LineChart, Deterministic) {
  EXPECT_EQ(render_line_chart(roc_chart()), render_line_chart(roc_chart()));
}

TEST(LineChart, EmptySeriesStillRenders) {
  LineChart chart;
  chart.id = "empty";
  chart.y_axis.scale = ScaleKind::log10;
  const std::string svg = render_line_chart(chart);
  EXPECT_EQ(well_formed(svg), "");
}

TEST(LineChart, ValidationErrors) {
  LineChart chart = roc_chart();
  chart.id = "bad id";
  EXPECT_THROW(render_line_chart(chart), UsageError);
  chart = roc_chart();
  chart.id = "";
  EXPECT_THROW(render_line_chart(chart), UsageError);
  chart = roc_chart();
  chart.series[0].y.pop_back();
  EXPECT_THROW(render_line_chart(chart), UsageError);
  chart = roc_chart();
  chart.series[0].upper.clear();
  EXPECT_THROW(render_line_chart(chart), UsageError);
  chart = roc_chart();
  chart.x_axis.min = 0.0;
  EXPECT_THROW(render_line_chart(chart), UsageError);
  chart = roc_chart();
  chart.y_axis = {"", ScaleKind::linear, 1.0, 0.0};
  EXPECT_THROW(render_line_chart(chart), UsageError);
}

BarChart residual_chart() {
  BarChart chart;
  chart.id = "residuals-afam";
  chart.title = "Pearson residuals";
  chart.value_axis.title = "residual";
  chart.bars = {{"yes", 2.2, 1.0, 3.4, "**", "observed 9", "#D55E00"},
                {"no", -0.8, -1.5, -0.1, "", "", "#0072B2"},
                {"unknown", kNaN, kNaN, kNaN, "", "", ""}};
  chart.references = {{1.96, "p = 0.05"}, {-1.96, ""}};
  return chart;
}

TEST(BarChart, WellFormedWithZeroLineAndErrorBars) {
  const std::string svg = render_bar_chart(residual_chart());
  EXPECT_EQ(well_formed(svg), "");
  EXPECT_EQ(svg.rfind("<svg class=\"chart\" data-chart=\"residuals-afam\" role=\"img\"", 0), 0u);
  EXPECT_EQ(count(svg, "class=\"zero-line\""), 1u);
  EXPECT_EQ(count(svg, "class=\"error-bar\""), 2u);
  EXPECT_EQ(count(svg, "<rect"), 2u);  // no bar for the NaN value
  EXPECT_EQ(count(svg, "<g class=\"bar\">"), 3u);
  EXPECT_EQ(count(svg, "class=\"reference\""), 2u);
}

TEST(BarChart, MarksAndTooltips) {
  const std::string svg = render_bar_chart(residual_chart());
  EXPECT_NE(svg.find("class=\"mark\""), std::string::npos);
  EXPECT_NE(svg.find(">**</text>"), std::string::npos);
  EXPECT_NE(svg.find("<title>yes: 2.2 [1, 3.4]; observed 9</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>unknown: n/a</title>"), std::string::npos);
  EXPECT_NE(svg.find(">n/a</text>"), std::string::npos);
}

TEST(BarChart, LongLabelCutWithFullTooltip) {
  BarChart chart = residual_chart();
  chart.bars[0].label = std::string(40, 'x');
  const std::string svg = render_bar_chart(chart);
  EXPECT_NE(svg.find(">" + std::string(27, 'x') + "…</text>"), std::string::npos);
  EXPECT_NE(svg.find("<title>" + std::string(40, 'x') + ":"), std::string::npos);
}

TEST(BarChart, EscapesLabels) {
  BarChart chart = residual_chart();
  chart.bars[0].label = "<script>&\"'";
  chart.bars[0].mark = "<i>";
  const std::string svg = render_bar_chart(chart);
  EXPECT_EQ(well_formed(svg), "");
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<i>"), std::string::npos);
}

TEST(BarChart, AllPositiveDomainStartsAtZero) {
  BarChart chart;
  chart.id = "shares";
  chart.bars = {{"a", 0.3, kNaN, kNaN, "", "", ""}, {"b", 0.5, kNaN, kNaN, "", "", ""}};
  const std::string svg = render_bar_chart(chart);
  EXPECT_NE(svg.find(">0.0<"), std::string::npos);
  EXPECT_EQ(svg.find(">-"), std::string::npos);
}

TEST(BarChart, RejectsLogAxis) {
  BarChart chart = residual_chart();
  chart.value_axis.scale = ScaleKind::log10;
  EXPECT_THROW(render_bar_chart(chart), UsageError);
}

TEST(BarChart, Deterministic) { EXPECT_EQ(render_bar_chart(residual_chart()), render_bar_chart(residual_chart())); }

ScatterChart size_chart() {
  ScatterChart chart;
  chart.id = "residual-vs-size";
  chart.title = "Residual against group size";
  chart.x_axis = {"share of pool", ScaleKind::log10};
  chart.y_axis = {"residual"};
  chart.series = {{"afam", {{0.117, 2.2, "yes"}, {0.883, -0.8, "no"}}, ""},
                  {"gender", {{0.4, 0.3, "male"}, {kNaN, 1.0, "nan"}, {0.0, 1.0, "zero share"}}, ""}};
  chart.y_references = {{0.0, ""}};
  return chart;
}

TEST(ScatterChart, WellFormedAndSkipsUndrawable) {
  const std::string svg = render_scatter_chart(size_chart());
  EXPECT_EQ(well_formed(svg), "");
  EXPECT_EQ(svg.rfind("<svg class=\"chart\" data-chart=\"residual-vs-size\" role=\"img\"", 0), 0u);
  // The NaN x and the zero share on the log axis are skipped; the legend adds two dots.
  EXPECT_EQ(count(svg, "<circle cx"), 3u + 2u);
  EXPECT_NE(svg.find("<title>afam: yes (share of pool 0.117, residual 2.2)</title>"), std::string::npos);
  EXPECT_EQ(svg.find("zero share"), std::string::npos);
  EXPECT_EQ(count(svg, "class=\"reference\""), 1u);
}

TEST(ScatterChart, EscapesLabels) {
  ScatterChart chart = size_chart();
  chart.series[0].points[0].label = "<script>alert('x')</script>";
  chart.series[0].name = "a&b";
  const std::string svg = render_scatter_chart(chart);
  EXPECT_EQ(well_formed(svg), "");
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("a&amp;b"), std::string::npos);
}

TEST(ScatterChart, Deterministic) {
  EXPECT_EQ(render_scatter_chart(size_chart()), render_scatter_chart(size_chart()));
}

}  // namespace
}  // namespace privaudit::report
