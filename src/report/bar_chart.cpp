// Horizontal bar charts with error bars, marks and a zero line.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "report/chart_frame.h"
#include "report/markup.h"
#include "report/palette.h"
#include "report/svg_chart.h"

namespace privaudit::report {

namespace {

constexpr double kRowPitch = 26.0;           // vertical space per bar
constexpr double kBarThickness = 16.0;
constexpr double kErrorCapHalfHeight = 5.0;
constexpr std::size_t kMaxLabelCharacters = 28;  // longer category labels are cut; the tooltip has all

std::string bar_tooltip(const Bar& bar) {
  std::string text = fmt::format("{}: {}", bar.label, format_significant(bar.value));
  if (std::isfinite(bar.ci_low) && std::isfinite(bar.ci_high)) {
    text += fmt::format(" [{}, {}]", format_significant(bar.ci_low), format_significant(bar.ci_high));
  }
  if (!bar.detail.empty()) text += "; " + bar.detail;
  return escape_xml(text);
}

}  // namespace

void BarChart::validate() const {
  detail::validate_chart_id(id, "BarChart");
  detail::validate_size(size, "BarChart");
  value_axis.validate("BarChart.value_axis");
  if (value_axis.scale != ScaleKind::linear) {
    throw UsageError(fmt::format("BarChart '{}': value_axis must be linear because bars start at zero", id));
  }
}

std::string render_bar_chart(const BarChart& chart) {
  chart.validate();

  // 1. Value domain: zero, values, interval ends, reference lines.
  detail::Extent extent;
  extent.add(0.0, ScaleKind::linear);
  for (const auto& bar : chart.bars) {
    extent.add(bar.value, ScaleKind::linear);
    extent.add(bar.ci_low, ScaleKind::linear);
    extent.add(bar.ci_high, ScaleKind::linear);
  }
  for (const auto& line : chart.references) extent.add(line.value, ScaleKind::linear);
  const TickSet ticks = detail::resolve_ticks(chart.value_axis, extent);

  // 2. Layout: category labels left, marks right, one row per bar.
  double label_width = 0.0;
  bool any_mark = false;
  for (const auto& bar : chart.bars) {
    label_width = std::max(label_width, detail::text_width(detail::truncate_text(bar.label, kMaxLabelCharacters)));
    any_mark = any_mark || !bar.mark.empty();
  }
  bool any_reference_label = false;
  for (const auto& line : chart.references) any_reference_label = any_reference_label || !line.label.empty();
  detail::PlotArea area;
  area.top = (chart.title.empty() ? 10.0 : 32.0) + (any_reference_label ? 16.0 : 0.0);
  area.left = 12.0 + label_width;
  area.right = chart.size.width - 16.0 - (any_mark ? 20.0 : 0.0);
  area.bottom = area.top + kRowPitch * static_cast<double>(std::max<std::size_t>(chart.bars.size(), 1));
  const double below_axis = detail::kTickLength + detail::kFontSize + 6.0 + (chart.value_axis.title.empty() ? 0.0 : 22.0);
  const double height = area.bottom + below_axis + 6.0;
  const Scale scale(ScaleKind::linear, ticks.domain_min, ticks.domain_max, area.left, area.right);
  // Reference labels go in the strip above the bars, not over them.
  detail::PlotArea reference_area = area;
  reference_area.top = area.top - (any_reference_label ? 16.0 : 0.0);

  // 3. Frame, reference lines, bars with error bars and marks.
  std::string out = detail::open_svg(chart.id, chart.title, chart.size.width, height);
  out += detail::draw_title(chart.title, chart.size.width);
  out += detail::draw_x_axis(scale, ticks, area, chart.value_axis.title, true);
  out += detail::draw_vertical_references(scale, chart.references, reference_area);
  const double zero = scale.map(0.0);
  for (std::size_t b = 0; b < chart.bars.size(); ++b) {
    const auto& bar = chart.bars[b];
    const double center = area.top + kRowPitch * (static_cast<double>(b) + 0.5);
    const std::string color = escape_xml(bar.color.empty() ? std::string(kSeriesColors[0]) : bar.color);
    out += fmt::format("<g class=\"bar\"><title>{}</title>", bar_tooltip(bar));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"#222\">{}</text>",
                       format_coordinate(area.left - 8.0), format_coordinate(center),
                       escape_xml(detail::truncate_text(bar.label, kMaxLabelCharacters)));
    double right_end = zero;
    if (std::isfinite(bar.value)) {
      const double end = scale.map(bar.value);
      right_end = std::max(right_end, end);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                         format_coordinate(std::min(zero, end)), format_coordinate(center - kBarThickness / 2.0),
                         format_coordinate(std::max(std::fabs(end - zero), 0.5)), format_coordinate(kBarThickness),
                         color);
    } else {
      out += fmt::format("<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"#555\">n/a</text>",
                         format_coordinate(zero + 4.0), format_coordinate(center));
      right_end = zero + 4.0 + detail::text_width("n/a");
    }
    if (std::isfinite(bar.ci_low) && std::isfinite(bar.ci_high)) {
      const double low = scale.map_clamped(bar.ci_low);
      const double high = scale.map_clamped(bar.ci_high);
      right_end = std::max(right_end, high);
      out += fmt::format("<path class=\"error-bar\" d=\"M{0} {2} L{1} {2} M{0} {3} L{0} {4} M{1} {3} L{1} {4}\" "
                         "stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>",
                         format_coordinate(low), format_coordinate(high), format_coordinate(center),
                         format_coordinate(center - kErrorCapHalfHeight), format_coordinate(center + kErrorCapHalfHeight));
    }
    if (!bar.mark.empty()) {
      out += fmt::format("<text class=\"mark\" x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" font-weight=\"700\" "
                         "fill=\"#222\">{}</text>",
                         format_coordinate(right_end + 4.0), format_coordinate(center), escape_xml(bar.mark));
    }
    out += "</g>\n";
  }
  if (std::isfinite(zero) && zero >= area.left && zero <= area.right) {
    out += fmt::format("<line class=\"zero-line\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#222\" "
                       "stroke-width=\"1.2\"/>\n",
                       format_coordinate(zero), format_coordinate(area.top), format_coordinate(area.bottom));
  }
  return out + "</svg>\n";
}

}  // namespace privaudit::report
