// Test helpers: an owning signal matrix and a deterministic synthetic generator.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

#include "attacks/signal_matrix.h"
#include "core/random.h"

namespace privaudit::attacks::testing {

// Owns phi and keep [models, records] and hands out views of them.
struct OwnedSignals {
  std::size_t models = 0;
  std::size_t records = 0;
  std::vector<float> phi;
  std::vector<std::uint8_t> keep;

  OwnedSignals(std::size_t m, std::size_t n) : models(m), records(n), phi(m * n), keep(m * n) {}

  float& signal(std::size_t m, std::size_t i) { return phi[m * records + i]; }
  std::uint8_t& member(std::size_t m, std::size_t i) { return keep[m * records + i]; }
  SignalView view() const { return SignalView{phi, keep, models, records}; }
};

// Balanced synthetic data: record i is IN for the models m with (m + i) even, so every record is
// IN for half of an even number of models. phi = base_i + shift * member + noise, with
// base_i ~ N(0, 1) and noise ~ N(0, noise_sd^2) by Box-Muller on privaudit::Rng(seed).
inline OwnedSignals synthetic_signals(std::size_t models, std::size_t records, double shift,
                                      double noise_sd, std::uint64_t seed) {
  Rng rng(seed);
  auto normal = [&rng]() {
    const double u1 = 1.0 - rng.uniform();  // in (0, 1], so the log is finite
    const double u2 = rng.uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  };
  OwnedSignals data(models, records);
  for (std::size_t i = 0; i < records; ++i) {
    const double base = normal();
    for (std::size_t m = 0; m < models; ++m) {
      const bool in = (m + i) % 2 == 0;
      data.member(m, i) = in ? 1 : 0;
      data.signal(m, i) = static_cast<float>(base + (in ? shift : 0.0) + noise_sd * normal());
    }
  }
  return data;
}

}  // namespace privaudit::attacks::testing
