#include "plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "core/random.h"

namespace privaudit::plan {

namespace {
// Fewer pool patients than this cannot give a model a meaningful training half.
constexpr std::size_t kMinPoolPatients = 4;
// Upper bound on --models that catches typos before the membership matrix is allocated; the
// Nature study used 200 models per configuration.
constexpr std::size_t kMaxModels = 100000;
}  // namespace

void PlanOptions::validate() const {
  if (models < 4 || models % 2 != 0) {
    throw UsageError(fmt::format(
        "--models {} is invalid: the number of models must be even and at least 4, so that every "
        "patient is IN exactly half of them; try --models {}",
        models, std::max<std::size_t>(4, models + models % 2)));
  }
  if (models > kMaxModels) {
    throw UsageError(fmt::format("--models {} is invalid: expected at most {} (the Nature study used 200)",
                                 models, kMaxModels));
  }
  if (!(test_fraction >= 0.0 && test_fraction <= 0.9)) {
    throw UsageError(fmt::format(
        "--test-fraction {} is invalid: expected a fraction of patients in [0, 0.9], such as 0.15",
        test_fraction));
  }
}

std::vector<std::uint32_t> Plan::training_records(std::size_t model) const {
  PRIVAUDIT_CHECK(model < models, "model index out of range");
  std::vector<std::uint32_t> rows;
  const std::uint8_t* keep = membership.data() + model * pool_records.size();
  for (std::size_t j = 0; j < pool_records.size(); ++j) {
    if (keep[j] != 0) rows.push_back(pool_records[j]);
  }
  return rows;
}

void Plan::validate(std::span<const std::int32_t> patient_of_record) const {
  const std::size_t pool = pool_records.size();
  if (models < 4 || models % 2 != 0) {
    throw InputError(fmt::format("plan has {} models; expected an even number >= 4", models));
  }
  if (membership.size() != models * pool) {
    throw InputError(fmt::format("membership matrix has {} entries; expected {} models x {} records",
                                 membership.size(), models, pool));
  }
  for (std::uint32_t record : pool_records) {
    if (record >= patient_of_record.size()) {
      throw InputError(fmt::format("pool record {} does not exist in the table", record));
    }
  }
  for (std::uint32_t record : test_records) {
    if (record >= patient_of_record.size()) {
      throw InputError(fmt::format("test record {} does not exist in the table", record));
    }
  }
  std::vector<std::uint32_t> all = pool_records;
  all.insert(all.end(), test_records.begin(), test_records.end());
  std::sort(all.begin(), all.end());
  if (std::adjacent_find(all.begin(), all.end()) != all.end()) {
    throw InputError("a record is both in the pool and in the test split");
  }
  // Per pool record: IN exactly models/2 times, and the same pattern as its patient's other records.
  std::vector<std::int64_t> first_record_of_patient(patient_of_record.size() + 1, -1);
  for (std::size_t j = 0; j < pool; ++j) {
    std::size_t in_count = 0;
    for (std::size_t m = 0; m < models; ++m) in_count += membership[m * pool + j] != 0;
    if (in_count != models / 2) {
      throw InputError(fmt::format("pool record {} is IN {} of {} models; a balanced plan has {}",
                                   pool_records[j], in_count, models, models / 2));
    }
    const auto patient = static_cast<std::size_t>(patient_of_record[pool_records[j]]);
    std::int64_t& first = first_record_of_patient.at(patient);
    if (first < 0) {
      first = static_cast<std::int64_t>(j);
      continue;
    }
    for (std::size_t m = 0; m < models; ++m) {
      if (membership[m * pool + j] != membership[m * pool + static_cast<std::size_t>(first)]) {
        throw InputError(fmt::format(
            "records {} and {} of one patient differ in membership of model {}", pool_records[j],
            pool_records[static_cast<std::size_t>(first)], m));
      }
    }
  }
}

Plan make_plan(std::span<const std::int32_t> patient_of_record, std::size_t patients,
               const PlanOptions& options) {
  options.validate();

  // 1. Shuffle the patients and hold out the first round(test_fraction * patients) as the test split.
  std::vector<std::uint32_t> order(patients);
  std::iota(order.begin(), order.end(), 0u);
  Rng split_rng(derive_seed(options.seed, SeedStream::kPlanSplit, 0));
  split_rng.shuffle(std::span<std::uint32_t>(order));
  const auto test_count =
      static_cast<std::size_t>(std::llround(options.test_fraction * static_cast<double>(patients)));
  if (patients < test_count + kMinPoolPatients) {
    throw InputError(fmt::format(
        "the table has {} patients; with --test-fraction {} only {} remain in the audit pool, and "
        "at least {} are needed: use more data or a smaller --test-fraction",
        patients, options.test_fraction, patients - std::min(patients, test_count),
        kMinPoolPatients));
  }

  Plan plan;
  plan.seed = options.seed;
  plan.models = options.models;
  plan.test_patients.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(test_count));
  plan.pool_patients.assign(order.begin() + static_cast<std::ptrdiff_t>(test_count), order.end());
  std::sort(plan.test_patients.begin(), plan.test_patients.end());
  std::sort(plan.pool_patients.begin(), plan.pool_patients.end());

  // 2. Records follow their patient.
  std::vector<std::int32_t> pool_position(patients, -1);
  for (std::size_t k = 0; k < plan.pool_patients.size(); ++k) {
    pool_position[plan.pool_patients[k]] = static_cast<std::int32_t>(k);
  }
  for (std::size_t record = 0; record < patient_of_record.size(); ++record) {
    const auto patient = patient_of_record[record];
    PRIVAUDIT_CHECK(patient >= 0 && static_cast<std::size_t>(patient) < patients,
                    "patient index out of range");
    if (pool_position[static_cast<std::size_t>(patient)] >= 0) {
      plan.pool_records.push_back(static_cast<std::uint32_t>(record));
    } else {
      plan.test_records.push_back(static_cast<std::uint32_t>(record));
    }
  }

  // 3. Each pool patient is IN a uniformly random half of the models, drawn from its own stream so
  //    that its membership does not depend on the other patients.
  const std::size_t pool_patient_count = plan.pool_patients.size();
  std::vector<std::uint8_t> patient_keep(options.models * pool_patient_count, 0);
  std::vector<std::uint32_t> model_order(options.models);
  for (std::size_t k = 0; k < pool_patient_count; ++k) {
    std::iota(model_order.begin(), model_order.end(), 0u);
    Rng rng(derive_seed(options.seed, SeedStream::kPlanMembership, plan.pool_patients[k]));
    rng.shuffle(std::span<std::uint32_t>(model_order));
    for (std::size_t r = 0; r < options.models / 2; ++r) {
      patient_keep[model_order[r] * pool_patient_count + k] = 1;
    }
  }
  const std::size_t pool = plan.pool_records.size();
  plan.membership.assign(options.models * pool, 0);
  for (std::size_t j = 0; j < pool; ++j) {
    const auto k = static_cast<std::size_t>(
        pool_position[static_cast<std::size_t>(patient_of_record[plan.pool_records[j]])]);
    for (std::size_t m = 0; m < options.models; ++m) {
      plan.membership[m * pool + j] = patient_keep[m * pool_patient_count + k];
    }
  }
  return plan;
}

}  // namespace privaudit::plan
