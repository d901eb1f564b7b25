#include "attacks/signal_matrix.h"

#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::attacks {

void SignalView::validate_shape() const {
  if (models == 0 || records == 0) {
    throw InputError(fmt::format(
        "signal matrix has shape [{}, {}] (models, records); expected at least one model and one "
        "record; check that the signal files are not empty",
        models, records));
  }
  const std::size_t expected = models * records;
  if (phi.size() != expected || keep.size() != expected) {
    throw InputError(fmt::format(
        "signal matrix [{}, {}] needs {} values, but phi contains {} and keep {}; check that "
        "the signal and membership files come from the same run",
        models, records, expected, phi.size(), keep.size()));
  }
}

void SignalView::validate() const {
  // Content is reported at the first offending (model, record).
  validate_shape();
  const std::size_t expected = models * records;
  for (std::size_t k = 0; k < expected; ++k) {
    if (keep[k] > 1) {
      throw InputError(fmt::format(
          "membership value at model {}, record {} is {}; expected 0 or 1; regenerate the "
          "membership matrix",
          k / records, k % records, keep[k]));
    }
    if (!std::isfinite(phi[k])) {
      throw InputError(fmt::format(
          "signal at model {}, record {} is {}; expected a finite logit; recompute the signals "
          "from logits in double precision",
          k / records, k % records, phi[k]));
    }
  }
}

void validate_references(const SignalView& view, std::span<const std::uint32_t> references) {
  if (references.empty()) {
    throw UsageError("reference model list is empty; pass at least one reference model index");
  }
  std::vector<bool> seen(view.models, false);
  for (const std::uint32_t m : references) {
    if (m >= view.models) {
      throw UsageError(fmt::format(
          "reference model index {} is out of range; expected an index below {} (the number of "
          "models)",
          m, view.models));
    }
    if (seen[m]) {
      throw UsageError(fmt::format(
          "reference model index {} appears twice; pass each reference model once", m));
    }
    seen[m] = true;
  }
}

void validate_target(const SignalView& view, std::size_t target,
                     std::span<const std::uint32_t> references) {
  if (target >= view.models) {
    throw UsageError(fmt::format(
        "target model index {} is out of range; expected an index below {} (the number of models)",
        target, view.models));
  }
  for (const std::uint32_t m : references) {
    if (m == target) {
      throw UsageError(fmt::format(
          "target model {} is also in the reference list; remove it from the references", target));
    }
  }
}

void gather_tile(const SignalView& view, std::span<const std::uint32_t> references, std::size_t first,
                 std::size_t count, float* tile_phi, std::uint8_t* tile_keep) {
  const std::size_t k = references.size();
  for (std::size_t j = 0; j < k; ++j) {
    const std::size_t row = static_cast<std::size_t>(references[j]) * view.records + first;
    for (std::size_t r = 0; r < count; ++r) {
      tile_phi[r * k + j] = view.phi[row + r];
      tile_keep[r * k + j] = view.keep[row + r];
    }
  }
}

}  // namespace privaudit::attacks
