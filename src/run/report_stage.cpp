#include "run/report_stage.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/html_report.h"
#include "run/run_layout.h"

namespace privaudit::run {

namespace fs = std::filesystem;

fs::path run_report_stage(const fs::path& dir) {
  const RunLayout layout{dir};
  if (!fs::exists(layout.summary_json())) {
    throw UsageError(fmt::format("run '{}' has no summary.json yet; analyze it first with `privaudit analyze {}`",
                                 dir.string(), dir.string()));
  }
  nlohmann::json summary;
  try {
    summary = nlohmann::json::parse(read_file(layout.summary_json()));
  } catch (const nlohmann::json::exception& error) {
    throw InputError(fmt::format("'{}' is not valid JSON ({}); run `privaudit analyze {}` again",
                                 layout.summary_json().string(), error.what(), dir.string()));
  }
  // The renderer reads every field null-safely, so a summary from an older run still renders,
  // with "n/a" where a value is missing.
  report::write_report(layout.report_html(), summary);
  spdlog::info("wrote {}", layout.report_html().string());
  return layout.report_html();
}

}  // namespace privaudit::run
