#include "data/number_parse.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace privaudit::data {

ParsedNumber parse_number(std::string_view text) {
  // 1. Trim ASCII spaces and tabs.
  const auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_blank(text.back())) {
    text.remove_suffix(1);
  }

  // 2. std::from_chars rejects a leading '+', so drop it unless another sign follows.
  if (text.size() >= 2 && text[0] == '+' && text[1] != '+' && text[1] != '-') {
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return {};
  }

  // 3. Parse and require full consumption.
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ptr != end) {
    return {};
  }
  if (ec == std::errc::result_out_of_range) {
    return {NumberStatus::out_of_range, 0.0};
  }
  if (ec != std::errc()) {
    return {};
  }
  if (!std::isfinite(value)) {
    return {NumberStatus::non_finite, value};
  }
  return {NumberStatus::finite, value};
}

}  // namespace privaudit::data
