#include "risk/patient_risk.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::risk {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Patients per tile of joint sums. The tile contains kTilePatients * k doubles.
constexpr std::size_t kTilePatients = 128;

// Records grouped by patient in compressed form: the records of patient p are
// members[offsets[p] .. offsets[p + 1]), in increasing record order.
struct PatientRecords {
  std::vector<std::size_t> offsets;  // [patients + 1]
  std::vector<std::size_t> members;  // [records]
};

PatientRecords group_by_patient(std::span<const std::int32_t> patient_of_record,
                                std::size_t patients) {
  // 1. Count the records of each patient, checking every index.
  PatientRecords groups;
  groups.offsets.assign(patients + 1, 0);
  for (std::size_t i = 0; i < patient_of_record.size(); ++i) {
    const std::int32_t p = patient_of_record[i];
    PRIVAUDIT_CHECK(p >= 0 && static_cast<std::size_t>(p) < patients,
                    fmt::format("record {} belongs to patient index {}, expected an index in [0, {})",
                                i, p, patients));
    ++groups.offsets[static_cast<std::size_t>(p) + 1];
  }
  for (std::size_t p = 0; p < patients; ++p) {
    PRIVAUDIT_CHECK(groups.offsets[p + 1] > 0,
                    fmt::format("patient {} has no records in the membership signals", p));
    groups.offsets[p + 1] += groups.offsets[p];
  }

  // 2. Place each record after the earlier records of its patient.
  groups.members.resize(patient_of_record.size());
  std::vector<std::size_t> next(groups.offsets.begin(), groups.offsets.end() - 1);
  for (std::size_t i = 0; i < patient_of_record.size(); ++i) {
    groups.members[next[static_cast<std::size_t>(patient_of_record[i])]++] = i;
  }
  return groups;
}

const char* membership_name(std::uint8_t keep) { return keep != 0 ? "IN" : "OUT"; }

}  // namespace

std::vector<PatientRisk> compute_patient_risk(const MembershipSignals& signals,
                                              std::span<const std::int32_t> patient_of_record,
                                              std::size_t patients,
                                              std::span<const RecordRisk> records,
                                              std::span<const std::uint32_t> models) {
  // 1. Check the inputs against the view and group the records by patient.
  signals.validate();
  const std::vector<std::uint32_t> model_list = signals.resolve_models(models);
  const std::size_t k = model_list.size();
  const std::size_t n_records = signals.records;
  PRIVAUDIT_CHECK(patient_of_record.size() == n_records,
                  fmt::format("patient_of_record has {} entries, expected one per record ({})",
                              patient_of_record.size(), n_records));
  PRIVAUDIT_CHECK(records.size() == n_records,
                  fmt::format("record risks have {} entries, expected one per record ({})",
                              records.size(), n_records));
  const PatientRecords groups = group_by_patient(patient_of_record, patients);

  // 2. Maximum and mean of the record AUCs, the patient summary of Knolle et al. (2026).
  std::vector<PatientRisk> result(patients);
  for (std::size_t p = 0; p < patients; ++p) {
    PatientRisk& risk = result[p];
    const std::size_t begin = groups.offsets[p];
    const std::size_t end = groups.offsets[p + 1];
    risk.records = static_cast<std::uint32_t>(end - begin);
    bool any_nan = false;
    double max_auc = -std::numeric_limits<double>::infinity();
    double sum_auc = 0.0;
    for (std::size_t r = begin; r < end; ++r) {
      const double auc = records[groups.members[r]].auc_binormal;
      if (std::isnan(auc)) {
        any_nan = true;
        break;
      }
      max_auc = std::max(max_auc, auc);
      sum_auc += auc;
    }
    risk.max_record_auc = any_nan ? kNaN : max_auc;
    risk.mean_record_auc = any_nan ? kNaN : sum_auc / static_cast<double>(risk.records);
  }

  // 3. Joint test, one tile of patients at a time. For each model, S = the sum of the patient's
  // signals, and the patient's label is the shared label of its records.
  std::vector<double> tile_sum(kTilePatients * k);
  std::vector<std::uint8_t> tile_keep(kTilePatients * k);
  std::vector<double> in_values(k);
  std::vector<double> out_values(k);
  for (std::size_t first = 0; first < patients; first += kTilePatients) {
    const std::size_t count = std::min(kTilePatients, patients - first);

    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t m = model_list[j];
      const std::span<const float> phi_row = signals.phi.subspan(m * n_records, n_records);
      const std::span<const std::uint8_t> keep_row = signals.keep.subspan(m * n_records, n_records);
      for (std::size_t t = 0; t < count; ++t) {
        const std::size_t p = first + t;
        const std::size_t lead = groups.members[groups.offsets[p]];
        const std::uint8_t label = keep_row[lead];
        double sum = 0.0;
        for (std::size_t r = groups.offsets[p]; r < groups.offsets[p + 1]; ++r) {
          const std::size_t i = groups.members[r];
          if (keep_row[i] != label) {
            throw InputError(fmt::format(
                "records of patient {} disagree on membership in model {}: record {} is {} but "
                "record {} is {}; expected all records of a patient IN or OUT together. Check that "
                "the patient-id mapping is the one the membership plan was built from, and rebuild "
                "the plan with patient-level sampling if it sampled records",
                p, m, lead, membership_name(label), i, membership_name(keep_row[i])));
          }
          sum += static_cast<double>(phi_row[i]);
        }
        tile_sum[t * k + j] = sum;
        tile_keep[t * k + j] = label;
      }
    }

    for (std::size_t t = 0; t < count; ++t) {
      const std::size_t p = first + t;
      std::size_t n_in = 0;
      std::size_t n_out = 0;
      for (std::size_t j = 0; j < k; ++j) {
        if (tile_keep[t * k + j] != 0) {
          in_values[n_in++] = tile_sum[t * k + j];
        } else {
          out_values[n_out++] = tile_sum[t * k + j];
        }
      }
      const RecordRisk joint = two_sample_risk(std::span<const double>(in_values.data(), n_in),
                                               std::span<const double>(out_values.data(), n_out));

      // The record risks must come from the same model subset, because with shared membership
      // every record of the patient has the patient's IN and OUT counts.
      for (std::size_t r = groups.offsets[p]; r < groups.offsets[p + 1]; ++r) {
        const std::size_t i = groups.members[r];
        PRIVAUDIT_CHECK(records[i].n_in == joint.n_in && records[i].n_out == joint.n_out,
                        fmt::format("record risk {} has n_in = {}, n_out = {}, but its patient {} "
                                    "has n_in = {}, n_out = {} on the given models; compute the "
                                    "record risks on the same model subset",
                                    i, records[i].n_in, records[i].n_out, p, joint.n_in,
                                    joint.n_out));
      }

      PatientRisk& risk = result[p];
      risk.n_in = joint.n_in;
      risk.n_out = joint.n_out;
      risk.joint_mean_in = joint.mean_in;
      risk.joint_sd_in = joint.sd_in;
      risk.joint_mean_out = joint.mean_out;
      risk.joint_sd_out = joint.sd_out;
      risk.joint_auc_binormal = joint.auc_binormal;
      risk.joint_auc_se = joint.auc_se;
      risk.joint_auc_empirical = joint.auc_empirical;
    }
  }
  return result;
}

}  // namespace privaudit::risk
