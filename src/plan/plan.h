// The audit plan: which patients are held out for utility, and which models each pool patient
// trains. The design is balanced: every pool patient is IN exactly models/2 models, and all of a
// patient's records follow the patient, so membership never leaks through a patient's other
// records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace privaudit::plan {

struct PlanOptions {
  // Number of models M to train. Even and at least 4, so that every patient is IN for M/2 and OUT
  // for M/2. The Nature study (Knolle et al. 2026) used 200.
  std::size_t models = 64;
  // Fraction of patients held out as the test split, in [0, 0.9]. The test split never enters
  // a training set and only measures utility.
  double test_fraction = 0.15;
  // Base seed of every random choice in the plan and in training.
  std::uint64_t seed = 1;

  void validate() const;
};

struct Plan {
  std::uint64_t seed = 0;
  std::size_t models = 0;
  std::vector<std::uint32_t> pool_patients;  // patient indices, ascending
  std::vector<std::uint32_t> test_patients;  // patient indices, ascending
  std::vector<std::uint32_t> pool_records;   // record indices of pool patients, ascending
  std::vector<std::uint32_t> test_records;   // record indices of test patients, ascending
  // [models, pool_records]: 1 when pool record j is in model m's training set.
  std::vector<std::uint8_t> membership;

  std::size_t pool_size() const { return pool_records.size(); }
  // Rows (record indices into the dataset) that train model m.
  std::vector<std::uint32_t> training_records(std::size_t model) const;
  // Checks the plan's invariants (balance, patient coherence, disjoint splits); throws InputError
  // naming the first violation. Used on plans loaded from disk.
  void validate(std::span<const std::int32_t> patient_of_record) const;
};

// Draws a plan. patient_of_record: [records] patient index in [0, patients). Deterministic in
// options.seed. Throws InputError when the data are too small for the requested design.
Plan make_plan(std::span<const std::int32_t> patient_of_record, std::size_t patients,
               const PlanOptions& options);

}  // namespace privaudit::plan
