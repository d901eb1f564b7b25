// Base64 encoding (RFC 4648, section 4: the standard alphabet with '=' padding), for embedding
// binary data such as PNG images in JSON and HTML as data URIs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace privaudit {

// Encodes `bytes` as base64 with the standard alphabet (A-Z, a-z, 0-9, '+', '/') and '=' padding
// to a multiple of 4 characters, without line breaks. The output has 4 * ceil(n / 3) characters.
std::string base64_encode(std::span<const std::uint8_t> bytes);

// Encodes the bytes of `text` as base64, as above.
std::string base64_encode(std::string_view text);

}  // namespace privaudit
