// Non-owning view of the attack inputs: one signal and one membership bit per (model, record).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace privaudit::attacks {

// The signal matrix phi and the membership matrix keep, both [models, records] in row-major order
// (element (m, i) at m * records + i). phi is the logit-scaled confidence of the true label,
// log(p / (1 - p)); keep[m, i] == 1 when record i was in model m's training set.
// The view does not own the data, which must outlive it.
struct SignalView {
  std::span<const float> phi;          // [models, records], logits (natural log odds)
  std::span<const std::uint8_t> keep;  // [models, records], 0 or 1
  std::size_t models = 0;
  std::size_t records = 0;

  // Signal of record i under model m.
  double signal(std::size_t m, std::size_t i) const { return phi[m * records + i]; }

  // Whether record i was in model m's training set.
  bool member(std::size_t m, std::size_t i) const { return keep[m * records + i] != 0; }

  // Row m of phi: the signals of all records under model m, [records].
  std::span<const float> model_signals(std::size_t m) const {
    return phi.subspan(m * records, records);
  }

  // Row m of keep: model m's membership labels, [records].
  std::span<const std::uint8_t> model_membership(std::size_t m) const {
    return keep.subspan(m * records, records);
  }

  // Throws InputError unless models and records are at least 1 and both spans hold
  // models * records elements. O(1); every attack entry point calls it.
  void validate_shape() const;

  // validate_shape(), then throws InputError unless every keep value is 0 or 1 and every signal
  // is finite. O(models * records).
  void validate() const;
};

// Throws UsageError unless `references` is a non-empty list of distinct model indices below
// view.models. O(models + references).
// Copies the signals and flags of records [first, first + count) for the given reference models into
// record-major tiles: tile_phi[r * references.size() + j] = phi[references[j], first + r], and the
// same for tile_keep. Reading one model row at a time keeps the reads sequential.
void gather_tile(const SignalView& view, std::span<const std::uint32_t> references, std::size_t first,
                 std::size_t count, float* tile_phi, std::uint8_t* tile_keep);

void validate_references(const SignalView& view, std::span<const std::uint32_t> references);

// Throws UsageError unless `target` is a model index below view.models that is not in
// `references` (a model cannot be its own reference).
void validate_target(const SignalView& view, std::size_t target,
                     std::span<const std::uint32_t> references);

}  // namespace privaudit::attacks
