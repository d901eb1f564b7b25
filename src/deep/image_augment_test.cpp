#include "deep/image_augment.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "core/random.h"

namespace privaudit::deep {
namespace {

struct Draw {
  std::int64_t dy = 0;
  std::int64_t dx = 0;
  bool flip = false;
};

// The draws augment_images makes for the next image with shift s, read from a copy of rng.
Draw peek_draw(const Rng& rng, std::size_t s) {
  Rng copy = rng;
  Draw draw;
  draw.dy = static_cast<std::int64_t>(copy.below(2 * s + 1)) - static_cast<std::int64_t>(s);
  draw.dx = static_cast<std::int64_t>(copy.below(2 * s + 1)) - static_cast<std::int64_t>(s);
  draw.flip = copy.below(2) == 1;
  return draw;
}

// A generator whose next draws for shift s are `wanted`, found by trying seeds in order.
Rng rng_drawing(const Draw& wanted, std::size_t s) {
  for (std::uint64_t seed = 0;; ++seed) {
    const Rng rng(seed);
    const Draw draw = peek_draw(rng, s);
    if (draw.dy == wanted.dy && draw.dx == wanted.dx && draw.flip == wanted.flip) {
      return rng;
    }
  }
}

const InputShape kShape{2, 3, 4};

// Image [2, 3, 4] with 10 y + x in channel 0 and 100 + 10 y + x in channel 1.
std::vector<float> numbered_image() {
  std::vector<float> image;
  for (int c = 0; c < 2; ++c) {
    for (int y = 0; y < 3; ++y) {
      for (int x = 0; x < 4; ++x) {
        image.push_back(static_cast<float>(100 * c + 10 * y + x));
      }
    }
  }
  return image;
}

// Channel 0 of the expected image, with channel 1 = channel 0 + 100.
std::vector<float> both_channels(const std::vector<float>& channel0) {
  std::vector<float> image = channel0;
  for (const float value : channel0) {
    image.push_back(value + 100);
  }
  return image;
}

TEST(AugmentImages, FlipOnly) {
  Rng rng = rng_drawing({0, 0, true}, 1);
  std::vector<float> image = numbered_image();
  augment_images(image, kShape, 1, rng);
  EXPECT_EQ(image, both_channels({3, 2, 1, 0,  //
                                  13, 12, 11, 10,  //
                                  23, 22, 21, 20}));
}

TEST(AugmentImages, ShiftReflectsBorder) {
  // dy = -1 reads rows reflect(-1, 0, 1) = 1, 0, 1. dx = +1 reads columns 1, 2, 3, reflect(4) = 2.
  Rng rng = rng_drawing({-1, 1, false}, 1);
  std::vector<float> image = numbered_image();
  augment_images(image, kShape, 1, rng);
  EXPECT_EQ(image, both_channels({11, 12, 13, 12,  //
                                  1, 2, 3, 2,  //
                                  11, 12, 13, 12}));
}

TEST(AugmentImages, ShiftThenFlip) {
  // dy = +1 reads rows 1, 2, reflect(3) = 1. The flip with dx = -1 reads columns 2, 1, 0,
  // reflect(-1) = 1.
  Rng rng = rng_drawing({1, -1, true}, 1);
  std::vector<float> image = numbered_image();
  augment_images(image, kShape, 1, rng);
  EXPECT_EQ(image, both_channels({12, 11, 10, 11,  //
                                  22, 21, 20, 21,  //
                                  12, 11, 10, 11}));
}

TEST(AugmentImages, NoShiftNoFlipUnchanged) {
  Rng rng = rng_drawing({0, 0, false}, 2);
  std::vector<float> image = numbered_image();
  augment_images(image, kShape, 2, rng);
  EXPECT_EQ(image, numbered_image());
}

TEST(AugmentImages, BatchDrawsPerImageInOrder) {
  Rng batch_rng(7);
  Rng single_rng(7);
  std::vector<float> batch = numbered_image();
  const std::vector<float> second = numbered_image();
  batch.insert(batch.end(), second.begin(), second.end());
  augment_images(batch, kShape, 2, batch_rng);

  std::vector<float> first_alone = numbered_image();
  std::vector<float> second_alone = numbered_image();
  augment_images(first_alone, kShape, 2, single_rng);
  augment_images(second_alone, kShape, 2, single_rng);
  const std::vector<float> expected_first(batch.begin(), batch.begin() + 24);
  const std::vector<float> expected_second(batch.begin() + 24, batch.end());
  EXPECT_EQ(expected_first, first_alone);
  EXPECT_EQ(expected_second, second_alone);
  EXPECT_EQ(batch_rng.next(), single_rng.next());
}

TEST(AugmentImages, ShiftsCoverRangeAndNoMore) {
  // A single bright pixel at the centre (3, 3) of a 7x7 image lands at (3 - dy, 3 -/+ dx). No
  // reflection reaches it with shift 2, so it must visit exactly the 25 positions of rows and
  // columns 1 to 5.
  const InputShape shape{1, 7, 7};
  Rng rng(11);
  std::set<std::pair<int, int>> positions;
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<float> image(49, 0.0f);
    image[24] = 1.0f;
    augment_images(image, shape, 2, rng);
    int bright = 0;
    for (int i = 0; i < 49; ++i) {
      if (image[static_cast<std::size_t>(i)] == 1.0f) {
        positions.insert({i / 7, i % 7});
        ++bright;
      }
    }
    ASSERT_EQ(bright, 1) << "trial " << trial;
  }
  EXPECT_EQ(positions.size(), 25u);
  EXPECT_EQ(positions.begin()->first, 1);
  EXPECT_EQ(positions.rbegin()->first, 5);
}

TEST(AugmentImages, ZeroShiftOnlyFlips) {
  Rng rng(3);
  const std::vector<float> original = numbered_image();
  const std::vector<float> mirrored =
      both_channels({3, 2, 1, 0, 13, 12, 11, 10, 23, 22, 21, 20});
  int flips = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<float> image = original;
    augment_images(image, kShape, 0, rng);
    ASSERT_TRUE(image == original || image == mirrored) << "trial " << trial;
    flips += image == mirrored ? 1 : 0;
  }
  // Binomial(200, 1/2) falls outside (60, 140) with probability 1.5e-8 (scipy 1.10
  // scipy.stats.binom.cdf), and the seeded generator makes the test deterministic.
  EXPECT_GT(flips, 60);
  EXPECT_LT(flips, 140);
}

}  // namespace
}  // namespace privaudit::deep
