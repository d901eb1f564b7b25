#include "data/csv_reader.h"

#include <csignal>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "core/error.h"
#include "data/test_files.h"

namespace privaudit::data {
namespace {

using testing::expect_error;
using testing::TempDir;

std::optional<std::string> value(const CsvTable& table, std::size_t column, std::size_t row) {
  return table.columns.at(column).at(row);
}

TEST(CsvReader, PlainTable) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b,c\n1,2,3\n4,5,6\n");
  const CsvTable table = read_csv(path);
  EXPECT_EQ(table.path, path);
  EXPECT_EQ(table.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(table.rows(), 2u);
  ASSERT_EQ(table.columns.size(), 3u);
  EXPECT_EQ(value(table, 0, 0), "1");
  EXPECT_EQ(value(table, 2, 1), "6");
  EXPECT_EQ(table.row_line, (std::vector<std::size_t>{2, 3}));
}

TEST(CsvReader, QuotedFields) {
  TempDir dir;
  const auto path = dir.write("t.csv",
                              "\"name\",\"note\"\n"
                              "\"a,b\",\"say \"\"hi\"\"\"\n"
                              "\"two\nlines\",\"crlf\r\ninside\"\n"
                              "last,\"\"\"\"\n");
  const CsvTable table = read_csv(path);
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_EQ(value(table, 0, 0), "a,b");
  EXPECT_EQ(value(table, 1, 0), "say \"hi\"");
  EXPECT_EQ(value(table, 0, 1), "two\nlines");
  EXPECT_EQ(value(table, 1, 1), "crlf\r\ninside");
  EXPECT_EQ(value(table, 1, 2), "\"");
  // Row 2 spans lines 3 to 5, because both of its fields contain a line break.
  EXPECT_EQ(table.row_line, (std::vector<std::size_t>{2, 3, 6}));
}

TEST(CsvReader, EmptyAndQuotedEmptyAreMissing) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", "a,b,c,d\n,\"\",x,\n"));
  ASSERT_EQ(table.rows(), 1u);
  EXPECT_FALSE(value(table, 0, 0).has_value());
  EXPECT_FALSE(value(table, 1, 0).has_value());
  EXPECT_EQ(value(table, 2, 0), "x");
  EXPECT_FALSE(value(table, 3, 0).has_value());
}

TEST(CsvReader, SpacesKeptVerbatim) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", "a,b\n 1 ,\" x \"\n"));
  EXPECT_EQ(value(table, 0, 0), " 1 ");
  EXPECT_EQ(value(table, 1, 0), " x ");
}

TEST(CsvReader, CrlfLineEndings) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", "a,b\r\n1,2\r\n3,\r\n"));
  ASSERT_EQ(table.rows(), 2u);
  EXPECT_EQ(value(table, 1, 0), "2");
  EXPECT_FALSE(value(table, 1, 1).has_value());
  EXPECT_EQ(table.row_line, (std::vector<std::size_t>{2, 3}));
}

TEST(CsvReader, LoneCrLineEndings) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", "a,b\r1,2\r3,4"));
  ASSERT_EQ(table.rows(), 2u);
  EXPECT_EQ(value(table, 0, 1), "3");
  EXPECT_EQ(table.row_line, (std::vector<std::size_t>{2, 3}));
}

TEST(CsvReader, NoFinalNewline) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", "a,b\n1,2"));
  ASSERT_EQ(table.rows(), 1u);
  EXPECT_EQ(value(table, 1, 0), "2");
}

TEST(CsvReader, TrailingEmptyLinesIgnored) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", "a,b\n1,2\n\n\r\n\n"));
  EXPECT_EQ(table.rows(), 1u);
}

TEST(CsvReader, SingleColumnEmptyLineIsMissing) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", "a\n1\n\n2\n"));
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_FALSE(value(table, 0, 1).has_value());
  EXPECT_EQ(value(table, 0, 2), "2");
}

TEST(CsvReader, Utf8BomSkipped) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv",
                                            "\xEF\xBB\xBF"
                                            "age,sex\n1,F\n"));
  EXPECT_EQ(table.header.front(), "age");
  EXPECT_EQ(table.find_column("age"), 0u);
}

TEST(CsvReader, Utf8TextKept) {
  TempDir dir;
  const std::string text = "Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x98\x80";  // Zürich € 😀
  const CsvTable table = read_csv(dir.write("t.csv", "city\n" + text + "\n"));
  EXPECT_EQ(value(table, 0, 0), text);
}

