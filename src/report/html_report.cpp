#include "report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/markup.h"
#include "report/page_shell.h"
#include "report/report_sections.h"

namespace privaudit::report {

namespace {

const detail::SectionLink kSections[] = {
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

  detail::PageParts page;
  page.title = "Membership privacy audit" + (input.empty() ? "" : ": " + input);
  page.heading = "Membership privacy audit";
  page.subtitle_html = fmt::format("{}{} patients in the audit pool · {} models · privaudit {}",
                                   input.empty() ? "" : "<code>" + escape_xml(input) + "</code> · ",
                                   escape_xml(count_text(number(find_path(summary, {"counts", "pool_patients"})))),
                                   escape_xml(count_text(number(find(&summary, "models")))), escape_xml(version));
  page.sections.assign(std::begin(kSections), std::end(kSections));
  if (find(&summary, "gallery") != nullptr) {
    const auto patients = std::find_if(page.sections.begin(), page.sections.end(),
                                       [](const detail::SectionLink& link) { return link.id == "patients"; });
    page.sections.insert(patients + 1, {"gallery", "Gallery"});
  }

  page.main_html += detail::render_summary_section(summary);
  page.main_html += detail::render_utility_section(summary);
  page.main_html += detail::render_survival_section(summary);
  page.main_html += detail::render_attacks_section(summary);
  page.main_html += detail::render_groups_section(summary);
  page.main_html += detail::render_patients_section(summary);
  page.main_html += detail::render_gallery_section(summary);
  page.main_html += detail::render_methods_section(summary);

  page.footer_html = fmt::format("Written by privaudit {} from the run's summary.json. This file is self-contained: it "
                                 "loads nothing from the network, and its charts need no JavaScript.",
                                 escape_xml(version));
  return detail::render_page(page);
}

void write_report(const std::filesystem::path& path, const nlohmann::json& summary) {
  write_file_atomic(path, render_report(summary));
}

}  // namespace privaudit::report
