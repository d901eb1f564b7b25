// Line charts: series with optional shaded bands, reference lines, linear or log axes.
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

using detail::PlotArea;

// Series with at most this many points show visible markers. Longer ones keep only invisible hover
// targets, because visible markers would hide the line.
constexpr std::size_t kMaxVisibleMarkers = 30;
// Band opacity for one or two bands, and for three or more, where overlaps would turn murky.
constexpr double kBandOpacity = 0.18;
constexpr double kCrowdedBandOpacity = 0.09;

struct Point {
  double x = 0.0;
  double y = 0.0;
};

// Pixel polylines through the points whose x and y both map to finite positions: a point that
// does not breaks the line. Step interpolation inserts the corner point before each step.
std::vector<std::vector<Point>> trace(const std::vector<double>& xs, const std::vector<double>& ys,
                                      const Scale& x_scale, const Scale& y_scale, Interpolation interpolation,
                                      bool clamp_y) {
  std::vector<std::vector<Point>> runs;
  std::vector<Point> run;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double px = x_scale.map(xs[i]);
    const double py = clamp_y ? y_scale.map_clamped(ys[i]) : y_scale.map(ys[i]);
    if (!std::isfinite(px) || !std::isfinite(py)) {
      if (!run.empty()) runs.push_back(std::move(run));
      run.clear();
      continue;
    }
    if (interpolation == Interpolation::step_after && !run.empty()) run.push_back({px, run.back().y});
    run.push_back({px, py});
  }
  if (!run.empty()) runs.push_back(std::move(run));
  return runs;
}

std::string path_data(const std::vector<Point>& run) {
  std::string d;
  for (std::size_t i = 0; i < run.size(); ++i) {
    d += fmt::format("{}{} {}", i == 0 ? "M" : " L", format_coordinate(run[i].x), format_coordinate(run[i].y));
  }
  return d;
}

// Band polygons: the upper edge forward, the lower edge backward, split wherever x, lower or
// upper is missing. Band edges are clamped into the y domain (a lower edge of 0 on a log axis
// sits on the axis).
std::string draw_band(const LineSeries& series, const Scale& x_scale, const Scale& y_scale, const std::string& color,
                      double opacity) {
  std::string out;
  std::vector<double> upper = series.upper;
  std::vector<double> lower = series.lower;
  for (std::size_t i = 0; i < upper.size(); ++i) {
    if (std::isnan(upper[i]) || std::isnan(lower[i])) upper[i] = lower[i] = std::nan("");
  }
  const auto upper_runs = trace(series.x, upper, x_scale, y_scale, series.interpolation, true);
  const auto lower_runs = trace(series.x, lower, x_scale, y_scale, series.interpolation, true);
  for (std::size_t r = 0; r < std::min(upper_runs.size(), lower_runs.size()); ++r) {
    std::vector<Point> ring = upper_runs[r];
    ring.insert(ring.end(), lower_runs[r].rbegin(), lower_runs[r].rend());
    std::string points;
    for (const auto& p : ring) {
      points += fmt::format("{}{},{}", points.empty() ? "" : " ", format_coordinate(p.x), format_coordinate(p.y));
    }
    out += fmt::format("<polygon class=\"band\" points=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"none\"/>\n",
                       points, color, format_coordinate(opacity));
  }
  return out;
}

std::string tooltip(const LineSeries& series, const LineChart& chart, std::size_t i) {
  std::string text = fmt::format("{}: {} {}, {} {}", series.name, chart.x_axis.title, format_data_value(series.x[i]),
                                 chart.y_axis.title, format_data_value(series.y[i]));
  if (!series.lower.empty()) {
    text += fmt::format(" (band {} to {})", format_significant(series.lower[i]), format_significant(series.upper[i]));
  }
  return escape_xml(text);
}

std::string draw_hover_points(const LineSeries& series, const LineChart& chart, const Scale& x_scale,
                              const Scale& y_scale, const std::string& color) {
  std::vector<std::size_t> drawable;
  for (std::size_t i = 0; i < series.x.size(); ++i) {
    if (x_scale.drawable(series.x[i]) && y_scale.drawable(series.y[i])) drawable.push_back(i);
  }
  if (drawable.empty()) return "";
  const std::size_t stride = (drawable.size() + kMaxHoverPoints - 1) / kMaxHoverPoints;
  const bool visible = drawable.size() <= kMaxVisibleMarkers;
  std::string out = fmt::format("<g class=\"points\" fill=\"{}\"{}>\n", color, visible ? "" : " fill-opacity=\"0\"");
  for (std::size_t k = 0; k < drawable.size(); k += stride) {
    const std::size_t i = drawable[k];
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}</title></circle>\n",
                       format_coordinate(x_scale.map(series.x[i])), format_coordinate(y_scale.map(series.y[i])),
                       visible ? "3" : "4", tooltip(series, chart, i));
  }
  return out + "</g>\n";
}

}  // namespace

