#include "report/chart_frame.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "report/markup.h"
#include "report/palette.h"

namespace privaudit::report {

void Axis::validate(const std::string& field) const {
  const auto bound_text = [](double value) { return std::isnan(value) ? std::string("unset") : fmt::format("{}", value); };
  if (std::isinf(min) || std::isinf(max)) {
    throw UsageError(fmt::format("{}: axis bounds must be finite or unset (NaN), got min {} and max {}", field,
                                 bound_text(min), bound_text(max)));
  }
  if (!std::isnan(min) && !std::isnan(max) && min >= max) {
    throw UsageError(fmt::format("{}: axis min must be below max, got min {} and max {}", field, min, max));
  }
  if (scale == ScaleKind::log10 && ((!std::isnan(min) && min <= 0.0) || (!std::isnan(max) && max <= 0.0))) {
    throw UsageError(fmt::format("{}: a log10 axis needs positive bounds, got min {} and max {}", field,
                                 bound_text(min), bound_text(max)));
  }
  if (target_ticks < 1) {
    throw UsageError(fmt::format("{}.target_ticks must be >= 1, got {}", field, target_ticks));
  }
}

namespace detail {

namespace {

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

constexpr double kLegendRowHeight = 18.0;
constexpr double kLegendSwatchWidth = 22.0;
constexpr double kLegendGap = 18.0;
constexpr double kReferenceLabelRow = 13.0;

}  // namespace

void Extent::add(double value, ScaleKind scale) {
  if (!std::isfinite(value)) return;
  if (scale == ScaleKind::log10 && value <= 0.0) return;
  min = std::min(min, value);
  max = std::max(max, value);
}

void validate_chart_id(const std::string& id, const std::string& chart_kind) {
  const bool valid = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  if (!valid) {
    throw UsageError(fmt::format("{}.id must be a non-empty run of letters, digits, '-' and '_', got '{}'",
                                 chart_kind, id));
  }
}

void validate_size(const ChartSize& size, const std::string& chart_kind) {
  if (!(size.width > 0.0 && std::isfinite(size.width) && size.height > 0.0 && std::isfinite(size.height))) {
    throw UsageError(fmt::format("{}.size must have a finite positive width and height, got {} x {}", chart_kind,
                                 size.width, size.height));
  }
}

TickSet resolve_ticks(const Axis& axis, const Extent& extent) {
  const bool log = axis.scale == ScaleKind::log10;
  double lo = std::isnan(axis.min) ? extent.min : axis.min;
  double hi = std::isnan(axis.max) ? extent.max : axis.max;

  // 1. Fill an end that neither the axis nor the data gives, keeping lo <= hi.
  const double default_lo = log ? 0.1 : 0.0;
  const double default_hi = 1.0;
  if (!std::isfinite(lo) && !std::isfinite(hi)) {
    lo = default_lo;
    hi = default_hi;
  } else if (!std::isfinite(lo)) {
    lo = log ? hi / 10.0 : std::min(hi - 1.0, default_lo);
  } else if (!std::isfinite(hi)) {
    hi = log ? lo * 10.0 : std::max(lo + 1.0, default_hi);
  }
  if (lo > hi) {
    // The data lie beyond a fixed end: keep the fixed end and give the other a unit of room.
    if (std::isnan(axis.min)) lo = log ? hi / 10.0 : hi - 1.0;
    if (std::isnan(axis.max)) hi = log ? lo * 10.0 : lo + 1.0;
  }

  // 2. Round unset ends outward; fixed ends stay where they are.
  const bool both_fixed = !std::isnan(axis.min) && !std::isnan(axis.max);
  TickSet ticks = log ? log10_ticks(lo, hi, !both_fixed) : linear_ticks(lo, hi, axis.target_ticks, !both_fixed);
  if (!both_fixed && (!std::isnan(axis.min) || !std::isnan(axis.max))) {
    if (!std::isnan(axis.min)) ticks.domain_min = axis.min;
    if (!std::isnan(axis.max)) ticks.domain_max = axis.max;
    TickSet inside_ticks;
    inside_ticks.domain_min = ticks.domain_min;
    inside_ticks.domain_max = ticks.domain_max;
    const auto inside = [&](double v) {
      const double slack = 1e-9 * (ticks.domain_max - ticks.domain_min);
      return v >= ticks.domain_min - slack && v <= ticks.domain_max + slack;
    };
    for (std::size_t i = 0; i < ticks.major.size(); ++i) {
      if (!inside(ticks.major[i])) continue;
      inside_ticks.major.push_back(ticks.major[i]);
      inside_ticks.labels.push_back(ticks.labels[i]);
    }
    for (const double v : ticks.minor) {
      if (inside(v)) inside_ticks.minor.push_back(v);
    }
    ticks = std::move(inside_ticks);
  }
  return ticks;
}

double text_width(std::string_view text, double font_size) {
  return static_cast<double>(code_points(text)) * font_size * 0.58;
}

std::string truncate_text(std::string_view text, std::size_t max_characters) {
  if (code_points(text) <= max_characters || max_characters == 0) return std::string(text);
  std::string out;
  std::size_t started = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts_code_point = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_code_point && ++started == max_characters) break;
    out += text[i];
  }
  return out + "…";
}

