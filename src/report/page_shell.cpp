#include "report/page_shell.h"

#include <fmt/format.h>

#include "report/markup.h"

namespace privaudit::report::detail {

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

}  // namespace

std::string render_page(const PageParts& page) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", kContentSecurityPolicy);
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  // An empty data: icon stops browsers from asking for /favicon.ico.
  out += "<link rel=\"icon\" href=\"data:,\">\n";
  out += fmt::format("<title>{}</title>\n", escape_xml(page.title));
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);

  out += fmt::format("<header class=\"page\">\n<h1>{}</h1>\n", escape_xml(page.heading));
  out += fmt::format("<p class=\"subtitle\">{}</p>\n", page.subtitle_html);
  out += "</header>\n<nav class=\"toc\" aria-label=\"Sections\">\n";
  for (const auto& section : page.sections) {
    out += fmt::format("<a href=\"#{}\">{}</a>\n", section.id, escape_xml(section.title));
  }
  out += "</nav>\n<main>\n";
  out += page.main_html;
  out += "</main>\n<footer class=\"page\">\n";
  out += fmt::format("<p>{}</p>\n", page.footer_html);
  out += "</footer>\n";
  // Marks the page as rendered for automated browser checks. The report works without it.
  out += "<script>document.body.dataset.rendered = \"true\";</script>\n";
  return out + "</body>\n</html>\n";
}

}  // namespace privaudit::report::detail
