#include "attacks/population.h"

#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"
#include "core/random.h"

namespace privaudit::attacks {

std::vector<std::uint32_t> sample_population(std::size_t records, std::size_t count,
                                             std::uint64_t seed) {
  PRIVAUDIT_CHECK(records <= std::numeric_limits<std::uint32_t>::max(),
                  fmt::format("sample_population supports up to 2^32 - 1 records, got {}",
                              records));
  PRIVAUDIT_CHECK(count <= records,
                  fmt::format("sample_population cannot draw {} distinct records out of {}",
                              count, records));

  std::vector<std::uint32_t> order(records);
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  Rng rng(seed);
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t j = k + static_cast<std::size_t>(rng.below(records - k));
    std::swap(order[k], order[j]);
  }
  order.resize(count);
  return order;
}

}  // namespace privaudit::attacks
