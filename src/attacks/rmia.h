// Robust membership inference attack (RMIA) of Zarifzadeh, Liu, Shokri 2024, "Low-Cost High-Power
// Membership Inference Attacks": a record x is scored by how often its likelihood ratio
// Pr(x | target) / Pr(x) beats that of population records z.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "attacks/signal_matrix.h"

namespace privaudit::attacks {

// The candidate values of the offline coefficient a: 0, 0.05, ..., 1 (21 values, k / 20).
std::vector<double> default_offline_a_grid();

struct RmiaOptions {
  // Likelihood-ratio threshold: z counts against x when ratio_x / ratio_z > gamma. >= 1 and
  // finite. With 1, every z with a smaller likelihood ratio than x counts.
  double gamma = 1.0;
  // Number of population records z, >= 1. Capped at records - 1; the sample is drawn once from
  // all pool records, so members of the target can be among them.
  std::size_t population = 5000;
  // Seed of the population sample (privaudit::Rng). Derive it from the run seed with
  // derive_seed(base, SeedStream::kRmiaPopulation, 0) so that runs differ only on purpose.
  std::uint64_t seed = 0;
  // Candidates for the offline coefficient a, each in [0, 1]; tune_rmia_offline_a() picks one.
  std::vector<double> offline_a_grid = default_offline_a_grid();
  // Number of reference models that play the target in turn when tuning a (the first ones in the
  // reference list); their AUCs are averaged. >= 1 and at most the number of references.
  std::size_t tuning_targets = 1;

  // Throws UsageError naming the field, its value and the valid range.
  void validate() const;
};

// Log of the mean of Pr(x | reference) = sigmoid(phi) over each record's IN (resp. OUT)
// reference models, [records]. Kept in log space because the mean underflows to 0 in double for
// signals below about -745. Fallback for a record without IN (resp. OUT) reference models: the
// log of the mean over all records' IN (resp. OUT) reference signals. When no record has any,
// the vector contains NaN and the count is 0.
struct RmiaFit {
  std::vector<double> log_mean_in;
  std::vector<double> log_mean_out;
  std::size_t in_signals = 0;   // number of (reference, record) pairs with keep == 1
  std::size_t out_signals = 0;  // number of (reference, record) pairs with keep == 0
};

// Fits RmiaFit on the given reference models. O(models * records) exp/log evaluations.
RmiaFit fit_rmia(const SignalView& view, std::span<const std::uint32_t> references);

// Scores every record of one target model at a time for a fixed reference set and population.
//
// ratio(x) = Pr(x | target) / Pr(x) with Pr(x | target) = sigmoid(phi[target, x]) and
//   online:  Pr(x) = 0.5 (mean_IN(x) + mean_OUT(x)),
//   offline: Pr(x) = 0.5 ((1 + a) mean_OUT(x) + (1 - a)), from Pr_IN ~ a Pr_OUT + (1 - a).
// Population records z use Pr(z) = mean_OUT(z) online, which treats z as a non-member of every
// reference, and the offline formula offline.
// score(x) = #{z in Z, z != x : ratio_x / ratio_z > gamma} / #{z in Z, z != x}, evaluated as
// log ratio_z < log ratio_x - log gamma by binary search over the sorted population ratios;
// 0 when Z contains no record other than x. O(records log |Z|) per target.
// Holds scratch buffers, so one scorer must not be used from two threads at once.
class RmiaScorer {
 public:
  // Validates options and references (UsageError), fits the references and draws the
  // population: min(options.population, records - 1) records with options.seed.
  RmiaScorer(const SignalView& view, std::span<const std::uint32_t> references,
             const RmiaOptions& options);

  // Writes the online scores [records]. target_signals is the target's row of phi.
  // Throws InputError when the references have no IN or no OUT signal at all.
  void score_online(std::span<const float> target_signals, std::span<double> scores);

  // Writes the offline scores [records] for coefficient a in [0, 1] (UsageError otherwise).
  // Throws InputError when the references have no OUT signal at all.
  void score_offline(std::span<const float> target_signals, double a, std::span<double> scores);

  // Population record indices in draw order.
  std::span<const std::uint32_t> population() const { return population_; }

  const RmiaFit& fit() const { return fit_; }

 private:
  enum class Mode { kNone, kOnline, kOffline };

  void prepare_priors(Mode mode, double a);
  void score(std::span<const float> target_signals, std::span<double> scores);

  std::size_t records_;
  double log_gamma_;
  RmiaFit fit_;
  std::vector<std::uint32_t> population_;   // [Z]
  std::vector<std::int64_t> slot_;          // [records], position in population_ or -1
  Mode prepared_mode_ = Mode::kNone;
  double prepared_a_ = 0.0;
  std::vector<double> log_prior_x_;         // [records], log Pr(x)
  std::vector<double> log_prior_z_;         // [Z], log Pr(z)
  std::vector<double> log_ratio_z_;         // [Z], per target, in population order
  std::vector<double> sorted_log_ratio_z_;  // [Z], per target, ascending
};

// RMIA online scores [records] of model `target` against `references`.
std::vector<double> rmia_online(const SignalView& view, std::size_t target,
                                std::span<const std::uint32_t> references,
                                const RmiaOptions& options);

// RMIA offline scores [records] of model `target` with coefficient a, using only the OUT signals
// of `references`.
std::vector<double> rmia_offline(const SignalView& view, std::size_t target,
                                 std::span<const std::uint32_t> references,
                                 const RmiaOptions& options, double a);

// Picks the offline coefficient a from options.offline_a_grid that maximises the ROC AUC of
// offline RMIA when reference models play the target. Each of the first options.tuning_targets
// models in `references` is attacked in turn with all other references as its references, and
// its own membership row labels the records. AUCs are averaged over those pseudo-targets
// (ignoring a pseudo-target whose row lacks members or non-members); ties go to the first grid
// value. Reads only the rows of `references`, never any other model's signals or membership.
// Throws UsageError for fewer than 2 references, InputError when no pseudo-target has both
// classes.
double tune_rmia_offline_a(const SignalView& view, std::span<const std::uint32_t> references,
                           const RmiaOptions& options);

}  // namespace privaudit::attacks
