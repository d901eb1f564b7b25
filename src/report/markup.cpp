#include "report/markup.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

namespace privaudit::report {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// Length of the valid UTF-8 sequence that starts at text[pos], or 0 when it is invalid (bad lead
// byte, truncated, overlong, surrogate or above U+10FFFF). Stores the code point in `code_point`.
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos, std::uint32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  std::size_t length = 0;
  std::uint32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(pos + i) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

// XML 1.0 Char production minus the characters that we escape separately.
bool is_xml_char(std::uint32_t code_point) {
  if (code_point < 0x20) return code_point == 0x09 || code_point == 0x0A || code_point == 0x0D;
  if (code_point >= 0x7F && code_point <= 0x9F) return false;  // C1 controls: legal but invisible
  return code_point != 0xFFFE && code_point != 0xFFFF;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::uint32_t code_point = 0;
    const std::size_t length = utf8_sequence_length(text, pos, code_point);
    if (length == 0) {
      out += kReplacementCharacter;
      ++pos;
      continue;
    }
    if (!is_xml_char(code_point)) {
      out += kReplacementCharacter;
    } else if (code_point == '&') {
      out += "&amp;";
    } else if (code_point == '<') {
      out += "&lt;";
    } else if (code_point == '>') {
      out += "&gt;";
    } else if (code_point == '"') {
      out += "&quot;";
    } else if (code_point == '\'') {
      out += "&#39;";
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

std::string format_coordinate(double value) {
  if (!std::isfinite(value)) return "0";
  std::string text = fmt::format("{:.2f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

std::string format_significant(double value, int digits) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0.0) return "0";
  return fmt::format("{:.{}g}", value, digits);
}

std::string format_data_value(double value) {
  // Beyond 1e15 a double cannot represent every whole number, so a whole value there may be rounded.
  if (std::isfinite(value) && std::fabs(value) < 1e15 && value == std::trunc(value)) {
    return fmt::format("{:.0f}", value == 0.0 ? 0.0 : value);
  }
  return format_significant(value);
}

}  // namespace privaudit::report
