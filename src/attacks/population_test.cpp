#include "attacks/population.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::attacks {
namespace {

// Pinned from bench/baselines/attacks_numpy.py sample_population (a Python re-implementation of
// privaudit::Rng), so C++ and the NumPy baseline draw the same population.
TEST(SamplePopulation, MatchesNumpyBaselineSmall) {
  EXPECT_EQ(sample_population(6, 5, 7), (std::vector<std::uint32_t>{4, 2, 5, 1, 3}));
}

TEST(SamplePopulation, MatchesNumpyBaselineLarge) {
  EXPECT_EQ(sample_population(1000, 10, 12345),
            (std::vector<std::uint32_t>{743, 130, 963, 51, 556, 15, 164, 300, 390, 911}));
}

TEST(SamplePopulation, SameSeedSameSample) {
  EXPECT_EQ(sample_population(500, 50, 99), sample_population(500, 50, 99));
}

TEST(SamplePopulation, DifferentSeedDifferentSample) {
  EXPECT_NE(sample_population(500, 50, 99), sample_population(500, 50, 100));
}

TEST(SamplePopulation, FullDrawIsPermutation) {
  std::vector<std::uint32_t> sample = sample_population(100, 100, 3);
  std::sort(sample.begin(), sample.end());
  for (std::uint32_t k = 0; k < 100; ++k) {
    EXPECT_EQ(sample[k], k);
  }
}

TEST(SamplePopulation, PartialDrawDistinctInRange) {
  std::vector<std::uint32_t> sample = sample_population(50, 20, 11);
  ASSERT_EQ(sample.size(), 20u);
  EXPECT_TRUE(std::all_of(sample.begin(), sample.end(), [](std::uint32_t v) { return v < 50; }));
  std::sort(sample.begin(), sample.end());
  EXPECT_EQ(std::adjacent_find(sample.begin(), sample.end()), sample.end());
}

TEST(SamplePopulation, ZeroCountIsEmpty) {
  EXPECT_TRUE(sample_population(10, 0, 1).empty());
}

TEST(SamplePopulation, CountAboveRecordsThrows) {
  EXPECT_THROW(sample_population(3, 4, 1), InternalError);
}

}  // namespace
}  // namespace privaudit::attacks
