// Seeded pseudo-random generators written out in full, so that the same seed gives the same
// numbers with every compiler and standard library (std:: distributions differ between them).
#pragma once

#include <array>
#include <cstdint>

namespace privaudit::models {

// SplitMix64 (Steele, Lea and Flood 2014): advances `state` by the golden-ratio increment and
// returns the mixed value. Used to expand a 64-bit seed into xoshiro256** state.
std::uint64_t splitmix64(std::uint64_t& state);

// Derives an independent seed for sub-stream `stream` of `seed` (for example stream 0 for weight
// initialisation and stream 1 for shuffling), by SplitMix64 mixing of both values.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

// xoshiro256** 1.0 (Blackman and Vigna 2018, "Scrambled linear pseudorandom number
// generators"): 256 bits of state, period 2^256 - 1. Seeded from four SplitMix64 outputs, as
// its authors recommend. Not for cryptography.
class Xoshiro256StarStar {
 public:
  explicit Xoshiro256StarStar(std::uint64_t seed);

  // Next 64 random bits.
  std::uint64_t next();

  // Uniform float in [0, 1) with 24 random bits.
  float uniform_float();

  // Uniform double in [0, 1) with 53 random bits.
  double uniform_double();

  // Unbiased uniform integer in [0, bound), by rejection of the short top range. bound >= 1.
  std::uint64_t below(std::uint64_t bound);

 private:
  std::array<std::uint64_t, 4> state_;
};

}  // namespace privaudit::models
