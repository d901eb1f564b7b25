// SHA-256 of input files, recorded in every run so that a later stage can prove it reads the same
// data that the plan was made from.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace privaudit {

// Returns the lowercase hex SHA-256 of a file's bytes. Throws IoError when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

// Returns the lowercase hex SHA-256 of a string.
std::string sha256_text(std::string_view text);

// Returns the lowercase hex HMAC-SHA256 (RFC 2104) of `message` under `key`. It replaces
// patient ids by keyed pseudonyms that only the key holder can link back.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace privaudit
