// SVG charts for the HTML report: line charts with shaded bands, horizontal bar charts with error
// bars, and scatter charts. Each render function returns one <svg> element for inline use in HTML
// (no xmlns, no external references): its root has class="chart", data-chart="<id>", role="img"
// and an aria-label. Points and bars carry <title> children, so browsers show their values as
// native tooltips without JavaScript. Non-finite points are skipped: a line breaks at them. All
// text is XML-escaped. The same input always gives the same bytes.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "report/axis.h"

namespace privaudit::report {

inline constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();

// One axis of a chart.
struct Axis {
  std::string title;                   // axis title shown beside the axis and in tooltips
  ScaleKind scale = ScaleKind::linear;
  double min = kUnset;                 // domain start; NaN: from the data, rounded outward
  double max = kUnset;                 // domain end; NaN: from the data, rounded outward
  int target_ticks = 5;                // about this many intervals on a linear axis, >= 1

  // Throws UsageError naming `field` when min >= max, a bound is infinite, or a log axis has a
  // bound <= 0.
  void validate(const std::string& field) const;
};

// Overall size of a chart in SVG user units (CSS pixels at 100% zoom).
struct ChartSize {
  double width = 640.0;   // > 0
  double height = 360.0;  // > 0; bar charts grow with the number of bars
};

// A labelled line across the plot at one data value of an axis.
struct ReferenceLine {
  double value = 0.0;  // position in data units; lines outside the domain are not drawn
  std::string label;   // short text drawn at the line's end; may be empty
};

enum class Interpolation {
  linear,      // straight segments between points
  step_after,  // horizontal to the next x, then vertical (survival functions)
};

struct LineSeries {
  std::string name;           // legend entry (when the chart has two or more named series) and tooltip prefix
  std::vector<double> x;      // [points]
  std::vector<double> y;      // [points]
  std::vector<double> lower;  // [points] lower edge of a shaded band, or empty for no band
  std::vector<double> upper;  // [points] upper edge of the band, empty exactly when lower is
  Interpolation interpolation = Interpolation::linear;
  bool dashed = false;
  bool hover_points = true;   // tooltip targets on (up to kMaxHoverPoints of) the points
  std::string color;          // CSS colour; empty: the next Okabe-Ito colour
};

struct LineChart {
  std::string id;     // data-chart value and prefix of element ids: [A-Za-z0-9_-]+
  std::string title;  // drawn above the plot and used as aria-label
  Axis x_axis;
  Axis y_axis;
  std::vector<LineSeries> series;
  std::vector<ReferenceLine> x_references;  // vertical lines
  ChartSize size;

  // Throws UsageError for an invalid id, axis or size, or series whose arrays differ in length.
  void validate() const;
};

struct Bar {
  std::string label;           // category shown left of the bar
  double value = kUnset;       // bar length from zero; NaN: no bar, "n/a" in the tooltip
  double ci_low = kUnset;      // error bar from ci_low to ci_high; NaN: no error bar
  double ci_high = kUnset;
  std::string mark;            // short text right of the bar, e.g. "**"; may be empty
  std::string detail;          // extra tooltip text after the value; may be empty
  std::string color;           // CSS colour; empty: the first Okabe-Ito colour
};

// Horizontal bars from zero, one per category, top to bottom in the given order. A zero line is
// drawn whenever zero lies inside the value domain.
struct BarChart {
  std::string id;     // as LineChart::id
  std::string title;
  Axis value_axis;    // linear only; the domain always includes zero
  std::vector<Bar> bars;
  std::vector<ReferenceLine> references;  // vertical lines at values of the value axis
  ChartSize size;     // only size.width is used: the height follows from the number of bars

  void validate() const;
};

struct ScatterPoint {
  double x = kUnset;
  double y = kUnset;
  std::string label;  // tooltip text before the coordinates
};

struct ScatterSeries {
  std::string name;  // legend entry
  std::vector<ScatterPoint> points;
  std::string color;  // CSS colour; empty: the next Okabe-Ito colour
};

struct ScatterChart {
  std::string id;  // as LineChart::id
  std::string title;
  Axis x_axis;
  Axis y_axis;
  std::vector<ScatterSeries> series;
  std::vector<ReferenceLine> y_references;  // horizontal lines
  ChartSize size;

  void validate() const;
};

// Maximum number of hover targets per line series. Longer series get one on every k-th point.
inline constexpr std::size_t kMaxHoverPoints = 200;

// Each of these validates the chart first and throws UsageError when it is invalid.
std::string render_line_chart(const LineChart& chart);
std::string render_bar_chart(const BarChart& chart);
std::string render_scatter_chart(const ScatterChart& chart);

}  // namespace privaudit::report
