#include "report/html_report.h"

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/markup.h"
#include "report/report_sections.h"

namespace privaudit::report {

namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

// Screen and print styles. System fonts only, so nothing is fetched.
constexpr const char* kStyle = R"css(
:root { --text: #1d1d1f; --muted: #5a5a5f; --rule: #d9d9de; --accent: #0072B2; --warn: #D55E00; --band: #f5f6f8; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       font-size: 15px; line-height: 1.5; color: var(--text); background: #fff; }
body { margin: 0; }
header.page, main, footer.page { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.page { padding-top: 28px; padding-bottom: 8px; border-bottom: 3px solid var(--accent); }
h1 { font-size: 1.9rem; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0; }
nav.toc { max-width: 1120px; margin: 0 auto; padding: 8px 24px; display: flex; flex-wrap: wrap; gap: 4px 18px;
          font-size: 0.93rem; border-bottom: 1px solid var(--rule); }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover, nav.toc a:focus { text-decoration: underline; }
section { padding: 8px 0 24px; border-bottom: 1px solid var(--rule); }
h2 { font-size: 1.45rem; margin: 24px 0 10px; }
h3 { font-size: 1.12rem; margin: 22px 0 8px; }
p, li, dd { max-width: 78ch; }
.note { color: var(--muted); font-size: 0.93rem; }
.missing { color: var(--muted); font-style: italic; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px; margin: 16px 0; }
.fact { background: var(--band); border-left: 5px solid var(--accent); padding: 10px 14px; }
.fact.highlight { border-left-color: var(--warn); }
.fact-value { display: block; font-size: 1.8rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.fact-label { display: block; color: var(--muted); font-size: 0.9rem; }
.findings li { margin-bottom: 6px; }
table { border-collapse: collapse; margin: 12px 0 18px; font-size: 0.9rem; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { background: var(--band); border-bottom: 2px solid #b9b9c0; font-weight: 600; }
table.numbers td { font-variant-numeric: tabular-nums; }
tr.suppressed td { color: var(--muted); font-style: italic; }
.ci { display: block; color: var(--muted); font-size: 0.82em; white-space: nowrap; }
.mark { font-weight: 700; color: var(--warn); }
.group { display: inline-block; background: var(--band); border-radius: 3px; padding: 0 6px; margin: 1px 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
code.hash { word-break: break-all; }
pre.config { background: var(--band); padding: 12px; overflow-x: auto; font-size: 0.82rem; max-height: 32em; }
figure { margin: 12px 0 20px; }
figcaption { color: var(--muted); font-size: 0.88rem; max-width: 78ch; margin-top: 4px; }
svg.chart { display: block; width: 100%; max-width: 720px; height: auto; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 8px 28px; }
.chart-grid svg.chart { max-width: 100%; }
article.attribute { margin-top: 10px; padding-top: 4px; border-top: 1px dashed var(--rule); }
.kind { color: var(--muted); font-weight: 400; font-size: 0.9rem; }
p.test { font-size: 0.92rem; }
dl.metrics dt { font-weight: 600; margin-top: 10px; }
dl.metrics dd { margin-left: 0; }
details summary { cursor: pointer; color: var(--accent); margin: 8px 0; }
footer.page { color: var(--muted); font-size: 0.85rem; padding-top: 12px; padding-bottom: 32px; }
@media (max-width: 700px) { .chart-grid { grid-template-columns: 1fr; } html { font-size: 14px; } }
@media print {
  @page { margin: 14mm 12mm; }
  html { font-size: 10pt; }
  nav.toc { display: none; }
  header.page, main, footer.page { max-width: none; padding: 0; }
  section { border-bottom: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  figure, .facts, tr, dl.metrics dt { break-inside: avoid; }
  .chart-grid { grid-template-columns: 1fr 1fr; }
  svg.chart { max-width: 100%; }
  pre.config { max-height: none; overflow: visible; white-space: pre-wrap; }
  a { color: inherit; text-decoration: none; }
}
)css";

struct SectionLink {
  const char* id;
  const char* title;
};

constexpr SectionLink kSections[] = {
    {"summary", "Summary"}, {"utility", "Recipe and utility"}, {"survival", "Risk per record and patient"},
    {"attacks", "Aggregate attacks"}, {"groups", "Groups"}, {"patients", "Most exposed patients"},
    {"methods", "Methods"},
};

std::string file_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

namespace detail {

std::string figure(const std::string& svg, const std::string& caption) {
  return "<figure>\n" + svg + "<figcaption>" + escape_xml(caption) + "</figcaption>\n</figure>\n";
}

std::string table_row(const std::vector<std::string>& cells, bool header) {
  const char* tag = header ? "th" : "td";
  std::string row = "<tr>";
  for (const auto& cell : cells) row += fmt::format("<{0}>{1}</{0}>", tag, cell);
  return row + "</tr>\n";
}

}  // namespace detail

std::string render_report(const nlohmann::json& summary) {
  if (!summary.is_object()) {
    throw InputError(fmt::format("the audit summary must be a JSON object, got a JSON {}; rerun `privaudit analyze` "
                                 "to write a new summary.json",
                                 summary.type_name()));
  }
  const std::string input = file_name(text_at(find(&summary, "input"), "path", ""));
  const std::string version = text_at(&summary, "version", "n/a");

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", kContentSecurityPolicy);
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  // An empty data: icon stops browsers from asking for /favicon.ico.
  out += "<link rel=\"icon\" href=\"data:,\">\n";
  out += fmt::format("<title>Membership privacy audit{}</title>\n", input.empty() ? "" : ": " + escape_xml(input));
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);

  out += "<header class=\"page\">\n<h1>Membership privacy audit</h1>\n";
  out += fmt::format("<p class=\"subtitle\">{}{} patients in the audit pool · {} models · privaudit {}</p>\n",
                     input.empty() ? "" : "<code>" + escape_xml(input) + "</code> · ",
                     escape_xml(count_text(number(find_path(summary, {"counts", "pool_patients"})))),
                     escape_xml(count_text(number(find(&summary, "models")))), escape_xml(version));
  out += "</header>\n<nav class=\"toc\" aria-label=\"Sections\">\n";
  for (const auto& section : kSections) out += fmt::format("<a href=\"#{}\">{}</a>\n", section.id, section.title);
  out += "</nav>\n<main>\n";

  out += detail::render_summary_section(summary);
  out += detail::render_utility_section(summary);
  out += detail::render_survival_section(summary);
  out += detail::render_attacks_section(summary);
  out += detail::render_groups_section(summary);
  out += detail::render_patients_section(summary);
  out += detail::render_methods_section(summary);

  out += "</main>\n<footer class=\"page\">\n";
  out += fmt::format("<p>Written by privaudit {} from the run's summary.json. This file is self-contained: it loads "
                     "nothing from the network, and its charts need no JavaScript.</p>\n",
                     escape_xml(version));
  out += "</footer>\n";
  // Marks the page as rendered for automated browser checks. The report works without it.
  out += "<script>document.body.dataset.rendered = \"true\";</script>\n";
  return out + "</body>\n</html>\n";
}

void write_report(const std::filesystem::path& path, const nlohmann::json& summary) {
  write_file_atomic(path, render_report(summary));
}

}  // namespace privaudit::report
