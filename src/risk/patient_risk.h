// Patient-level membership risk: the maximum and mean of a patient's record AUCs (the summary used
// by Knolle, Menten, Jungmann et al., Nature 2026), and a joint test that combines all of the
// patient's records the way an attacker could.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "risk/membership_signals.h"
#include "risk/record_risk.h"

namespace privaudit::risk {

struct PatientRisk {
  std::uint32_t records = 0;  // number of the patient's records in the view
  // Maximum and mean of the records' auc_binormal. Both are NaN when any record's AUC is NaN, which
  // with shared membership happens for all of a patient's records at once.
  double max_record_auc = 0.0;
  double mean_record_auc = 0.0;

  // Joint test on S[m] = sum of phi[m, i] over the patient's records, one value per model. Fields
  // mean the same as the RecordRisk fields of the same name, applied to S.
  std::uint32_t n_in = 0;
  std::uint32_t n_out = 0;
  double joint_mean_in = 0.0;
  double joint_sd_in = 0.0;   // population SD (ddof 0)
  double joint_mean_out = 0.0;
  double joint_sd_out = 0.0;  // population SD (ddof 0)
  double joint_auc_binormal = 0.0;  // not floored at 0.5, NaN when n_in or n_out is 0
  double joint_auc_se = 0.0;        // Hanley-McNeil with A = joint_auc_binormal
  double joint_auc_empirical = 0.0;
};

// Computes the PatientRisk of every patient, [patients].
//   patient_of_record: [records], the patient index in [0, patients) of each record.
//   records: [records], compute_record_risk() of the same view and model subset.
//   models: the model indices to use, all models when empty.
// Throws InputError when a patient's records are not all IN or all OUT of some model, naming the
// patient and the model: sampling records instead of patients leaks membership through the other
// records. Throws InternalError when a patient has no records, when a patient index is out of
// range, or when `records` does not match the view and model subset.
// Runs in O(models * records) time, with O(models) working memory plus a fixed tile of patients.
std::vector<PatientRisk> compute_patient_risk(const MembershipSignals& signals,
                                              std::span<const std::int32_t> patient_of_record,
                                              std::size_t patients,
                                              std::span<const RecordRisk> records,
                                              std::span<const std::uint32_t> models);

}  // namespace privaudit::risk