std::string open_svg(const std::string& id, const std::string& title, double width, double height) {
  return fmt::format(
      "<svg class=\"chart\" data-chart=\"{}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
      "sans-serif\" font-size=\"{}\">\n",
      id, escape_xml(title.empty() ? id : title), format_coordinate(width), format_coordinate(height),
      format_coordinate(width), format_coordinate(height), format_coordinate(kFontSize));
}

std::string clip_path(const std::string& id, const PlotArea& area) {
  return fmt::format("<defs><clipPath id=\"{}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>\n",
                     id, format_coordinate(area.left), format_coordinate(area.top),
                     format_coordinate(area.right - area.left), format_coordinate(area.bottom - area.top));
}

std::string draw_title(const std::string& title, double width) {
  if (title.empty()) return "";
  return fmt::format("<text class=\"chart-title\" x=\"{}\" y=\"20\" text-anchor=\"middle\" font-size=\"{}\" "
                     "font-weight=\"600\" fill=\"#222\">{}</text>\n",
                     format_coordinate(width / 2.0), format_coordinate(kTitleFontSize), escape_xml(title));
}

std::string draw_x_axis(const Scale& scale, const TickSet& ticks, const PlotArea& area, const std::string& title,
                        bool grid) {
  std::string out = "<g class=\"axis x-axis\" fill=\"#333\">\n";
  for (std::size_t i = 0; i < ticks.major.size(); ++i) {
    const std::string x = format_coordinate(scale.map(ticks.major[i]));
    if (grid) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e3e3e3\"/>\n", x,
                         format_coordinate(area.top), format_coordinate(area.bottom));
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555\"/>\n", x,
                       format_coordinate(area.bottom), format_coordinate(area.bottom + kTickLength));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x,
                       format_coordinate(area.bottom + kTickLength + kFontSize + 1.0), escape_xml(ticks.labels[i]));
  }
  for (const double value : ticks.minor) {
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#777\"/>\n",
                       format_coordinate(scale.map(value)), format_coordinate(area.bottom),
                       format_coordinate(area.bottom + kMinorTickLength));
  }
  out += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#555\"/>\n", format_coordinate(area.left),
                     format_coordinate(area.right), format_coordinate(area.bottom));
  if (!title.empty()) {
    out += fmt::format("<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       format_coordinate((area.left + area.right) / 2.0),
                       format_coordinate(area.bottom + kTickLength + 2.0 * kFontSize + 8.0), escape_xml(title));
  }
  return out + "</g>\n";
}

double max_label_width(const TickSet& ticks) {
  double width = 0.0;
  for (const auto& label : ticks.labels) width = std::max(width, text_width(label));
  return width;
}

std::string draw_y_axis(const Scale& scale, const TickSet& ticks, const PlotArea& area, const std::string& title,
                        bool grid) {
  std::string out = "<g class=\"axis y-axis\" fill=\"#333\">\n";
  for (std::size_t i = 0; i < ticks.major.size(); ++i) {
    const std::string y = format_coordinate(scale.map(ticks.major[i]));
    if (grid) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#e3e3e3\"/>\n",
                         format_coordinate(area.left), format_coordinate(area.right), y);
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#555\"/>\n",
                       format_coordinate(area.left - kTickLength), format_coordinate(area.left), y);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n",
                       format_coordinate(area.left - kTickLength - 3.0), y, escape_xml(ticks.labels[i]));
  }
  for (const double value : ticks.minor) {
    out += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#777\"/>\n",
                       format_coordinate(area.left - kMinorTickLength), format_coordinate(area.left),
                       format_coordinate(scale.map(value)));
  }
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555\"/>\n",
                     format_coordinate(area.left), format_coordinate(area.top), format_coordinate(area.bottom));
  if (!title.empty()) {
    const double x = area.left - kTickLength - max_label_width(ticks) - 12.0;
    const double y = (area.top + area.bottom) / 2.0;
    out += fmt::format(
        "<text class=\"axis-title\" x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" transform=\"rotate(-90 {0} {1})\">{2}</text>\n",
        format_coordinate(x), format_coordinate(y), escape_xml(title));
  }
  return out + "</g>\n";
}