void LineChart::validate() const {
  detail::validate_chart_id(id, "LineChart");
  detail::validate_size(size, "LineChart");
  x_axis.validate("LineChart.x_axis");
  y_axis.validate("LineChart.y_axis");
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto& line = series[s];
    if (line.y.size() != line.x.size()) {
      throw UsageError(fmt::format("LineChart '{}' series {} ('{}'): y has {} values but x has {}; they must match",
                                   id, s, line.name, line.y.size(), line.x.size()));
    }
    const bool band_ok = (line.lower.empty() && line.upper.empty()) ||
                         (line.lower.size() == line.x.size() && line.upper.size() == line.x.size());
    if (!band_ok) {
      throw UsageError(fmt::format(
          "LineChart '{}' series {} ('{}'): band has {} lower and {} upper values for {} points; give both with "
          "one value per point, or neither",
          id, s, line.name, line.lower.size(), line.upper.size(), line.x.size()));
    }
  }
}

std::string render_line_chart(const LineChart& chart) {
  chart.validate();

  // 1. Domains from the data: points, bands and reference lines.
  detail::Extent x_extent;
  detail::Extent y_extent;
  for (const auto& series : chart.series) {
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      if (!std::isfinite(series.x[i])) continue;
      x_extent.add(series.x[i], chart.x_axis.scale);
      y_extent.add(series.y[i], chart.y_axis.scale);
      if (!series.lower.empty()) {
        y_extent.add(series.lower[i], chart.y_axis.scale);
        y_extent.add(series.upper[i], chart.y_axis.scale);
      }
    }
  }
  for (const auto& line : chart.x_references) x_extent.add(line.value, chart.x_axis.scale);
  const TickSet x_ticks = detail::resolve_ticks(chart.x_axis, x_extent);
  const TickSet y_ticks = detail::resolve_ticks(chart.y_axis, y_extent);

  // 2. Layout: title on top, y labels left, x labels, axis title and legend below.
  std::vector<detail::LegendEntry> legend;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    if (series.name.empty()) continue;
    legend.push_back({series.name, series.color.empty() ? std::string(series_color(s)) : series.color,
                      series.dashed ? detail::Swatch::dashed_line : detail::Swatch::line});
  }
  // A single series needs no legend: the title and axis titles name it.
  if (legend.size() < 2) legend.clear();
  PlotArea area;
  area.top = chart.title.empty() ? 12.0 : 34.0;
  area.left = 10.0 + detail::max_label_width(y_ticks) + detail::kTickLength + (chart.y_axis.title.empty() ? 0.0 : 22.0);
  area.right = chart.size.width - 14.0 - (x_ticks.labels.empty() ? 0.0 : detail::text_width(x_ticks.labels.back()) / 2.0);
  const double legend_width = chart.size.width - area.left;
  const double below_axis = detail::kTickLength + detail::kFontSize + 6.0 + (chart.x_axis.title.empty() ? 0.0 : 22.0);
  const double legend_top_gap = legend.empty() ? 0.0 : 6.0;
  area.bottom = chart.size.height - below_axis - legend_top_gap - detail::legend_height(legend, legend_width) - 4.0;
  area.bottom = std::max(area.bottom, area.top + 40.0);
  const double height = std::max(chart.size.height, area.bottom + below_axis + legend_top_gap +
                                                        detail::legend_height(legend, legend_width) + 4.0);
  const Scale x_scale(chart.x_axis.scale, x_ticks.domain_min, x_ticks.domain_max, area.left, area.right);
  const Scale y_scale(chart.y_axis.scale, y_ticks.domain_min, y_ticks.domain_max, area.bottom, area.top);

  // 3. Frame, bands, reference lines, lines, hover points, legend.
  std::string out = detail::open_svg(chart.id, chart.title, chart.size.width, height);
  out += detail::clip_path(chart.id, area);
  out += detail::draw_title(chart.title, chart.size.width);
  out += detail::draw_x_axis(x_scale, x_ticks, area, chart.x_axis.title, true);
  out += detail::draw_y_axis(y_scale, y_ticks, area, chart.y_axis.title, true);
  out += fmt::format("<g class=\"plot\" clip-path=\"url(#{}-clip)\">\n", chart.id);
  const auto bands = std::count_if(chart.series.begin(), chart.series.end(),
                                   [](const LineSeries& series) { return !series.lower.empty(); });
  const double opacity = bands >= 3 ? kCrowdedBandOpacity : kBandOpacity;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    const std::string color = escape_xml(series.color.empty() ? std::string(series_color(s)) : series.color);
    if (!series.lower.empty()) out += draw_band(series, x_scale, y_scale, color, opacity);
  }
  out += detail::draw_vertical_references(x_scale, chart.x_references, area);
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    const std::string color = escape_xml(series.color.empty() ? std::string(series_color(s)) : series.color);
    std::string d;
    for (const auto& run : trace(series.x, series.y, x_scale, y_scale, series.interpolation, false)) {
      d += (d.empty() ? "" : " ") + path_data(run);
    }
    if (!d.empty()) {
      out += fmt::format("<path class=\"series\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
                         "stroke-linejoin=\"round\"{}><title>{}</title></path>\n",
                         d, color, series.dashed ? " stroke-dasharray=\"6 4\"" : "", escape_xml(series.name));
    }
    if (series.hover_points) out += draw_hover_points(series, chart, x_scale, y_scale, color);
  }
  out += "</g>\n";
  out += detail::draw_legend(legend, area.left, area.bottom + below_axis + legend_top_gap, legend_width);
  return out + "</svg>\n";
}

}  // namespace privaudit::report
