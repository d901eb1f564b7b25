// Seeded random numbers that give the same bytes on every platform and standard library.
// std::uniform_int_distribution and friends are implementation-defined, so privaudit draws every
// random choice (plans, shuffles, initial weights, population samples) from these generators.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace privaudit {

// SplitMix64 (Steele, Lea, Flood 2014): used to expand one seed into independent streams.
std::uint64_t splitmix64(std::uint64_t& state);

// Derives the seed of sub-stream `index` of purpose `stream` from a run's base seed, so that model 7's
// shuffling does not depend on how many other models exist or on thread scheduling.
std::uint64_t derive_seed(std::uint64_t base, std::uint64_t stream, std::uint64_t index);

// Stream identifiers for derive_seed(). Values are part of the run format: never renumber.
enum class SeedStream : std::uint64_t {
  kPlanSplit = 1,       // test split of patients
  kPlanMembership = 2,  // balanced membership matrix
  kModelInit = 3,       // initial weights, per model
  kModelShuffle = 4,    // minibatch order, per model
  kTailHalves = 5,      // model halves for tail confirmation
  kRmiaPopulation = 6,  // RMIA population sample
  kGroupBootstrap = 7,  // bootstrap of per-group confidence intervals
  kScoringViews = 8,    // augmented views of each image record in its membership signal
};

inline std::uint64_t derive_seed(std::uint64_t base, SeedStream stream, std::uint64_t index) {
  return derive_seed(base, static_cast<std::uint64_t>(stream), index);
}

// xoshiro256** 1.0 (Blackman and Vigna 2018), seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t next();

  // Uniform double in [0, 1) with 53 random bits.
  double uniform();

  // Uniform float in [0, 1) with 24 random bits.
  float uniform_float();

  // Uniform integer in [0, bound) without modulo bias (Lemire 2019). Requires bound > 0.
  std::uint64_t below(std::uint64_t bound);

  // Fisher-Yates shuffle.
  template <typename T>
  void shuffle(std::span<T> values) {
    for (std::size_t i = values.size(); i > 1; --i) {
      const std::size_t j = static_cast<std::size_t>(below(i));
      std::swap(values[i - 1], values[j]);
    }
  }

 private:
  std::uint64_t s_[4];
};

}  // namespace privaudit
