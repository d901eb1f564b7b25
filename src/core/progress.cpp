#include "core/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace privaudit {

namespace {
// Work shorter than this shows no bar at all.
constexpr double kShowAfterSeconds = 1.0;
// Redraw interval on a terminal, and line interval in a log file.
constexpr double kTerminalRedrawSeconds = 0.2;
constexpr double kLogLineSeconds = 5.0;
constexpr int kBarWidth = 24;

double seconds_between(std::chrono::steady_clock::time_point a,
                       std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long hours = total / 3600;
  const long long minutes = (total / 60) % 60;
  const long long secs = total % 60;
  if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, secs);
  return fmt::format("{}:{:02}", minutes, secs);
}

Progress::Progress(std::string label, std::size_t total, std::string unit, std::size_t already_done)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      done_(already_done),
      initial_(already_done),
      tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::size_t count) {
  std::lock_guard lock(mutex_);
  done_ += count;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = seconds_between(start_, now);
  if (elapsed < kShowAfterSeconds) return;
  const double interval = tty_ ? kTerminalRedrawSeconds : kLogLineSeconds;
  if (shown_ && seconds_between(last_draw_, now) < interval && done_ < total_) return;
  last_draw_ = now;
  draw_locked(false);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (!shown_) return;
  if (done_ != drawn_done_) {
    draw_locked(true);
  } else if (tty_) {
    std::fputs("\n", stderr);  // the last redraw already shows the final count
  }
}

void Progress::draw_locked(bool final) {
  shown_ = true;
  drawn_done_ = done_;
  const double elapsed = seconds_between(start_, std::chrono::steady_clock::now());
  const std::size_t fresh = done_ - initial_;
  const double rate = elapsed > 0 ? static_cast<double>(fresh) / elapsed : 0.0;
  const double remaining = rate > 0 ? static_cast<double>(total_ - done_) / rate : NAN;
  const double fraction = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;

  std::string bar;
  if (tty_) {
    const int filled = static_cast<int>(fraction * kBarWidth);
    bar = "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] ";
  }
  const std::string timing = final || done_ >= total_
                                 ? fmt::format("elapsed {}", format_duration(elapsed))
                                 : fmt::format("ETA {}", format_duration(remaining));
  const std::string line = fmt::format("{} {}{}/{} {} ({:.0f}%), {:.2f} {}/s, {}", label_, bar,
                                       done_, total_, unit_, 100.0 * fraction, rate, unit_, timing);
  if (tty_) {
    std::fprintf(stderr, "\r%s\033[K%s", line.c_str(), final ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace privaudit
