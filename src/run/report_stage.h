// The report stage: turns a run's summary.json into one self-contained report.html.
#pragma once

#include <filesystem>

namespace privaudit::run {

// Writes report.html atomically and returns its path. Throws UsageError when the run has not been
// analysed yet and InputError when summary.json is damaged.
std::filesystem::path run_report_stage(const std::filesystem::path& dir);

}  // namespace privaudit::run
