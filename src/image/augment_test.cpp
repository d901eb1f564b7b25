#include "image/augment.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "core/error.h"
#include "image/image_testing.h"

namespace privaudit::image {
namespace {

using testing::expect_error;

Image make_image(std::size_t channels, std::size_t height, std::size_t width,
                 std::vector<float> values) {
  Image image;
  image.channels = channels;
  image.height = height;
  image.width = width;
  image.values = std::move(values);
  return image;
}

// 1 2 3
// 4 5 6
// 7 8 9
Image three_by_three() { return make_image(1, 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }

// An RGB image whose values are all distinct, [3, 4, 5].
Image distinct_rgb() {
  std::vector<float> values;
  for (int i = 0; i < 60; ++i) values.push_back(static_cast<float>(i));
  return make_image(3, 4, 5, values);
}

TEST(FlipHorizontal, Mirrors3x3) {
  const Image flipped = flip_horizontal(three_by_three());
  EXPECT_EQ(flipped.values, (std::vector<float>{3, 2, 1, 6, 5, 4, 9, 8, 7}));
}

TEST(FlipHorizontal, TwiceIsIdentity) {
  const Image image = distinct_rgb();
  EXPECT_EQ(flip_horizontal(flip_horizontal(image)).values, image.values);
}

TEST(ShiftReflect, DownOneRow) {
  // numpy.pad(rows, 1, mode="reflect") gives rows 1 0 1 2 1; the crop starts at |d| - d = 0.
  const Image shifted = shift_reflect(three_by_three(), 1, 0);
  EXPECT_EQ(shifted.values, (std::vector<float>{4, 5, 6, 1, 2, 3, 4, 5, 6}));
}

TEST(ShiftReflect, LeftOneColumn) {
  // Columns 1 0 1 2 1 after padding; the crop starts at |d| - d = 2.
  const Image shifted = shift_reflect(three_by_three(), 0, -1);
  EXPECT_EQ(shifted.values, (std::vector<float>{2, 3, 2, 5, 6, 5, 8, 9, 8}));
}

TEST(ShiftReflect, DownTwoRows) {
  // Rows 2 1 0 1 2 1 0 after padding by 2; the crop starts at 0.
  const Image shifted = shift_reflect(three_by_three(), 2, 0);
  EXPECT_EQ(shifted.values, (std::vector<float>{7, 8, 9, 4, 5, 6, 1, 2, 3}));
}

TEST(ShiftReflect, UpAndRight) {
  // Rows reflect(y + 1): 1 2 1; columns reflect(x - 1): 1 0 1.
  const Image shifted = shift_reflect(three_by_three(), -1, 1);
  EXPECT_EQ(shifted.values, (std::vector<float>{5, 4, 5, 8, 7, 8, 5, 4, 5}));
}

TEST(ShiftReflect, ZeroIsIdentity) {
  const Image image = distinct_rgb();
  EXPECT_EQ(shift_reflect(image, 0, 0).values, image.values);
}

TEST(ShiftReflect, LongerThanImageKeepsReflecting) {
  // numpy.pad([0, 1, 2], 5, mode="reflect") = [1 0 1 2 1 0 1 2 1 0 1 2 1] (numpy 1.24); the
  // crop at |d| - d = 0 for d = 5 gives indices 1 0 1.
  const Image row = make_image(1, 1, 3, {10, 20, 30});
  EXPECT_EQ(shift_reflect(row, 0, 5).values, (std::vector<float>{20, 10, 20}));
  // For d = -5 the crop starts at |d| - d = 10: indices 1 2 1.
  EXPECT_EQ(shift_reflect(row, 0, -5).values, (std::vector<float>{20, 30, 20}));
}

TEST(ShiftReflect, SinglePixelAxis) {
  const Image column = make_image(1, 3, 1, {1, 2, 3});
  EXPECT_EQ(shift_reflect(column, 0, 4).values, column.values);
}

TEST(ApplyViewTransform, FlipThenShift) {
  // Flipped: 3 2 1 / 6 5 4 / 9 8 7; shifted by (1, 1): rows 1 0 1, columns 1 0 1.
  const Image view = apply_view_transform(three_by_three(), ViewTransform{true, 1, 1});
  EXPECT_EQ(view.values, (std::vector<float>{5, 6, 5, 2, 3, 2, 5, 6, 5}));
}

TEST(ApplyViewTransform, ChannelsMoveTogether) {
  const Image image = distinct_rgb();
  const Image view = apply_view_transform(image, ViewTransform{true, -1, 2});
  for (std::size_t c = 0; c < 3; ++c) {
    for (std::size_t y = 0; y < 4; ++y) {
      for (std::size_t x = 0; x < 5; ++x) {
        EXPECT_EQ(view.at(c, y, x) - view.at(0, y, x), static_cast<float>(c * 20))
            << "channel " << c << ", row " << y << ", column " << x;
      }
    }
  }
}

TEST(DrawViewTransform, CoversRange) {
  Rng rng(7);
  std::set<int> dys;
  std::set<int> dxs;
  int flips = 0;
  constexpr int kDraws = 2000;
  for (int i = 0; i < kDraws; ++i) {
    const ViewTransform transform = draw_view_transform(rng, 2);
    dys.insert(transform.dy);
    dxs.insert(transform.dx);
    flips += transform.flip ? 1 : 0;
  }
  EXPECT_EQ(dys, (std::set<int>{-2, -1, 0, 1, 2}));
  EXPECT_EQ(dxs, (std::set<int>{-2, -1, 0, 1, 2}));
  // Binomial(2000, 0.5) has SD 22.4; [850, 1150] is more than 6 SD wide on each side.
  EXPECT_GT(flips, 850);
  EXPECT_LT(flips, 1150);
}

TEST(DrawViewTransform, ZeroShiftOnlyFlips) {
  Rng rng(3);
  for (int i = 0; i < 50; ++i) {
    const ViewTransform transform = draw_view_transform(rng, 0);
    EXPECT_EQ(transform.dy, 0);
    EXPECT_EQ(transform.dx, 0);
  }
}

TEST(DrawViewTransform, NegativeShiftIsUsageError) {
  Rng rng(1);
  expect_error<UsageError>([&] { draw_view_transform(rng, -1); }, {"max_shift -1"});
}

TEST(AugmentedViews, ViewZeroIsImage) {
  const Image image = distinct_rgb();
  const std::vector<Image> views = augmented_views(image, 16, 2, 42);
  ASSERT_EQ(views.size(), 16u);
  EXPECT_EQ(views[0].values, image.values);
}

TEST(AugmentedViews, SameSeedSameViews) {
  const Image image = distinct_rgb();
  const std::vector<Image> first = augmented_views(image, 8, 2, 42);
  const std::vector<Image> second = augmented_views(image, 8, 2, 42);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t v = 0; v < first.size(); ++v) EXPECT_EQ(first[v].values, second[v].values) << "view " << v;
}

TEST(AugmentedViews, OtherSeedOtherViews) {
  const Image image = distinct_rgb();
  const std::vector<Image> first = augmented_views(image, 8, 2, 42);
  const std::vector<Image> second = augmented_views(image, 8, 2, 43);
  std::size_t different = 0;
  for (std::size_t v = 1; v < first.size(); ++v) different += first[v].values != second[v].values ? 1 : 0;
  // Each view matches by chance with probability 1/50 (2 flips x 5 dy x 5 dx).
  EXPECT_GE(different, 4u);
}

TEST(AugmentedViews, ViewsFollowDraws) {
  const Image image = distinct_rgb();
  const std::vector<Image> views = augmented_views(image, 6, 3, 99);
  Rng rng(99);
  for (std::size_t v = 1; v < views.size(); ++v) {
    const ViewTransform transform = draw_view_transform(rng, 3);
    EXPECT_EQ(views[v].values, apply_view_transform(image, transform).values) << "view " << v;
  }
}

TEST(AugmentedViews, PrefixIndependentOfCount) {
  const Image image = distinct_rgb();
  const std::vector<Image> few = augmented_views(image, 3, 2, 5);
  const std::vector<Image> many = augmented_views(image, 10, 2, 5);
  for (std::size_t v = 0; v < few.size(); ++v) EXPECT_EQ(few[v].values, many[v].values) << "view " << v;
}

TEST(AugmentedViews, CountOneIsImageOnly) {
  const Image image = three_by_three();
  const std::vector<Image> views = augmented_views(image, 1, 4, 0);
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].values, image.values);
}

