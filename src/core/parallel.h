// Deterministic data parallelism over records: each worker thread owns one contiguous block and
// writes only its records' result slots, so results do not depend on the thread count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace privaudit {

// Minimum records per worker thread, because below this a thread's start-up costs more than it
// saves.
inline constexpr std::size_t kMinRecordsPerThread = 2048;

// Runs body(begin, end) on contiguous blocks of [0, count), one per worker thread (at most the
// hardware threads, and at least kMinRecordsPerThread records each), and rethrows the exception of
// the first failing block on the calling thread.
template <typename Body>
void for_each_block(std::size_t count, const Body& body) {
  const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers = std::clamp<std::size_t>(count / kMinRecordsPerThread, 1, hardware);
  if (workers == 1) {
    body(std::size_t{0}, count);
    return;
  }
  std::vector<std::exception_ptr> errors(workers);
  const auto run = [&](std::size_t w) {
    try {
      body(count * w / workers, count * (w + 1) / workers);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(run, w);
  run(0);
  for (std::thread& thread : threads) thread.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace privaudit
