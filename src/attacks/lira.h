// Likelihood-ratio attack (LiRA) of Carlini et al. 2022, "Membership Inference Attacks From First
// Principles": each record's reference signals are modelled as Gaussians, one over the reference
// models that trained on it (IN) and one over those that did not (OUT). "The LiRA reference code"
// below is the authors' research/mi_lira_2021/plot.py in the tensorflow/privacy repository.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "attacks/signal_matrix.h"

namespace privaudit::attacks {

struct LiraOptions {
  // Location estimate of a record's IN (resp. OUT) reference signals. The LiRA reference code uses
  // the median, which resists a few outlying reference models.
  enum class Center { kMedian, kMean };

  // Spread estimate. kPerRecord: population SD (ddof 0) of the record's own reference signals.
  // kFixed: one SD for all records, the population SD of all IN (resp. OUT) reference signals of
  // all records pooled, taken about their grand mean without subtracting each record's center.
  // That is np.std(dat_in) of the LiRA reference code's fixed-variance variant; it is steadier
  // with few reference models. Unlike that code, which also uses the IN SD for the OUT
  // distribution in online mode, the OUT SD here comes from the OUT signals.
  enum class Variance { kPerRecord, kFixed };

  Center center = Center::kMedian;           // see Center
  Variance variance = Variance::kPerRecord;  // see Variance
  // Constant added to every SD, in logit units, > 0 and finite. The LiRA reference code adds
  // 1e-30 so that a record whose reference signals are all equal (or a single reference) gets a
  // finite, very sharp Gaussian instead of a division by zero.
  double min_sd = 1e-30;

  // Throws UsageError naming the field, its value and the valid range.
  void validate() const;
};

// Gaussian fit of every record's reference signals. Vectors are [records]. Each record uses all
// of its IN (resp. OUT) references. The LiRA reference code instead truncates every record to the
// smallest count over records, so the two agree only when the membership plan is balanced.
// Fallback for a record without IN (resp. OUT) reference signals: the grand mean of all records'
// IN (resp. OUT) reference signals as center and the kFixed SD (plus min_sd) as SD, regardless of
// the options. When no record has any IN (resp. OUT) reference signal, those vectors contain NaN
// and in_signals (resp. out_signals) is 0.
struct LiraFit {
  std::vector<double> center_in;   // median or mean of the IN reference signals
  std::vector<double> sd_in;       // SD of the IN reference signals, min_sd included
  std::vector<double> center_out;  // median or mean of the OUT reference signals
  std::vector<double> sd_out;      // SD of the OUT reference signals, min_sd included
  std::size_t in_signals = 0;      // number of (reference, record) pairs with keep == 1
  std::size_t out_signals = 0;     // number of (reference, record) pairs with keep == 0
};

// Estimates each record's IN and OUT Gaussian from the given reference models. Validates options
// and references (UsageError).
// O(models * records) reads plus a selection (nth_element) per record for the median, over
// contiguous blocks of records, one per hardware thread.
LiraFit fit_lira(const SignalView& view, std::span<const std::uint32_t> references,
                 const LiraOptions& options);

// Writes the online LiRA score of every record: log N(x; center_in, sd_in^2) -
// log N(x; center_out, sd_out^2) with x = target_signals[i]. Larger means more likely a member.
// Throws InputError when the fit has no IN or no OUT reference signal at all, and InternalError
// on a size mismatch.
void score_lira_online(const LiraFit& fit, std::span<const float> target_signals,
                       std::span<double> scores);

// Writes the offline LiRA score of every record: z = (x - center_out) / sd_out. The one-sided test
// of Carlini et al. 2022 scores Phi(z); z ranks the records identically but does not round to 1
// above z = 8.3, where Phi(z) would tie the most exposed records. Larger means more likely a member.
// Throws InputError when the fit has no OUT reference signal at all.
void score_lira_offline(const LiraFit& fit, std::span<const float> target_signals,
                        std::span<double> scores);

// Online LiRA scores [records] of model `target` against `references`.
std::vector<double> lira_online(const SignalView& view, std::size_t target,
                                std::span<const std::uint32_t> references,
                                const LiraOptions& options);

// Offline LiRA scores [records] (the z statistic, see score_lira_offline) of model `target`,
// using only the OUT signals of `references`.
std::vector<double> lira_offline(const SignalView& view, std::size_t target,
                                 std::span<const std::uint32_t> references,
                                 const LiraOptions& options);

}  // namespace privaudit::attacks
