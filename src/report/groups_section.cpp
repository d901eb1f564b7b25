// The "groups" section: which patient groups are over-represented among the most exposed records
// and patients, the risk within each group, and residual against group size.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "report/markup.h"
#include "report/palette.h"
#include "report/report_sections.h"
#include "report/svg_chart.h"

namespace privaudit::report::detail {

namespace {

// Two-sided 5% critical value of the standard normal, where a residual's p-value crosses 0.05.
constexpr double kNormalCritical = 1.959963984540054;

bool is_suppressed(const Json& group) { return text_at(&group, "suppressed") == "true"; }

std::string suppressed_row(const Json& group, std::size_t columns, const std::string& min_patients) {
  return fmt::format("<tr class=\"suppressed\"><td>{}</td><td colspan=\"{}\">suppressed (fewer than {} patients)</td></tr>\n",
                     escape_xml(text_at(&group, "name", "n/a")), columns - 1, escape_xml(min_patients));
}

std::string test_text(const Json* test, const char* level) {
  if (test == nullptr) return fmt::format("{}: no test in this summary.", level);
  const double dof = number_at(test, "dof");
  return fmt::format("{}: χ² = {} on {} degree{} of freedom, {}; Bonferroni-adjusted {} (top {}).", level,
                     fixed(number_at(test, "chi_square"), 2), count_text(dof), dof == 1.0 ? "" : "s",
                     p_clause(number_at(test, "p_value")), p_clause(number_at(test, "p_bonferroni")),
                     count_text(number_at(test, "top_n")));
}

// A point estimate with its interval on a second, smaller line.
std::string estimate_cell(const Json* entry, int decimals, bool as_percent = false) {
  const auto format = [&](double v) { return as_percent ? percent(v, decimals) : fixed(v, decimals); };
  const double value = number_at(entry, "value");
  if (std::isnan(value)) return "n/a";
  const double low = number_at(entry, "ci_low");
  const double high = number_at(entry, "ci_high");
  if (std::isnan(low) || std::isnan(high)) return escape_xml(format(value));
  return fmt::format("{}<span class=\"ci\">{} to {}</span>", escape_xml(format(value)), escape_xml(format(low)),
                     escape_xml(format(high)));
}

std::string level_cells(const Json* level, std::size_t groups_tested) {
  const double residual = number_at(level, "residual");
  const double p = number_at(level, "p_value");
  const std::string mark = significance_mark(p, groups_tested);
  return fmt::format("<td>{} / {}</td><td>{}{}</td><td>{}</td>", escape_xml(count_text(number_at(level, "observed"))),
                     escape_xml(fixed(number_at(level, "expected"), 1)), escape_xml(fixed(residual, 2)),
                     mark.empty() ? "" : " <span class=\"mark\">" + mark + "</span>", escape_xml(p_value_text(p)));
}

std::string residual_chart(const Json& attribute, const std::string& id, std::size_t groups_tested,
                           std::size_t suppressed) {
  BarChart chart;
  chart.id = id;
  chart.title = text_at(&attribute, "name", "n/a") + ": over-representation among the most exposed records";
  chart.size.width = kGridChartWidth;
  chart.value_axis.title = "Pearson residual (O − E) / √E";
  for (const auto& group : array_or_empty(find(&attribute, "groups"))) {
    if (is_suppressed(group)) continue;
    const Json* level = find(&group, "record_level");
    Bar bar;
    bar.label = text_at(&group, "name", "n/a");
    bar.value = number_at(level, "residual");
    bar.mark = significance_mark(number_at(level, "p_value"), groups_tested);
    bar.detail = fmt::format("observed {}, expected {}, {}", count_text(number_at(level, "observed")),
                             fixed(number_at(level, "expected"), 1), p_clause(number_at(level, "p_value")));
    bar.color = std::string(bar.value > 0.0 ? kVermillion : kBlue);
    chart.bars.push_back(std::move(bar));
  }
  chart.references = {{kNormalCritical, "p = 0.05"}, {-kNormalCritical, ""}};
  std::string caption =
      "Positive bars: the group has more records among the most exposed than its share of the pool predicts. "
      "Dashed lines: ±1.96, where a residual becomes significant at p = 0.05. * p < 0.05; ** p < 0.05 / " +
      std::to_string(groups_tested) + " (Bonferroni over the groups of this attribute).";
  if (suppressed > 0) caption += fmt::format(" {} suppressed group{} not shown.", suppressed, suppressed == 1 ? "" : "s");
  return figure(render_bar_chart(chart), caption);
}

std::string share_chart(const Json& attribute, const std::string& id) {
  BarChart chart;
  chart.id = id;
  chart.title = text_at(&attribute, "name", "n/a") + ": patients with joint AUC above 0.9";
  chart.size.width = kGridChartWidth;
  chart.value_axis.title = "% of the group's patients";
  for (const auto& group : array_or_empty(find(&attribute, "groups"))) {
    if (is_suppressed(group)) continue;
    const Json* share = find(&group, "share_above_0.9");
    Bar bar;
    bar.label = text_at(&group, "name", "n/a");
    bar.value = number_at(share, "value") * 100.0;
    bar.ci_low = number_at(share, "ci_low") * 100.0;
    bar.ci_high = number_at(share, "ci_high") * 100.0;
    bar.detail = fmt::format("{} patients", count_text(number_at(&group, "patients")));
    bar.color = std::string(kBluishGreen);
    chart.bars.push_back(std::move(bar));
  }
  std::string caption =
      "Share of each group's patients whose joint membership AUC exceeds 0.9, with a 95% bootstrap confidence "
      "interval (resampling patients).";
  const bool any_share = std::any_of(chart.bars.begin(), chart.bars.end(),
                                     [](const Bar& bar) { return bar.value > 0.0 || bar.ci_high > 0.0; });
  const bool any_value =
      std::any_of(chart.bars.begin(), chart.bars.end(), [](const Bar& bar) { return std::isfinite(bar.value); });
  if (any_value && !any_share) {
    // Shares cannot be negative, but a domain taken from all-zero data would span -1 to 1.
    chart.value_axis.min = 0.0;
    chart.value_axis.max = 1.0;
    caption += " No patient of any group shown here has a joint AUC above 0.9.";
  }
  return figure(render_bar_chart(chart), caption);
}

std::string disparity_table(const Json& attribute, std::size_t groups_tested, const std::string& min_patients) {
  std::string out = "<table class=\"numbers\">\n<thead>\n<tr><th rowspan=\"2\">Group</th><th rowspan=\"2\">Patients</th>"
                    "<th rowspan=\"2\">Records</th><th rowspan=\"2\">Share of pool</th>"
                    "<th colspan=\"3\">Most exposed records</th><th colspan=\"3\">Most exposed patients</th></tr>\n"
                    "<tr><th>Observed / expected</th><th>Residual</th><th>p</th>"
                    "<th>Observed / expected</th><th>Residual</th><th>p</th></tr>\n</thead>\n<tbody>\n";
  for (const auto& group : array_or_empty(find(&attribute, "groups"))) {
    if (is_suppressed(group)) {
      out += suppressed_row(group, 10, min_patients);
      continue;
    }
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}{}</tr>\n",
                       escape_xml(text_at(&group, "name", "n/a")), escape_xml(count_text(number_at(&group, "patients"))),
                       escape_xml(count_text(number_at(&group, "records"))),
                       escape_xml(percent(number_at(&group, "pool_share"), 1)),
                       level_cells(find(&group, "record_level"), groups_tested),
                       level_cells(find(&group, "patient_level"), groups_tested));
  }
  return out + "</tbody>\n</table>\n";
}

