// Read-only view of the membership-inference inputs that every risk estimate consumes: one signal
// and one IN/OUT flag per (model, record) pair.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace privaudit::risk {

struct MembershipSignals {
  // Logit-scaled confidence of the true label, [models, records] row-major: phi[m * records + i].
  std::span<const float> phi;
  // Training-set membership, [models, records] row-major: 1 when record i's patient was IN model
  // m's training set, 0 when OUT. A balanced plan puts each record IN about half of the models.
  std::span<const std::uint8_t> keep;
  // Number of models (rows), at least 1.
  std::size_t models = 0;
  // Number of audited records (columns). Zero is allowed and gives empty results.
  std::size_t records = 0;

  // Checks the shapes (InternalError: the caller built an inconsistent view), then the content:
  // every phi finite and every keep 0 or 1 (InputError naming the model and record). O(models *
  // records).
  void validate() const;

  // Returns the model indices to use: 0..models-1 when `subset` is empty, otherwise `subset`
  // itself after checking that each index is < models and appears once (InternalError if not).
  std::vector<std::uint32_t> resolve_models(std::span<const std::uint32_t> subset) const;
};

}  // namespace privaudit::risk
