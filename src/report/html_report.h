// The self-contained HTML report of an audit, built from summary.json.
//
// The page works offline from disk: styles, charts (inline SVG) and its one tiny script are inline,
// and it fetches nothing. A Content-Security-Policy meta tag (default-src 'none'; style-src
// 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:) makes the browser block any fetch
// that a future change might add. It prints on A4 or Letter through print CSS. Every string from
// the summary is escaped, because group names and patient ids come from the input CSV.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace privaudit::report {

// Renders the report. Sections: summary, utility, survival, attacks, groups, patients, methods.
// A section whose data are missing or null states that in words. Throws InputError when `summary` is
// not a JSON object.
std::string render_report(const nlohmann::json& summary);

// Renders the report and writes it to `path` atomically (a reader sees the old file or the whole
// new one). Throws InputError as render_report, IoError when the file cannot be written.
void write_report(const std::filesystem::path& path, const nlohmann::json& summary);

}  // namespace privaudit::report
