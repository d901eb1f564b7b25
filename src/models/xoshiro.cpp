#include "models/xoshiro.h"

#include "core/error.h"

namespace privaudit::models {
namespace {

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t splitmix64(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t state = seed;
  const std::uint64_t mixed_seed = splitmix64(state);
  state = mixed_seed ^ stream;
  return splitmix64(state);
}

Xoshiro256StarStar::Xoshiro256StarStar(std::uint64_t seed) {
  std::uint64_t sm_state = seed;
  for (auto& word : state_) {
    word = splitmix64(sm_state);
  }
}

std::uint64_t Xoshiro256StarStar::next() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

float Xoshiro256StarStar::uniform_float() {
  return static_cast<float>(next() >> 40) * 0x1.0p-24f;
}

double Xoshiro256StarStar::uniform_double() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::uint64_t Xoshiro256StarStar::below(std::uint64_t bound) {
  PRIVAUDIT_CHECK(bound >= 1, "below() needs bound >= 1");
  // r % bound favours the 2^64 mod bound smallest results. Rejecting r below that count leaves
  // a whole number of copies of [0, bound).
  const std::uint64_t threshold = (0 - bound) % bound;
  while (true) {
    const std::uint64_t r = next();
    if (r >= threshold) {
      return r % bound;
    }
  }
}

}  // namespace privaudit::models
