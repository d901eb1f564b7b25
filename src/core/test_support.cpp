#include "core/test_support.h"

#include <atomic>
#include <fstream>
#include <random>
#include <stdexcept>

#include <unistd.h>

namespace privaudit::test_support {

TempDir::TempDir() {
  static std::atomic<unsigned> counter{0};
  std::random_device entropy;
  const std::string name = "privaudit-test-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++) + "-" + std::to_string(entropy());
  path_ = std::filesystem::temp_directory_path() / name;
  if (!std::filesystem::create_directory(path_)) {
    throw std::runtime_error("temporary folder already exists: " + path_.string());
  }
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write(std::string_view name, std::string_view bytes) const {
  const std::filesystem::path file = path_ / name;
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    throw std::runtime_error("cannot write test file " + file.string());
  }
  return file;
}

}  // namespace privaudit::test_support
