#include "data/quote_text.h"

#include <fmt/format.h>

namespace privaudit::data {

std::string quote_text(std::string_view text, std::size_t max_chars) {
  std::string result = "'";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool starts_char = (byte & 0xC0) != 0x80;  // not a UTF-8 continuation byte
    if (starts_char && chars++ == max_chars) {
      result += "...";
      break;
    }
    if (byte == '\n') {
      result += "\\n";
    } else if (byte == '\r') {
      result += "\\r";
    } else if (byte == '\t') {
      result += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      result += fmt::format("\\x{:02X}", byte);
    } else {
      result += static_cast<char>(byte);
    }
  }
  result += "'";
  return result;
}

}  // namespace privaudit::data
