#include "core/atomic_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace privaudit {

namespace {
std::atomic<unsigned> temp_counter{0};

std::string errno_text() { return std::strerror(errno); }
}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  temp_ = target_;
  temp_ += fmt::format(".tmp-{}-{}", ::getpid(), temp_counter.fetch_add(1));
  file_ = std::fopen(temp_.c_str(), "wb");
  if (file_ == nullptr) {
    throw IoError(fmt::format("cannot create '{}': {}; check that the folder exists and is writable",
                              temp_.string(), errno_text()));
  }
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
  }
}

void AtomicFile::write(std::span<const std::byte> bytes) {
  PRIVAUDIT_CHECK(file_ != nullptr, "write after commit");
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    throw IoError(fmt::format("writing '{}' failed: {}", temp_.string(), errno_text()));
  }
}

void AtomicFile::write(std::string_view text) {
  write(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

void AtomicFile::commit() {
  PRIVAUDIT_CHECK(file_ != nullptr, "commit called twice");
  const bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int saved_errno = errno;
  std::fclose(file_);
  file_ = nullptr;
  if (!flushed) {
    errno = saved_errno;
    throw IoError(fmt::format("writing '{}' failed: {}", temp_.string(), errno_text()));
  }
  std::error_code error;
  std::filesystem::rename(temp_, target_, error);
  if (error) {
    throw IoError(fmt::format("renaming '{}' to '{}' failed: {}", temp_.string(),
                              target_.string(), error.message()));
  }
  committed_ = true;
}

void write_file_atomic(const std::filesystem::path& target, std::string_view text) {
  AtomicFile file(target);
  file.write(text);
  file.commit();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IoError(fmt::format("cannot open '{}': {}", path.string(), errno_text()));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError(fmt::format("reading '{}' failed", path.string()));
  return buffer.str();
}

}  // namespace privaudit
