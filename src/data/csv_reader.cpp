#include "data/csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"
#include "data/quote_text.h"

namespace privaudit::data {

namespace fs = std::filesystem;

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == name) {
      return c;
    }
  }
  return std::nullopt;
}

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Read size per fread() call, large enough that the call overhead does not matter.
constexpr std::size_t kReadChunkBytes = std::size_t{1} << 20;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// Reads the whole file, also from a pipe, stopping with InputError once it exceeds max_bytes.
std::string read_file_bytes(const fs::path& path, std::uint64_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw IoError(
        fmt::format("cannot read CSV file '{}': it is a directory. Give the path of a "
                    "CSV file.",
                    path.string()));
  }
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    const int error = errno;
    if (error == ENOENT) {
      throw IoError(
          fmt::format("cannot read CSV file '{}': file not found. Check the path.", path.string()));
    }
    throw IoError(
        fmt::format("cannot open CSV file '{}': {}.", path.string(), std::strerror(error)));
  }

  // A regular file's size is known in advance: reject it early or allocate once.
  std::string bytes;
  const std::uintmax_t known_size = fs::file_size(path, ec);
  if (!ec) {
    if (known_size > max_bytes) {
      throw InputError(fmt::format(
          "CSV file '{}' is {} bytes, larger than the limit of {} bytes. Reduce it to the columns "
          "and rows the audit needs before reading it.",
          path.string(), known_size, max_bytes));
    }
    bytes.resize(static_cast<std::size_t>(known_size) + kReadChunkBytes);
  }
  std::size_t used = 0;
  for (;;) {
    if (used + kReadChunkBytes > bytes.size()) {
      bytes.resize(std::max(bytes.size() * 2, used + kReadChunkBytes));
    }
    const std::size_t got = std::fread(bytes.data() + used, 1, kReadChunkBytes, file.get());
    used += got;
    if (used > max_bytes) {
      throw InputError(fmt::format(
          "CSV file '{}' is larger than the limit of {} bytes. Reduce it to the columns and rows "
          "the audit needs before reading it.",
          path.string(), max_bytes));
    }
    if (got < kReadChunkBytes) {
      if (std::ferror(file.get())) {
        throw IoError(fmt::format("reading CSV file '{}' failed after {} bytes: {}.", path.string(),
                                  used, std::strerror(errno)));
      }
      break;
    }
  }
  bytes.resize(used);
  return bytes;
}

// A position in the text together with the line it lies on, for error messages.
struct Mark {
  std::size_t pos = 0;
  std::size_t line = 1;
  std::size_t line_start = 0;
  std::size_t field = 0;  // 1-based field number within the record
};

// Single-pass RFC 4180 parser over the whole file text.
class Parser {
 public:
  Parser(fs::path path, std::string_view text, const CsvLimits& limits)
      : path_(std::move(path)), text_(text), limits_(limits) {}

  CsvTable parse();

 private:
  void read_record();
  void read_quoted_field();
  void read_plain_field();
  void consume_line_break();
  // Validates the UTF-8 sequence that starts at pos_ and returns its length in bytes.
  std::size_t utf8_length() const;

  Mark mark() const { return Mark{pos_, line_, line_start_, field_}; }
  std::string location(const Mark& at) const;
  [[noreturn]] void fail(const Mark& at, std::string_view problem) const;

  fs::path path_;
  std::string_view text_;
  CsvLimits limits_;
  std::vector<std::string> header_;

  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t field_ = 0;
  std::size_t expected_fields_ = 0;  // 0 while reading the header
  std::uint64_t total_fields_ = 0;
  std::vector<std::optional<std::string>> row_;
};

