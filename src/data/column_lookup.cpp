#include "data/column_lookup.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"
#include "data/quote_text.h"

namespace privaudit::data {

namespace {

// Names longer than this are compared only by case-insensitive equality and containment, which
// bounds the O(length^2) edit distance on hostile headers.
constexpr std::size_t kMaxEditDistanceLength = 128;
// Number of column names listed in an unknown-column message.
constexpr std::size_t kMaxListedColumns = 30;

std::string to_lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

// Levenshtein distance with unit costs, O(|a| |b|) time and O(|b|) memory.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<std::string> similar_column_names(const std::vector<std::string>& header,
                                              std::string_view name, std::size_t max_suggestions) {
  const std::string query = to_lower_ascii(name);
  const std::size_t threshold = std::max<std::size_t>(2, query.size() / 3);

  // 1. Score every column, lower being closer. Containment scores after any close typo.
  std::vector<std::pair<std::size_t, std::size_t>> scored;  // (score, column)
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string candidate = to_lower_ascii(header[c]);
    if (candidate == query) {
      scored.emplace_back(0, c);
      continue;
    }
    // The distance is at least the length difference, so skip the O(length^2) computation when
    // that alone exceeds the threshold.
    const std::size_t length_difference = query.size() > candidate.size()
                                              ? query.size() - candidate.size()
                                              : candidate.size() - query.size();
    if (length_difference <= threshold && query.size() <= kMaxEditDistanceLength &&
        candidate.size() <= kMaxEditDistanceLength) {
      const std::size_t distance = edit_distance(query, candidate);
      if (distance <= threshold) {
        scored.emplace_back(distance, c);
        continue;
      }
    }
    if (!query.empty() && (candidate.find(query) != std::string::npos ||
                           query.find(candidate) != std::string::npos)) {
      scored.emplace_back(threshold + 1, c);
    }
  }

  // 2. Closest first, ties in header order.
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> names;
  for (std::size_t i = 0; i < scored.size() && i < max_suggestions; ++i) {
    names.push_back(header[scored[i].second]);
  }
  return names;
}

std::size_t resolve_column(const CsvTable& table, std::string_view name, std::string_view option) {
  if (const auto index = table.find_column(name)) {
    return *index;
  }

  std::string message = fmt::format("CSV file '{}' has no column {} (given to {}).",
                                    table.path.string(), quote_text(name), option);
  std::vector<std::string> similar = similar_column_names(table.header, name);
  for (std::string& similar_name : similar) {
    similar_name = quote_text(similar_name);
  }
  if (!similar.empty()) {
    message += fmt::format(" Did you mean {}?", fmt::join(similar, ", "));
  }
  std::vector<std::string> listed;
  for (std::size_t c = 0; c < table.header.size() && c < kMaxListedColumns; ++c) {
    listed.push_back(quote_text(table.header[c]));
  }
  message +=
      fmt::format(" The file has {} columns: {}", table.header.size(), fmt::join(listed, ", "));
  message += listed.size() < table.header.size() ? ", ..." : ".";
  throw InputError(message);
}

}  // namespace privaudit::data
