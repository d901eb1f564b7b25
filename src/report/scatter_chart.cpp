// Scatter charts with tooltips per point and horizontal reference lines.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "report/chart_frame.h"
#include "report/markup.h"
#include "report/palette.h"
#include "report/svg_chart.h"

namespace privaudit::report {

void ScatterChart::validate() const {
  detail::validate_chart_id(id, "ScatterChart");
  detail::validate_size(size, "ScatterChart");
  x_axis.validate("ScatterChart.x_axis");
  y_axis.validate("ScatterChart.y_axis");
}

std::string render_scatter_chart(const ScatterChart& chart) {
  chart.validate();

  // 1. Domains from the points and the reference lines.
  detail::Extent x_extent;
  detail::Extent y_extent;
  for (const auto& series : chart.series) {
    for (const auto& point : series.points) {
      if (!std::isfinite(point.x) || !std::isfinite(point.y)) continue;
      x_extent.add(point.x, chart.x_axis.scale);
      y_extent.add(point.y, chart.y_axis.scale);
    }
  }
  for (const auto& line : chart.y_references) y_extent.add(line.value, chart.y_axis.scale);
  const TickSet x_ticks = detail::resolve_ticks(chart.x_axis, x_extent);
  const TickSet y_ticks = detail::resolve_ticks(chart.y_axis, y_extent);

  // 2. Layout as in the line chart.
  std::vector<detail::LegendEntry> legend;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    if (series.name.empty()) continue;
    legend.push_back({series.name, series.color.empty() ? std::string(series_color(s)) : series.color,
                      detail::Swatch::dot});
  }
  detail::PlotArea area;
  area.top = chart.title.empty() ? 12.0 : 34.0;
  area.left = 10.0 + detail::max_label_width(y_ticks) + detail::kTickLength + (chart.y_axis.title.empty() ? 0.0 : 22.0);
  area.right = chart.size.width - 14.0 - (x_ticks.labels.empty() ? 0.0 : detail::text_width(x_ticks.labels.back()) / 2.0);
  const double legend_width = chart.size.width - area.left;
  const double legend_block = legend.empty() ? 0.0 : 6.0 + detail::legend_height(legend, legend_width);
  const double below_axis = detail::kTickLength + detail::kFontSize + 6.0 + (chart.x_axis.title.empty() ? 0.0 : 22.0);
  area.bottom = std::max(chart.size.height - below_axis - legend_block - 4.0, area.top + 40.0);
  const double height = std::max(chart.size.height, area.bottom + below_axis + legend_block + 4.0);
  const Scale x_scale(chart.x_axis.scale, x_ticks.domain_min, x_ticks.domain_max, area.left, area.right);
  const Scale y_scale(chart.y_axis.scale, y_ticks.domain_min, y_ticks.domain_max, area.bottom, area.top);

  // 3. Frame, reference lines, points, legend.
  std::string out = detail::open_svg(chart.id, chart.title, chart.size.width, height);
  out += detail::clip_path(chart.id, area);
  out += detail::draw_title(chart.title, chart.size.width);
  out += detail::draw_x_axis(x_scale, x_ticks, area, chart.x_axis.title, true);
  out += detail::draw_y_axis(y_scale, y_ticks, area, chart.y_axis.title, true);
  out += detail::draw_horizontal_references(y_scale, chart.y_references, area);
  out += fmt::format("<g class=\"plot\" clip-path=\"url(#{}-clip)\">\n", chart.id);
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    const std::string color = escape_xml(series.color.empty() ? std::string(series_color(s)) : series.color);
    out += fmt::format("<g class=\"points\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\">\n", color);
    for (const auto& point : series.points) {
      const double px = x_scale.map(point.x);
      const double py = y_scale.map(point.y);
      if (!std::isfinite(px) || !std::isfinite(py)) continue;
      std::string text = series.name;
      if (!point.label.empty()) text += (text.empty() ? "" : ": ") + point.label;
      text += fmt::format(" ({} {}, {} {})", chart.x_axis.title.empty() ? "x" : chart.x_axis.title,
                          format_data_value(point.x), chart.y_axis.title.empty() ? "y" : chart.y_axis.title,
                          format_data_value(point.y));
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\"><title>{}</title></circle>\n", format_coordinate(px),
                         format_coordinate(py), escape_xml(text));
    }
    out += "</g>\n";
  }
  out += "</g>\n";
  out += detail::draw_legend(legend, area.left, area.bottom + below_axis + (legend.empty() ? 0.0 : 6.0), legend_width);
  return out + "</svg>\n";
}

}  // namespace privaudit::report
