// Building blocks shared by the three chart kinds: validation, domains from data, the plot frame
// with axes and grid, titles, reference lines and the legend. Internal to the report module.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "report/axis.h"
#include "report/svg_chart.h"

namespace privaudit::report::detail {

inline constexpr double kFontSize = 12.0;       // SVG user units
inline constexpr double kTitleFontSize = 14.0;
inline constexpr double kTickLength = 5.0;
inline constexpr double kMinorTickLength = 3.0;

// Plot rectangle inside the chart, in SVG user units.
struct PlotArea {
  double left = 0.0;
  double top = 0.0;
  double right = 0.0;
  double bottom = 0.0;
};

// Smallest and largest drawable data value seen on one axis.
struct Extent {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  // Adds `value` when it is finite and, on a log axis, positive.
  void add(double value, ScaleKind scale);
  bool empty() const { return min > max; }
};

// Throws UsageError unless `id` is a non-empty run of [A-Za-z0-9_-].
void validate_chart_id(const std::string& id, const std::string& chart_kind);
void validate_size(const ChartSize& size, const std::string& chart_kind);

// Domain and ticks of `axis`: its fixed min and max where set, otherwise the data extent rounded
// outward to nice values. An empty extent gives [0, 1] (linear) or [0.1, 1] (log10).
TickSet resolve_ticks(const Axis& axis, const Extent& extent);

// Estimated width of `text` in a sans-serif font of `font_size` (0.58 em per character). Charts
// use it only to make room for labels, so an overestimate costs a little space and nothing else.
double text_width(std::string_view text, double font_size = kFontSize);

// Cuts `text` to at most `max_characters` code points, ending in "…" when it was cut.
std::string truncate_text(std::string_view text, std::size_t max_characters);

// Opening <svg> tag of a chart: class, data-chart, role, aria-label, viewBox and font settings.
std::string open_svg(const std::string& id, const std::string& title, double width, double height);

// Returns a <clipPath> with id "<chart id>-clip" over the plot area.
std::string clip_path(const std::string& id, const PlotArea& area);

// Chart title centred over the plot; nothing when `title` is empty.
std::string draw_title(const std::string& title, double width);

// Grid lines at the major ticks, the axis line, tick marks, tick labels and the axis title.
std::string draw_x_axis(const Scale& scale, const TickSet& ticks, const PlotArea& area, const std::string& title,
                        bool grid);
std::string draw_y_axis(const Scale& scale, const TickSet& ticks, const PlotArea& area, const std::string& title,
                        bool grid);

// Widest y tick label of `ticks`, for the left margin.
double max_label_width(const TickSet& ticks);

// Vertical (or horizontal) dashed lines at the reference values inside the domain, each label at
// the top (right) end. Labels that would overlap move down one row.
std::string draw_vertical_references(const Scale& x_scale, const std::vector<ReferenceLine>& lines,
                                     const PlotArea& area);
std::string draw_horizontal_references(const Scale& y_scale, const std::vector<ReferenceLine>& lines,
                                       const PlotArea& area);

enum class Swatch { line, dashed_line, dot };

struct LegendEntry {
  std::string name;
  std::string color;
  Swatch swatch = Swatch::line;
};

// Height of the legend laid out in rows across `width`; 0 when there is nothing to show.
double legend_height(const std::vector<LegendEntry>& entries, double width);

// Legend rows starting at (left, top), wrapping at `width`.
std::string draw_legend(const std::vector<LegendEntry>& entries, double left, double top, double width);

}  // namespace privaudit::report::detail
