#include "ecg/ecg_test_files.h"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace privaudit::ecg::testing {

namespace {

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  std::string cell;
  while (std::getline(stream, cell, ',')) cells.push_back(cell);
  return cells;
}

}  // namespace

IntegerTable read_ecg_csv(std::string_view name) {
  const std::filesystem::path path = std::filesystem::path(PRIVAUDIT_TEST_DATA_DIR) / "ecg" / name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open test data " + path.string());
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  IntegerTable table;
  table.names = split_commas(line);
  table.columns.resize(table.names.size());
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> cells = split_commas(line);
    if (cells.size() != table.names.size()) throw std::runtime_error("ragged row in " + path.string());
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::int32_t value = 0;
      const auto [end, error] = std::from_chars(cells[c].data(), cells[c].data() + cells[c].size(), value);
      if (error != std::errc() || end != cells[c].data() + cells[c].size()) {
        throw std::runtime_error("'" + cells[c] + "' is not an integer in " + path.string());
      }
      table.columns[c].push_back(value);
    }
  }
  return table;
}

}  // namespace privaudit::ecg::testing
