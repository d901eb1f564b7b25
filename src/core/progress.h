// A progress bar on stderr with count, rate and ETA. It stays silent for work that ends within
// its delay, redraws in place on a terminal, and prints a plain line every few seconds otherwise
// (so CI logs stay readable). Safe to advance from several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace privaudit {

class Progress {
 public:
  // `unit` names one item in the plural ("models"). `already_done` items (for example models kept
  // from an interrupted run) count as done but are left out of the rate and ETA.
  Progress(std::string label, std::size_t total, std::string unit, std::size_t already_done = 0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Marks `count` more items as done.
  void advance(std::size_t count = 1);
  // Prints the final state (when anything was shown) and a newline.
  void finish();

 private:
  void draw_locked(bool final);

  std::string label_;
  std::string unit_;
  std::size_t total_;
  std::size_t done_;
  std::size_t initial_;
  std::size_t drawn_done_ = 0;  // done_ at the last draw
  bool tty_;
  bool shown_ = false;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex mutex_;
};

// Formats seconds as "1:05" or "2:03:07".
std::string format_duration(double seconds);

}  // namespace privaudit
