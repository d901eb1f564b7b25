// Random flips and shifts of training images, computed on the host so that CPU and CUDA training
// see the same augmented pixels for a given seed.
#pragma once

#include <cstddef>
#include <span>

#include "core/random.h"
#include "deep/conv_spec.h"

namespace privaudit::deep {

// Augments images[n, channels, height, width] (row-major, n = images.size() / shape.size()) in
// place. For each image in order, draws a row shift dy and a column shift dx, each uniform in
// [-max_shift, max_shift] (rng.below(2 * max_shift + 1) - max_shift), then a horizontal flip
// with probability 1/2 (rng.below(2) == 1), and writes
//   out[c, y, x] = in[c, reflect(y + dy), reflect(x' + dx)],  x' = flip ? width - 1 - x : x
// where reflect mirrors an index across the border without repeating the edge pixel (-1 -> 1,
// as torch's reflection padding). This is a crop of the reflection-padded image followed by
// the flip. Requires max_shift < height and max_shift < width; max_shift = 0 leaves the images
// unchanged but still draws the flips.
void augment_images(std::span<float> images, const InputShape& shape, std::size_t max_shift,
                    Rng& rng);

}  // namespace privaudit::deep