TEST(CsvReader, FindColumn) {
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", "a,b\n1,2\n"));
  EXPECT_EQ(table.find_column("b"), 1u);
  EXPECT_FALSE(table.find_column("B").has_value());
  EXPECT_FALSE(table.find_column("").has_value());
}

TEST(CsvReader, ManyRowsLinear) {
  // 200,000 rows of quoted fields on long lines would take minutes with quadratic behaviour.
  std::string text = "id,note\n";
  for (int i = 0; i < 200000; ++i) {
    text += std::to_string(i) + ",\"x,y\"\n";
  }
  TempDir dir;
  const CsvTable table = read_csv(dir.write("t.csv", text));
  ASSERT_EQ(table.rows(), 200000u);
  EXPECT_EQ(value(table, 0, 199999), "199999");
  EXPECT_EQ(table.row_line.back(), 200001u);
}

// Creates a named pipe in `dir` and writes `text` into it from a thread, as a shell's process
// substitution would. The returned thread must be joined after reading.
std::thread feed_pipe(const TempDir& dir, const std::string& name, std::string text) {
  const std::string path = (dir.path() / name).string();
  if (::mkfifo(path.c_str(), 0600) != 0) {
    throw std::runtime_error("mkfifo failed for " + path);
  }
  return std::thread([path, text = std::move(text)] {
    std::ofstream out(path, std::ios::binary);  // blocks until the reader opens the pipe
    out << text;
  });
}

TEST(CsvReader, ReadsFromPipe) {
  TempDir dir;
  std::thread writer = feed_pipe(dir, "pipe.csv", "a,b\n1,2\n3,4\n");
  const CsvTable table = read_csv(dir.path() / "pipe.csv");
  writer.join();
  EXPECT_EQ(table.rows(), 2u);
  EXPECT_EQ(value(table, 1, 1), "4");
}

TEST(CsvReader, PipeByteLimit) {
  TempDir dir;
  // Larger than one read chunk, so that the limit is checked while streaming.
  std::string text = "a\n";
  text += std::string(3u << 20, '7');
  // The reader closes the pipe early, so the writer must get EPIPE instead of a fatal SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::thread writer = feed_pipe(dir, "pipe.csv", text);
  CsvLimits limits;
  limits.max_bytes = 1u << 20;
  expect_error<InputError>([&] { read_csv(dir.path() / "pipe.csv", limits); },
                           {"pipe.csv", "larger than the limit of 1048576 bytes"});
  writer.join();
}

TEST(CsvReader, MissingFileIsIoError) {
  TempDir dir;
  const auto path = dir.path() / "absent.csv";
  expect_error<IoError>([&] { read_csv(path); }, {path.string(), "not found"});
}

TEST(CsvReader, DirectoryIsIoError) {
  TempDir dir;
  expect_error<IoError>([&] { read_csv(dir.path()); }, {dir.path().string(), "directory"});
}

TEST(CsvReader, EmptyFile) {
  TempDir dir;
  const auto path = dir.write("t.csv", "");
  expect_error<InputError>([&] { read_csv(path); }, {path.string(), "has no data rows"});
  const auto blank = dir.write("blank.csv", "\xEF\xBB\xBF\n\n");
  expect_error<InputError>([&] { read_csv(blank); }, {blank.string(), "has no data rows"});
}

TEST(CsvReader, HeaderOnly) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b\n\n");
  expect_error<InputError>([&] { read_csv(path); },
                           {path.string(), "has no data rows", "only the header"});
}

TEST(CsvReader, RowWithTooFewFields) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b,c\n1,2,3\n4,5\n");
  expect_error<InputError>([&] { read_csv(path); },
                           {path.string(), "line 3", "expected 3 fields", "found 2"});
}

TEST(CsvReader, RowWithTooManyFields) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b\n1,2\n3,4,5\n");
  expect_error<InputError>([&] { read_csv(path); }, {path.string(), "line 3, column 5 (field 3)",
                                                     "expected 2 fields", "found more"});
}

TEST(CsvReader, EmptyLineInMiddleIsRagged) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b\n1,2\n\n3,4\n");
  expect_error<InputError>([&] { read_csv(path); }, {"line 3", "expected 2 fields", "found 1"});
}

TEST(CsvReader, UnterminatedQuote) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b\n1,2\n3,\"open\n4,5\n");
  expect_error<InputError>([&] { read_csv(path); },
                           {path.string(), "line 3, column 3 (field 2, 'b')", "never closed"});
}