std::string risk_table(const Json& attribute, const std::string& min_patients) {
  std::string out = "<table class=\"numbers\">\n<thead>" +
                    table_row({"Group", "Mean record AUC", "99th pct. record AUC", "Mean patient AUC",
                               "99th pct. patient AUC", "Patients above 0.9", "Patients above 0.95",
                               "LiRA TPR at 1% FPR"},
                              true) +
                    "</thead>\n<tbody>\n";
  for (const auto& group : array_or_empty(find(&attribute, "groups"))) {
    if (is_suppressed(group)) {
      out += suppressed_row(group, 8, min_patients);
      continue;
    }
    out += table_row({escape_xml(text_at(&group, "name", "n/a")), estimate_cell(find(&group, "record_auc_mean"), 3),
                      estimate_cell(find(&group, "record_auc_p99"), 3), estimate_cell(find(&group, "patient_auc_mean"), 3),
                      estimate_cell(find(&group, "patient_auc_p99"), 3),
                      estimate_cell(find(&group, "share_above_0.9"), 1, true),
                      estimate_cell(find(&group, "share_above_0.95"), 1, true),
                      escape_xml(mean_sd_text(find(&group, "lira_tpr_at_fpr_0.01"), 3))});
  }
  return out + "</tbody>\n</table>\n<p class=\"note\">Under each estimate: its 95% bootstrap confidence interval. "
               "LiRA TPR: the share of the group's member records that online LiRA finds at the threshold that gives "
               "1% false positives on the whole pool, mean ± SD over the target models.</p>\n";
}

