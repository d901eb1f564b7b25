// Crash-safe file output: data goes to a temporary file beside the target, is flushed to disk, and
// is renamed over the target only on commit(). A reader therefore sees either the old file or the
// complete new one, never a half-written file.
#pragma once

#include <cstdio>
#include <filesystem>
#include <span>
#include <string_view>

namespace privaudit {

class AtomicFile {
 public:
  // Opens "<target>.tmp-<pid>-<counter>" for writing. Throws IoError naming the folder on failure.
  explicit AtomicFile(std::filesystem::path target);
  // Removes the temporary file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::span<const std::byte> bytes);
  void write(std::string_view text);

  // Flushes, fsyncs and renames onto the target. Throws IoError on failure.
  void commit();

  const std::filesystem::path& target() const { return target_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

// Writes a whole text file atomically.
void write_file_atomic(const std::filesystem::path& target, std::string_view text);

// Reads a whole file. Throws IoError naming the path when it cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

}  // namespace privaudit
