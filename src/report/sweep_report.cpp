#include "report/sweep_report.h"

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/markup.h"
#include "report/page_shell.h"
#include "report/sweep_sections.h"

namespace privaudit::report {

namespace {

std::string kind_text(const std::string& kind) {
  if (kind == "capacity") return "Capacity sweep";
  if (kind == "epsilon") return "Privacy budget (ε) sweep";
  return "Sweep";
}

}  // namespace

std::string render_sweep_report(const nlohmann::json& sweep) {
  if (!sweep.is_object()) {
    throw InputError(fmt::format("invalid sweep file: expected a JSON object, got a JSON {}. Rerun `privaudit sweep` "
                                 "to write a new sweep.json.",
                                 sweep.type_name()));
  }
  const std::string version = text_at(&sweep, "version", "n/a");
  const std::string run = text_at(&sweep, "run");
  const std::string kind = text_at(&sweep, "kind");
  const std::size_t recipes = detail::sweep_recipes(sweep).size();

  detail::PageParts page;
  page.title = "Membership privacy sweep" + (run.empty() ? "" : ": " + run);
  page.heading = "Membership privacy sweep";
  page.subtitle_html = fmt::format("{}{} · {} recipe{} · {} models each · {} patients in the audit pool · privaudit {}",
                                   run.empty() ? "" : "<code>" + escape_xml(run) + "</code> · ",
                                   escape_xml(kind_text(kind)), recipes, recipes == 1 ? "" : "s",
                                   escape_xml(count_text(number_at(&sweep, "models"))),
                                   escape_xml(count_text(number(find_path(sweep, {"counts", "pool_patients"})))),
                                   escape_xml(version));

  // 1. The sections in page order; capacity and privacy-utility only where the sweep varies them.
  page.sections = {{"sweep-summary", "Summary"}, {"sweep-survival", "Risk per record and patient"}};
  page.main_html += detail::render_sweep_summary_section(sweep);
  page.main_html += detail::render_sweep_survival_section(sweep);
  if (kind == "capacity" || detail::parameters_vary(sweep)) {
    page.sections.push_back({"sweep-capacity", "Capacity"});
    page.main_html += detail::render_sweep_capacity_section(sweep);
  }
  if (detail::has_privacy_utility_section(sweep)) {
    page.sections.push_back({"sweep-privacy-utility", "Privacy and utility"});
    page.main_html += detail::render_sweep_privacy_utility_section(sweep);
  }
  page.sections.push_back({"sweep-groups", "Groups"});
  page.main_html += detail::render_sweep_groups_section(sweep);
  page.sections.push_back({"sweep-methods", "Methods"});
  page.main_html += detail::render_sweep_methods_section(sweep);

  page.footer_html = fmt::format("Written by privaudit {} from the sweep's sweep.json. This file is self-contained: it "
                                 "loads nothing from the network, and its charts need no JavaScript.",
                                 escape_xml(version));
  return detail::render_page(page);
}

void write_sweep_report(const std::filesystem::path& path, const nlohmann::json& sweep) {
  write_file_atomic(path, render_sweep_report(sweep));
}

}  // namespace privaudit::report