std::string draw_vertical_references(const Scale& x_scale, const std::vector<ReferenceLine>& lines,
                                     const PlotArea& area) {
  std::string out;
  std::vector<double> row_ends;  // right end of the last label in each label row
  for (const auto& line : lines) {
    if (!(line.value >= x_scale.domain_min() && line.value <= x_scale.domain_max())) continue;
    const double x = x_scale.map(line.value);
    if (!std::isfinite(x)) continue;
    out += fmt::format("<g class=\"reference\"><line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#767676\" "
                       "stroke-dasharray=\"4 3\"/>",
                       format_coordinate(x), format_coordinate(area.top), format_coordinate(area.bottom));
    if (!line.label.empty()) {
      // Labels sit right of their line, or left of it when they would run past the plot.
      const double width = text_width(line.label, kFontSize - 1.0);
      const bool left_side = x + 3.0 + width > area.right;
      const double start = left_side ? x - 3.0 - width : x + 3.0;
      std::size_t row = 0;
      while (row < row_ends.size() && row_ends[row] > start) ++row;
      if (row == row_ends.size()) row_ends.push_back(0.0);
      row_ends[row] = start + width + 4.0;
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\" fill=\"#444\">{}</text>",
                         format_coordinate(left_side ? x - 3.0 : x + 3.0),
                         format_coordinate(area.top + kFontSize + static_cast<double>(row) * kReferenceLabelRow),
                         left_side ? "end" : "start", format_coordinate(kFontSize - 1.0), escape_xml(line.label));
    }
    out += "</g>\n";
  }
  return out;
}

std::string draw_horizontal_references(const Scale& y_scale, const std::vector<ReferenceLine>& lines,
                                       const PlotArea& area) {
  std::string out;
  for (const auto& line : lines) {
    if (!(line.value >= y_scale.domain_min() && line.value <= y_scale.domain_max())) continue;
    const double y = y_scale.map(line.value);
    if (!std::isfinite(y)) continue;
    out += fmt::format("<g class=\"reference\"><line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#767676\" "
                       "stroke-dasharray=\"4 3\"/>",
                       format_coordinate(area.left), format_coordinate(area.right), format_coordinate(y));
    if (!line.label.empty()) {
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"{}\" fill=\"#444\">{}</text>",
                         format_coordinate(area.right - 3.0), format_coordinate(y - 4.0),
                         format_coordinate(kFontSize - 1.0), escape_xml(line.label));
    }
    out += "</g>\n";
  }
  return out;
}

namespace {

// Row and x offset of each legend entry when laid out across `width`.
struct LegendSlot {
  std::size_t row = 0;
  double x = 0.0;
};

std::vector<LegendSlot> layout_legend(const std::vector<LegendEntry>& entries, double width) {
  std::vector<LegendSlot> slots;
  std::size_t row = 0;
  double x = 0.0;
  for (const auto& entry : entries) {
    const double entry_width = kLegendSwatchWidth + 4.0 + text_width(entry.name);
    if (x > 0.0 && x + entry_width > width) {
      ++row;
      x = 0.0;
    }
    slots.push_back({row, x});
    x += entry_width + kLegendGap;
  }
  return slots;
}

}  // namespace

double legend_height(const std::vector<LegendEntry>& entries, double width) {
  if (entries.empty()) return 0.0;
  const auto slots = layout_legend(entries, width);
  return static_cast<double>(slots.back().row + 1) * kLegendRowHeight;
}

std::string draw_legend(const std::vector<LegendEntry>& entries, double left, double top, double width) {
  if (entries.empty()) return "";
  const auto slots = layout_legend(entries, width);
  std::string out = "<g class=\"legend\">\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    const double x = left + slots[i].x;
    const double y = top + static_cast<double>(slots[i].row) * kLegendRowHeight + kLegendRowHeight / 2.0;
    const std::string color = escape_xml(entry.color);
    if (entry.swatch == Swatch::dot) {
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\"/>", format_coordinate(x + kLegendSwatchWidth / 2.0),
                         format_coordinate(y), color);
    } else {
      out += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2.5\"{4}/>",
                         format_coordinate(x), format_coordinate(x + kLegendSwatchWidth), format_coordinate(y), color,
                         entry.swatch == Swatch::dashed_line ? " stroke-dasharray=\"5 3\"" : "");
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"#222\">{}</text>\n",
                       format_coordinate(x + kLegendSwatchWidth + 4.0), format_coordinate(y), escape_xml(entry.name));
  }
  return out + "</g>\n";
}

}  // namespace detail
}  // namespace privaudit::report
