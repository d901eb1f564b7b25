// Fixtures and HTML lookups shared by the sweep report's tests.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"

namespace privaudit::report::sweep_testing {

using nlohmann::json;

inline json load(const char* name) {
  return json::parse(read_file(std::filesystem::path(PRIVAUDIT_SOURCE_DIR) / "src/report/testdata" / name));
}

// Three MLP widths (561, 2241 and 8961 parameters) without DP. The "age" group "100+" is suppressed;
// age "65+" is significant at the two larger widths and afam "yes" at the largest.
inline json capacity_fixture() {
  static const json kFixture = load("sweep_capacity.json");
  return kFixture;
}

// No DP, DP at epsilon 10 (AUC bound 0.9993) and DP at epsilon 1 (bound 0.7311), patient-level.
// afam "yes" is significant without DP and at epsilon 10, not at epsilon 1. No bound violation.
inline json epsilon_fixture() {
  static const json kFixture = load("sweep_epsilon.json");
  return kFixture;
}

inline std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

// The element from `open` (e.g. `<section id="x">` or `data-chart="x"`) to the next `close`, or "".
inline std::string between(const std::string& html, const std::string& open, const std::string& close) {
  const auto start = html.find(open);
  if (start == std::string::npos) return "";
  const auto end = html.find(close, start);
  return end == std::string::npos ? "" : html.substr(start, end - start);
}

inline std::string section(const std::string& html, const std::string& id) {
  return between(html, "<section id=\"" + id + "\">", "</section>");
}

inline std::string chart(const std::string& html, const std::string& id) {
  return between(html, "data-chart=\"" + id + "\"", "</svg>");
}

// The <tr>...</tr> row whose first cell is `first_cell`, or "".
inline std::string row_starting(const std::string& html, const std::string& first_cell) {
  return between(html, "<tr><td>" + first_cell + "</td>", "</tr>");
}

inline bool has_digit(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace privaudit::report::sweep_testing
