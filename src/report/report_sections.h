// The sections of the HTML report, each a complete <section id="..."> with an <h2>. Internal to
// the report module: html_report.cpp puts them in order inside the page. Each takes the whole
// summary.json, reads what it needs with the defensive readers of report_format.h, and states in
// plain words when its data are missing.
#pragma once

#include <string>
#include <vector>

#include "report/report_format.h"

namespace privaudit::report::detail {

// Width of charts shown two side by side (chart-grid), close to their width on a laptop screen so
// that their text keeps about its nominal size.
inline constexpr double kGridChartWidth = 520.0;

// A group that is over-represented among the most exposed records: positive record-level Pearson
// residual with a p-value below 0.05 / (groups of its attribute), not suppressed.
struct OverRepresentedGroup {
  std::string attribute;
  std::string group;
  double observed = 0.0;
  double expected = 0.0;
  double residual = 0.0;
  double p_value = 0.0;
};

std::vector<OverRepresentedGroup> over_represented_groups(const Json& summary);

std::string render_summary_section(const Json& summary);
std::string render_utility_section(const Json& summary);
std::string render_survival_section(const Json& summary);
std::string render_attacks_section(const Json& summary);
std::string render_groups_section(const Json& summary);
std::string render_patients_section(const Json& summary);
// Empty when the summary has no "gallery", which only --gallery adds because it shows patient data.
std::string render_gallery_section(const Json& summary);
std::string render_methods_section(const Json& summary);

// <figure> around an SVG chart with a caption (caption text is escaped here).
std::string figure(const std::string& svg, const std::string& caption);

// Table row of already-escaped HTML cells; `header` makes <th> cells.
std::string table_row(const std::vector<std::string>& cells, bool header = false);

}  // namespace privaudit::report::detail
