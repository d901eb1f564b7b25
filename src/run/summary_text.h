// The human-readable summary that `privaudit analyze` and `audit` print on stdout. It puts the
// aggregate attack AUC beside the number of patients whose membership is near-certain, because
// that contrast is what the per-patient audit shows and the single number hides.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace privaudit::run {

// Formats a summary.json document as plain text (about 30 lines).
std::string format_summary(const nlohmann::json& summary);

}  // namespace privaudit::run