TEST(CsvReader, QuoteInsideUnquotedField) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b\n1,5'10\"\n");
  expect_error<InputError>([&] { read_csv(path); },
                           {path.string(), "line 2, column 7 (field 2, 'b')", "double quote"});
}

TEST(CsvReader, TextAfterClosingQuote) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b\n\"x\"y,2\n");
  expect_error<InputError>([&] { read_csv(path); },
                           {"line 2, column 4 (field 1, 'a')", "after the closing quote"});
}

TEST(CsvReader, DuplicateHeader) {
  TempDir dir;
  const auto path = dir.write("t.csv", "age,sex,age\n1,F,2\n");
  expect_error<InputError>([&] { read_csv(path); },
                           {path.string(), "line 1", "'age' appears twice", "fields 1 and 3"});
}

TEST(CsvReader, EmptyHeaderName) {
  TempDir dir;
  const auto path = dir.write("t.csv", "age,,sex\n1,2,F\n");
  expect_error<InputError>([&] { read_csv(path); },
                           {path.string(), "line 1", "field 2", "is empty"});
  const auto quoted = dir.write("q.csv", "age,\"\"\n1,2\n");
  expect_error<InputError>([&] { read_csv(quoted); }, {"field 2", "is empty"});
}

TEST(CsvReader, InvalidUtf8) {
  TempDir dir;
  // Latin-1 'e acute' (0xE9) after a two-byte UTF-8 character: character column 4, not byte 5.
  const auto path = dir.write("t.csv", "a,b\n1,\xC3\xBC\xE9t\n");
  expect_error<InputError>(
      [&] { read_csv(path); },
      {path.string(), "line 2, column 4 (field 2, 'b')", "invalid UTF-8", "0xE9"});
}

TEST(CsvReader, InvalidUtf8Forms) {
  TempDir dir;
  const auto overlong = dir.write("overlong.csv", "a\n\xC0\xAF\n");
  expect_error<InputError>([&] { read_csv(overlong); }, {"line 2, column 1", "0xC0"});
  const auto surrogate = dir.write("surrogate.csv", "a\nx\xED\xA0\x80\n");
  expect_error<InputError>([&] { read_csv(surrogate); }, {"line 2, column 2", "0xED"});
  const auto too_large = dir.write("too_large.csv", "a\n\xF4\x90\x80\x80\n");
  expect_error<InputError>([&] { read_csv(too_large); }, {"line 2, column 1", "0xF4"});
  const auto truncated = dir.write("truncated.csv", "a\n\"\xE2\x82");
  expect_error<InputError>([&] { read_csv(truncated); }, {"line 2, column 2", "0xE2"});
  const auto in_header = dir.write("header.csv", "a\xFF\n1\n");
  expect_error<InputError>([&] { read_csv(in_header); }, {"line 1, column 2 (field 1)", "0xFF"});
}

TEST(CsvReader, NulByte) {
  TempDir dir;
  const auto path = dir.write("t.csv", std::string("a,b\n1,2\n3,x\0y\n", 14));
  expect_error<InputError>([&] { read_csv(path); },
                           {path.string(), "line 3, column 4 (field 2, 'b')", "NUL byte"});
  const auto quoted = dir.write("q.csv", std::string("a\n\"\0\"\n", 6));
  expect_error<InputError>([&] { read_csv(quoted); }, {"line 2, column 2", "NUL byte"});
}

TEST(CsvReader, Utf16Rejected) {
  TempDir dir;
  const auto path = dir.write("t.csv", std::string("\xFF\xFE"
                                                   "a\0\n\0",
                                                   6));
  expect_error<InputError>([&] { read_csv(path); }, {path.string(), "UTF-16"});
}

TEST(CsvReader, ByteLimit) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b\n1,2\n3,4\n");
  CsvLimits limits;
  limits.max_bytes = 8;
  expect_error<InputError>([&] { read_csv(path, limits); },
                           {path.string(), "larger than the limit of 8 bytes"});
  limits.max_bytes = 12;  // exactly the file size
  EXPECT_EQ(read_csv(path, limits).rows(), 2u);
}

TEST(CsvReader, FieldLimit) {
  TempDir dir;
  const auto path = dir.write("t.csv", "a,b\n1,2\n3,4\n");
  CsvLimits limits;
  limits.max_fields = 5;
  expect_error<InputError>([&] { read_csv(path, limits); },
                           {path.string(), "line 3, column 3", "more than 5 fields"});
  limits.max_fields = 6;
  EXPECT_EQ(read_csv(path, limits).rows(), 2u);
}

}  // namespace
}  // namespace privaudit::data
