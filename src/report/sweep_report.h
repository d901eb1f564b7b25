// The self-contained HTML report of a `privaudit sweep`, built from sweep.json (format:
// docs/sweep-format.md). It compares the recipes of a capacity sweep or a differential-privacy
// epsilon sweep on one page, with the same page shell, styles, Content-Security-Policy and print
// CSS as the single-run report (html_report.h). Every string from the sweep file is escaped,
// because recipe labels, attribute and group names come from user input.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace privaudit::report {

// Renders the report. Sections: summary, survival curves, capacity (when the sweep's kind is
// "capacity" or the parameter counts differ), privacy and utility (when the kind is "epsilon" or
// the target epsilons differ), groups, methods. A section whose data are missing or null states
// that in words. Throws InputError when `sweep` is not a JSON object.
std::string render_sweep_report(const nlohmann::json& sweep);

// Renders the report and writes it to `path` atomically (a reader sees the old file or the whole
// new one). Throws InputError as render_sweep_report, IoError when the file cannot be written.
void write_sweep_report(const std::filesystem::path& path, const nlohmann::json& sweep);

}  // namespace privaudit::report