TEST(AugmentedViews, InvalidArgumentsAreUsageErrors) {
  const Image image = three_by_three();
  expect_error<UsageError>([&] { augmented_views(image, 0, 2, 1); }, {"count 0"});
  expect_error<UsageError>([&] { augmented_views(image, 4, -3, 1); }, {"max_shift -3"});
  expect_error<UsageError>([&] { augmented_views(make_image(1, 3, 3, {1}), 4, 1, 1); }, {"1 values"});
}

TEST(AugmentBatch, MatchesPerImageTransforms) {
  const Image first = distinct_rgb();
  Image second = distinct_rgb();
  for (float& value : second.values) value = -value;
  std::vector<float> batch = first.values;
  batch.insert(batch.end(), second.values.begin(), second.values.end());

  Rng rng(11);
  augment_batch(batch.data(), 2, 3, 4, 5, 2, rng);

  Rng replay(11);
  const Image expected_first = apply_view_transform(first, draw_view_transform(replay, 2));
  const Image expected_second = apply_view_transform(second, draw_view_transform(replay, 2));
  EXPECT_EQ(std::vector<float>(batch.begin(), batch.begin() + 60), expected_first.values);
  EXPECT_EQ(std::vector<float>(batch.begin() + 60, batch.end()), expected_second.values);
  // The caller's generator advanced by three draws per image.
  EXPECT_EQ(rng.next(), replay.next());
}

TEST(AugmentBatch, SameSeedSameBatch) {
  std::vector<float> a = distinct_rgb().values;
  std::vector<float> b = a;
  Rng rng_a(5);
  Rng rng_b(5);
  augment_batch(a.data(), 1, 3, 4, 5, 3, rng_a);
  augment_batch(b.data(), 1, 3, 4, 5, 3, rng_b);
  EXPECT_EQ(a, b);
}

TEST(AugmentBatch, EmptyBatchDrawsNothing) {
  Rng rng(5);
  Rng untouched(5);
  augment_batch(nullptr, 0, 1, 2, 2, 1, rng);
  EXPECT_EQ(rng.next(), untouched.next());
}

TEST(AugmentBatch, InvalidArgumentsAreUsageErrors) {
  Rng rng(5);
  std::vector<float> batch(4, 0.0f);
  expect_error<UsageError>([&] { augment_batch(batch.data(), 1, 1, 0, 4, 1, rng); }, {"[1, 0, 4]"});
  expect_error<UsageError>([&] { augment_batch(batch.data(), 1, 1, 2, 2, -1, rng); }, {"max_shift -1"});
  expect_error<UsageError>([&] { augment_batch(nullptr, 1, 1, 2, 2, 1, rng); }, {"null"});
}

}  // namespace
}  // namespace privaudit::image