// Scatter of each group's record-level residual against its share of the pool.
std::string size_chart(const Json& groups_section, const std::set<std::pair<std::string, std::string>>& suppressed) {
  const Json* relation = find(&groups_section, "residual_vs_size");
  const Json& points = array_or_empty(find(relation, "points"));
  if (points.empty()) return "<p class=\"missing\">The residual-against-size analysis is not in this summary.</p>\n";
  ScatterChart chart;
  chart.id = "residual-vs-size";
  chart.title = "Residual against group size";
  chart.x_axis = {"share of pool", ScaleKind::log10};
  chart.y_axis = {"Pearson residual"};
  chart.y_references = {{0.0, ""}};
  for (const auto& point : points) {
    const std::string attribute = text_at(&point, "attribute", "n/a");
    const std::string group = text_at(&point, "group", "n/a");
    if (suppressed.count({attribute, group}) > 0) continue;
    auto series = std::find_if(chart.series.begin(), chart.series.end(),
                               [&](const ScatterSeries& s) { return s.name == attribute; });
    if (series == chart.series.end()) {
      chart.series.push_back({attribute, {}, ""});
      series = chart.series.end() - 1;
    }
    series->points.push_back({number_at(&point, "pool_share"), number_at(&point, "residual"), group});
  }
  const std::string caption = fmt::format(
      "Each point is a group: its share of the audit pool (log scale) against its Pearson residual among the most "
      "exposed records. Spearman's rho = {} ({}) over {} groups; suppressed groups count in the correlation but are "
      "not plotted. A negative rho means that smaller groups tend to be more over-represented.",
      fixed(number_at(relation, "spearman_rho"), 2), p_clause(number_at(relation, "p_value")),
      count_text(number_at(relation, "groups")));
  return "<h3>Residual against group size</h3>\n" + figure(render_scatter_chart(chart), caption);
}

}  // namespace

std::vector<OverRepresentedGroup> over_represented_groups(const Json& summary) {
  std::vector<OverRepresentedGroup> found;
  for (const auto& attribute : array_or_empty(find_path(summary, {"groups", "attributes"}))) {
    const Json& groups = array_or_empty(find(&attribute, "groups"));
    for (const auto& group : groups) {
      if (is_suppressed(group)) continue;
      const Json* level = find(&group, "record_level");
      const double residual = number_at(level, "residual");
      const double p = number_at(level, "p_value");
      if (residual > 0.0 && significance_mark(p, groups.size()) == "**") {
        found.push_back({text_at(&attribute, "name", "n/a"), text_at(&group, "name", "n/a"),
                         number_at(level, "observed"), number_at(level, "expected"), residual, p});
      }
    }
  }
  return found;
}

std::string render_groups_section(const Json& summary) {
  std::string out = "<section id=\"groups\">\n<h2>Groups</h2>\n";
  const Json* section = find(&summary, "groups");
  if (section == nullptr || !section->is_object()) {
    out += "<p class=\"missing\">The group analysis is not in this summary.</p>\n";
    return out + "</section>\n";
  }
  const Json& attributes = array_or_empty(find(section, "attributes"));
  if (attributes.empty()) {
    out += "<p class=\"missing\">No patient attributes were audited, so there is no group analysis. Name columns such "
           "as race, sex or insurance with --attributes to see which groups are most exposed.</p>\n";
    return out + "</section>\n";
  }
  const std::string min_patients = count_text(number_at(section, "min_group_patients"));
  out += fmt::format(
      "<p>For each attribute, the groups' shares among the top {} of records (and of patients) by AUC are compared "
      "with their shares of the audit pool. The Pearson residual (O − E) / √E is positive when a group is "
      "over-represented among the most exposed. The χ² test asks whether an attribute matters at all, with a "
      "Bonferroni correction over the attributes. Intervals are 95% bootstrap intervals from {} replicates that "
      "resample patients. Groups with fewer than {} patients are suppressed: none of their numbers are shown.</p>\n",
      escape_xml(percent(number_at(section, "top_fraction"), 0)),
      escape_xml(count_text(number_at(section, "bootstrap_replicates"))), escape_xml(min_patients));

  std::set<std::string> used_ids;
  std::set<std::pair<std::string, std::string>> suppressed_groups;
  for (const auto& attribute : attributes) {
    const std::string name = text_at(&attribute, "name", "n/a");
    std::string id = slug(name);
    for (int k = 2; used_ids.count(id) > 0; ++k) id = slug(name) + "-" + std::to_string(k);
    used_ids.insert(id);

    const Json& groups = array_or_empty(find(&attribute, "groups"));
    std::size_t suppressed = 0;
    for (const auto& group : groups) {
      if (!is_suppressed(group)) continue;
      ++suppressed;
      suppressed_groups.insert({name, text_at(&group, "name", "n/a")});
    }
    out += fmt::format("<article class=\"attribute\" id=\"attribute-{}\">\n<h3>{} <span class=\"kind\">({})</span></h3>\n",
                       id, escape_xml(name), escape_xml(text_at(&attribute, "kind", "categorical")));
    out += "<p class=\"test\">" + escape_xml(test_text(find(&attribute, "record_level"), "Records")) + "<br>" +
           escape_xml(test_text(find(&attribute, "patient_level"), "Patients")) + "</p>\n";
    if (groups.empty()) {
      out += "<p class=\"missing\">This attribute has no groups.</p>\n</article>\n";
      continue;
    }
    out += "<div class=\"chart-grid\">\n" + residual_chart(attribute, "residuals-" + id, groups.size(), suppressed) +
           share_chart(attribute, "risk-" + id) + "</div>\n";
    out += disparity_table(attribute, groups.size(), min_patients);
    out += risk_table(attribute, min_patients);
    out += "</article>\n";
  }
  out += size_chart(*section, suppressed_groups);
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
