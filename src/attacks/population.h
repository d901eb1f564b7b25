// Deterministic sampling of the RMIA population records z.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace privaudit::attacks {

// Draws `count` distinct record indices from [0, records) without replacement, in draw order.
// Partial Fisher-Yates shuffle of 0..records-1 driven by privaudit::Rng(seed) (xoshiro256**
// seeded through SplitMix64): for k = 0..count-1, swap position k with k + Rng::below(records - k).
// The same seed gives the same indices with every compiler and standard library.
// Requires count <= records <= 2^32 - 1 (InternalError otherwise). O(records) memory and time.
std::vector<std::uint32_t> sample_population(std::size_t records, std::size_t count,
                                             std::uint64_t seed);

}  // namespace privaudit::attacks