std::string Parser::location(const Mark& at) const {
  // The column counts code points, so skip UTF-8 continuation bytes (10xxxxxx). The text before
  // `at.pos` on its line has already been validated.
  std::size_t column = 1;
  for (std::size_t i = at.line_start; i < at.pos; ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  std::string where = fmt::format("'{}', line {}, column {}", path_.string(), at.line, column);
  if (at.field > 0) {
    where += fmt::format(" (field {}", at.field);
    if (at.field <= header_.size()) {
      where += ", " + quote_text(header_[at.field - 1]);
    }
    where += ")";
  }
  return where;
}

void Parser::fail(const Mark& at, std::string_view problem) const {
  throw InputError(fmt::format("CSV file {}: {}", location(at), problem));
}

std::size_t Parser::utf8_length() const {
  const auto byte = [&](std::size_t i) -> unsigned {
    return pos_ + i < text_.size() ? static_cast<unsigned char>(text_[pos_ + i]) : 0u;
  };
  const unsigned lead = byte(0);

  // 1. Sequence length and allowed range of the second byte, by lead byte. The narrowed ranges
  //    reject overlong forms, UTF-16 surrogates (U+D800 to U+DFFF) and code points above U+10FFFF.
  unsigned low = 0x80;
  unsigned high = 0xBF;
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  }

  // 2. Check the second byte against its range and the later bytes against 0x80 to 0xBF.
  bool valid = length > 0 && byte(1) >= low && byte(1) <= high;
  for (std::size_t i = 2; valid && i < length; ++i) {
    valid = byte(i) >= 0x80 && byte(i) <= 0xBF;
  }

  if (!valid) {
    fail(mark(), fmt::format("invalid UTF-8 byte sequence starting with byte 0x{:02X}. Convert "
                             "the file to UTF-8, for example with "
                             "'iconv -f WINDOWS-1252 -t UTF-8' for a Windows export.",
                             lead));
  }
  return length;
}

void Parser::consume_line_break() {
  if (text_[pos_] == '\r') {
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
    }
  } else {
    ++pos_;
  }
  ++line_;
  line_start_ = pos_;
}

void Parser::read_quoted_field() {
  const Mark opened = mark();
  ++pos_;
  std::string value;
  std::size_t run_start = pos_;  // start of the bytes not yet copied into `value`
  for (;;) {
    if (pos_ >= text_.size()) {
      fail(opened,
           "the quoted field that opens here is never closed. Add the closing double "
           "quote, and write a double quote inside a quoted field as two (\"\").");
    }
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      value.append(text_.substr(run_start, pos_ - run_start));
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
        value += '"';
        pos_ += 2;
        run_start = pos_;
        continue;
      }
      ++pos_;
      break;
    }
    if (c == '\n' || c == '\r') {
      consume_line_break();
    } else if (c == 0) {
      fail(mark(), "NUL byte. The file looks binary or UTF-16 encoded, so save it as UTF-8 CSV.");
    } else if (c >= 0x80) {
      pos_ += utf8_length();
    } else {
      ++pos_;
    }
  }

  if (pos_ < text_.size()) {
    const char next = text_[pos_];
    if (next != ',' && next != '\n' && next != '\r') {
      fail(mark(),
           "unexpected character after the closing quote of a quoted field. Write a "
           "double quote inside a quoted field as two (\"\"), and put a comma between "
           "fields.");
    }
  }
  // A quoted empty string is missing, like an empty field.
  row_.push_back(value.empty() ? std::nullopt : std::optional<std::string>(std::move(value)));
}

void Parser::read_plain_field() {
  const std::size_t start = pos_;
  while (pos_ < text_.size()) {
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == ',' || c == '\n' || c == '\r') {
      break;
    }
    if (c == '"') {
      fail(mark(),
           "double quote inside a field that does not start with a quote. Enclose the "
           "whole field in double quotes and write the quote inside as two (\"\").");
    }
    if (c == 0) {
      fail(mark(), "NUL byte. The file looks binary or UTF-16 encoded, so save it as UTF-8 CSV.");
    }
    pos_ += c >= 0x80 ? utf8_length() : 1;
  }
  if (pos_ == start) {
    row_.emplace_back(std::nullopt);
  } else {
    row_.emplace_back(std::string(text_.substr(start, pos_ - start)));
  }
}

void Parser::read_record() {
  row_.clear();
  field_ = 0;
  for (;;) {
    ++field_;
    if (expected_fields_ > 0 && field_ > expected_fields_) {
      fail(mark(), fmt::format("expected {} fields as in the header, found more. The first extra "
                               "field starts here. Enclose fields that contain commas in double "
                               "quotes.",
                               expected_fields_));
    }
    if (++total_fields_ > limits_.max_fields) {
      fail(mark(), fmt::format("the file has more than {} fields, the limit for one table. Reduce "
                               "it to the columns and rows the audit needs.",
                               limits_.max_fields));
    }

    if (pos_ < text_.size() && text_[pos_] == '"') {
      read_quoted_field();
    } else {
      read_plain_field();
    }

    if (pos_ >= text_.size()) {
      return;
    }
    if (text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    consume_line_break();
    return;
  }
}

CsvTable Parser::parse() {
  CsvTable table;
  table.path = path_;

  // 1. Skip the byte order mark, and find where the trailing empty lines begin.
  if (text_.starts_with("\xFF\xFE") || text_.starts_with("\xFE\xFF")) {
    throw InputError(
        fmt::format("CSV file '{}' is UTF-16 encoded (it starts with a UTF-16 byte "
                    "order mark). Save it as UTF-8 CSV.",
                    path_.string()));
  }
  if (text_.starts_with(kUtf8Bom)) {
    pos_ = kUtf8Bom.size();
    line_start_ = pos_;
  }
  std::size_t content_end = text_.size();
  while (content_end > pos_ && (text_[content_end - 1] == '\n' || text_[content_end - 1] == '\r')) {
    --content_end;
  }
  if (content_end == pos_) {
    throw InputError(
        fmt::format("CSV file '{}' has no data rows: the file is empty. Expected a "
                    "header line with the column names, then one line per record.",
                    path_.string()));
  }

  // 2. Header: non-empty, unique names.
  read_record();
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t c = 0; c < row_.size(); ++c) {
    if (!row_[c]) {
      throw InputError(
          fmt::format("CSV file '{}', line 1: the name of field {} in the header is "
                      "empty. Give every column a name.",
                      path_.string(), c + 1));
    }
    header_.push_back(std::move(*row_[c]));
  }
  for (std::size_t c = 0; c < header_.size(); ++c) {
    const auto [it, inserted] = seen.emplace(header_[c], c);
    if (!inserted) {
      throw InputError(
          fmt::format("CSV file '{}', line 1: column name {} appears twice in the "
                      "header (fields {} and {}). Rename one of them.",
                      path_.string(), quote_text(header_[c]), it->second + 1, c + 1));
    }
  }
  table.header = header_;
  table.columns.resize(header_.size());
  expected_fields_ = header_.size();

  // 3. Data rows. Records that start after content_end are the ignored trailing empty lines.
  while (pos_ < content_end) {
    const std::size_t row_line = line_;
    const Mark row_start = mark();
    read_record();
    if (row_.size() != expected_fields_) {
      fail(Mark{row_start.pos, row_start.line, row_start.line_start, 0},
           fmt::format("expected {} fields as in the header, found {}. Enclose fields that "
                       "contain commas in double quotes, and write a missing value as an empty "
                       "field.",
                       expected_fields_, row_.size()));
    }
    for (std::size_t c = 0; c < row_.size(); ++c) {
      table.columns[c].push_back(std::move(row_[c]));
    }
    table.row_line.push_back(row_line);
  }

  if (table.rows() == 0) {
    throw InputError(
        fmt::format("CSV file '{}' has no data rows: it contains only the header "
                    "line. Expected one line per record after the header.",
                    path_.string()));
  }
  return table;
}

}  // namespace

CsvTable read_csv(const fs::path& path, const CsvLimits& limits) {
  const std::string text = read_file_bytes(path, limits.max_bytes);
  return Parser(path, text, limits).parse();
}

}  // namespace privaudit::data
