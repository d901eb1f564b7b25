#include "attacks/rmia.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>
#include <numbers>

#include <fmt/format.h>

#include "attacks/population.h"
#include "core/error.h"
#include "core/parallel.h"
#include "stats/roc.h"

namespace privaudit::attacks {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Number of steps of the default grid for a: a = k / kGridSteps, k = 0..kGridSteps.
constexpr int kGridSteps = 20;

// log(sigmoid(x)) without overflow: -log1p(exp(-x)) for x >= 0, x - log1p(exp(x)) below.
double log_sigmoid(double x) {
  if (x >= 0.0) {
    return -std::log1p(std::exp(-x));
  }
  return x - std::log1p(std::exp(x));
}

// log(exp(u) + exp(v)), exact when either is -inf.
double log_add_exp(double u, double v) {
  if (u == kNegInf) {
    return v;
  }
  if (v == kNegInf) {
    return u;
  }
  const double high = std::max(u, v);
  return high + std::log1p(std::exp(-std::abs(u - v)));
}

// Records per tile of fit_rmia(). Each reference row is read 128 floats (8 cache lines) at a time,
// and the transposed tile of 128 x references floats stays in L2 for a few hundred references.
constexpr std::size_t kTileRecords = 128;


// log(sum(exp(values))) of a non-empty buffer.
double log_sum_exp(std::span<const double> values) {
  const double high = *std::max_element(values.begin(), values.end());
  double sum = 0.0;
  for (const double v : values) {
    sum += std::exp(v - high);
  }
  return high + std::log(sum);
}

// Running log-sum-exp of one side over all records plus its count, for the fallback.
struct PooledLogSum {
  double log_sum = kNegInf;
  std::size_t count = 0;

  void add(double record_log_sum, std::size_t record_count) {
    log_sum = log_add_exp(log_sum, record_log_sum);
    count += record_count;
  }
  double log_mean() const {
    return count == 0 ? kNaN : log_sum - std::log(static_cast<double>(count));
  }
};

// Per-record log mean of one side; records without signals get the pooled value afterwards.
void finish_side(const PooledLogSum& pooled, std::vector<double>& log_mean) {
  const double fallback = pooled.log_mean();
  for (double& value : log_mean) {
    if (std::isnan(value)) {
      value = fallback;
    }
  }
}

void check_offline_a(double a) {
  if (!(a >= 0.0 && a <= 1.0)) {
    throw UsageError(fmt::format(
        "RMIA offline coefficient a is {}; expected a value in [0, 1] (0.3 is a common choice, "
        "or tune it with tune_rmia_offline_a)",
        a));
  }
}

// log Pr(x) offline: log(0.5 ((1 + a) exp(log_mean_out) + (1 - a))). log1p(-1) = -inf at a = 1.
double log_offline_prior(double log_mean_out, double a) {
  return -std::numbers::ln2 + log_add_exp(std::log1p(a) + log_mean_out, std::log1p(-a));
}

}  // namespace

std::vector<double> default_offline_a_grid() {
  std::vector<double> grid(kGridSteps + 1);
  for (int k = 0; k <= kGridSteps; ++k) {
    grid[k] = static_cast<double>(k) / kGridSteps;
  }
  return grid;
}

void RmiaOptions::validate() const {
  if (!(std::isfinite(gamma) && gamma >= 1.0)) {
    throw UsageError(fmt::format(
        "--rmia-gamma {} is invalid: expected a finite value >= 1 (default 1)", gamma));
  }
  if (population == 0) {
    throw UsageError(
        "--rmia-population 0 is invalid: expected at least 1 population record (default 5000)");
  }
  if (offline_a_grid.empty()) {
    throw UsageError(
        "RMIA option offline_a_grid is empty; expected at least one value in [0, 1] "
        "(default 0, 0.05, ..., 1)");
  }
  for (const double a : offline_a_grid) {
    if (!(a >= 0.0 && a <= 1.0)) {
      throw UsageError(fmt::format(
          "RMIA option offline_a_grid contains {}; expected values in [0, 1]", a));
    }
  }
  if (tuning_targets == 0) {
    throw UsageError(
        "RMIA option tuning_targets is 0; expected at least 1 reference model to play the "
        "target (default 1)");
  }
}

RmiaFit fit_rmia(const SignalView& view, std::span<const std::uint32_t> references) {
  // 1. Checks.
  view.validate_shape();
  validate_references(view, references);

  // 2. Per-record log-sum-exp of log Pr(x | reference) over the IN and OUT references. Each
  // worker owns a contiguous block of records, transposes one tile of them at a time so that a
  // record's reference signals are contiguous, and writes only those records' slots.
  RmiaFit fit;
  fit.log_mean_in.assign(view.records, kNaN);
  fit.log_mean_out.assign(view.records, kNaN);
  std::vector<double> log_sum_in(view.records, kNaN);  // [records], NaN without IN references
  std::vector<double> log_sum_out(view.records, kNaN);
  std::vector<std::uint32_t> count_in(view.records, 0);  // [records]
  const std::size_t k = references.size();
  for_each_block(view.records, [&](std::size_t begin, std::size_t end) {
    std::vector<float> tile_phi(kTileRecords * k);
    std::vector<std::uint8_t> tile_keep(kTileRecords * k);
    std::vector<double> in_values(k);
    std::vector<double> out_values(k);
    for (std::size_t first = begin; first < end; first += kTileRecords) {
      const std::size_t count = std::min(kTileRecords, end - first);
      gather_tile(view, references, first, count, tile_phi.data(), tile_keep.data());
      for (std::size_t r = 0; r < count; ++r) {
        const std::size_t i = first + r;
        std::size_t n_in = 0;
        std::size_t n_out = 0;
        for (std::size_t j = 0; j < k; ++j) {
          const double value = log_sigmoid(tile_phi[r * k + j]);
          const std::size_t member = tile_keep[r * k + j] != 0 ? 1 : 0;
          in_values[n_in] = value;
          out_values[n_out] = value;
          n_in += member;
          n_out += 1 - member;
        }
        count_in[i] = static_cast<std::uint32_t>(n_in);
        if (n_in > 0) {
          log_sum_in[i] = log_sum_exp(std::span<const double>(in_values.data(), n_in));
          fit.log_mean_in[i] = log_sum_in[i] - std::log(static_cast<double>(n_in));
        }
        if (n_out > 0) {
          log_sum_out[i] = log_sum_exp(std::span<const double>(out_values.data(), n_out));
          fit.log_mean_out[i] = log_sum_out[i] - std::log(static_cast<double>(n_out));
        }
      }
    }
  });

  // The pooled sums run in record order on one thread, so they do not depend on the blocks.
  PooledLogSum pooled_in;
  PooledLogSum pooled_out;
  for (std::size_t i = 0; i < view.records; ++i) {
    if (count_in[i] > 0) {
      pooled_in.add(log_sum_in[i], count_in[i]);
    }
    if (count_in[i] < k) {
      pooled_out.add(log_sum_out[i], k - count_in[i]);
    }
  }

  // 3. Fallback for records without IN or OUT references.
  finish_side(pooled_in, fit.log_mean_in);
  finish_side(pooled_out, fit.log_mean_out);
  fit.in_signals = pooled_in.count;
  fit.out_signals = pooled_out.count;
  return fit;
}

RmiaScorer::RmiaScorer(const SignalView& view, std::span<const std::uint32_t> references,
                       const RmiaOptions& options)
    : records_(view.records), log_gamma_(0.0) {
  options.validate();
  log_gamma_ = std::log(options.gamma);
  fit_ = fit_rmia(view, references);

  const std::size_t size = std::min(options.population, records_ - 1);
  population_ = sample_population(records_, size, options.seed);
  slot_.assign(records_, -1);
  for (std::size_t k = 0; k < population_.size(); ++k) {
    slot_[population_[k]] = static_cast<std::int64_t>(k);
  }
  log_prior_x_.resize(records_);
  log_prior_z_.resize(size);
  log_ratio_z_.resize(size);
  sorted_log_ratio_z_.resize(size);
}

void RmiaScorer::prepare_priors(Mode mode, double a) {
  if (mode == prepared_mode_ && (mode == Mode::kOnline || a == prepared_a_)) {
    return;
  }
  for (std::size_t i = 0; i < records_; ++i) {
    log_prior_x_[i] = mode == Mode::kOnline
                          ? -std::numbers::ln2 + log_add_exp(fit_.log_mean_in[i],
                                                             fit_.log_mean_out[i])
                          : log_offline_prior(fit_.log_mean_out[i], a);
  }
  for (std::size_t k = 0; k < population_.size(); ++k) {
    const double log_mean_out = fit_.log_mean_out[population_[k]];
    log_prior_z_[k] = mode == Mode::kOnline ? log_mean_out : log_offline_prior(log_mean_out, a);
  }
  prepared_mode_ = mode;
  prepared_a_ = a;
}

void RmiaScorer::score_online(std::span<const float> target_signals, std::span<double> scores) {
  if (fit_.in_signals == 0 || fit_.out_signals == 0) {
    throw InputError(fmt::format(
        "online RMIA needs IN and OUT reference signals, but the reference models have {} IN "
        "and {} OUT (model, record) pairs; use more reference models, or offline RMIA when only "
        "OUT references exist",
        fit_.in_signals, fit_.out_signals));
  }
  prepare_priors(Mode::kOnline, 0.0);
  score(target_signals, scores);
}

void RmiaScorer::score_offline(std::span<const float> target_signals, double a,
                               std::span<double> scores) {
  check_offline_a(a);
  if (fit_.out_signals == 0) {
    throw InputError(
        "offline RMIA needs OUT reference signals, but every reference model trained on every "
        "record; use reference models that leave records out");
  }
  prepare_priors(Mode::kOffline, a);
  score(target_signals, scores);
}

void RmiaScorer::score(std::span<const float> target_signals, std::span<double> scores) {
  PRIVAUDIT_CHECK(target_signals.size() == records_ && scores.size() == records_,
                  fmt::format("RMIA scorer has {} records but got {} target signals and {} scores",
                              records_, target_signals.size(), scores.size()));

  // 1. Population log ratios under this target, once in population order (to exclude z == x)
  // and once sorted (for the counts).
  for (std::size_t k = 0; k < population_.size(); ++k) {
    log_ratio_z_[k] = log_sigmoid(target_signals[population_[k]]) - log_prior_z_[k];
  }
  std::copy(log_ratio_z_.begin(), log_ratio_z_.end(), sorted_log_ratio_z_.begin());
  std::sort(sorted_log_ratio_z_.begin(), sorted_log_ratio_z_.end());

  // 2. Per record, count the z with log ratio_z < log ratio_x - log gamma, without x itself.
  // Records are independent, so worker threads take contiguous blocks of them.
  const auto population_size = static_cast<std::int64_t>(population_.size());
  for_each_block(records_, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const double threshold = log_sigmoid(target_signals[i]) - log_prior_x_[i] - log_gamma_;
      std::int64_t below = std::lower_bound(sorted_log_ratio_z_.begin(),
                                            sorted_log_ratio_z_.end(), threshold) -
                           sorted_log_ratio_z_.begin();
      std::int64_t others = population_size;
      if (slot_[i] >= 0) {
        --others;
        if (log_ratio_z_[slot_[i]] < threshold) {
          --below;
        }
      }
      scores[i] = others == 0 ? 0.0 : static_cast<double>(below) / static_cast<double>(others);
    }
  });
}

std::vector<double> rmia_online(const SignalView& view, std::size_t target,
                                std::span<const std::uint32_t> references,
                                const RmiaOptions& options) {
  validate_target(view, target, references);
  RmiaScorer scorer(view, references, options);
  std::vector<double> scores(view.records);
  scorer.score_online(view.model_signals(target), scores);
  return scores;
}

std::vector<double> rmia_offline(const SignalView& view, std::size_t target,
                                 std::span<const std::uint32_t> references,
                                 const RmiaOptions& options, double a) {
  validate_target(view, target, references);
  check_offline_a(a);
  RmiaScorer scorer(view, references, options);
  std::vector<double> scores(view.records);
  scorer.score_offline(view.model_signals(target), a, scores);
  return scores;
}

double tune_rmia_offline_a(const SignalView& view, std::span<const std::uint32_t> references,
                           const RmiaOptions& options) {
  // 1. Checks.
  options.validate();
  validate_references(view, references);
  if (references.size() < 2) {
    throw UsageError(fmt::format(
        "tuning the RMIA offline coefficient a needs at least 2 reference models (one plays the "
        "target), got {}; add reference models or set a by hand",
        references.size()));
  }
  if (options.tuning_targets > references.size()) {
    throw UsageError(fmt::format(
        "RMIA option tuning_targets is {}; expected at most {} (the number of reference models)",
        options.tuning_targets, references.size()));
  }

  // 2. Sum the AUC at each grid value over the pseudo-targets whose row has both classes.
  const std::vector<double>& grid = options.offline_a_grid;
  std::vector<double> auc_sum(grid.size(), 0.0);
  std::size_t usable = 0;
  std::vector<std::uint32_t> others;
  others.reserve(references.size() - 1);
  std::vector<double> scores(view.records);
  for (std::size_t t = 0; t < options.tuning_targets; ++t) {
    const std::uint32_t pseudo_target = references[t];
    const std::span<const std::uint8_t> labels = view.model_membership(pseudo_target);
    const auto members = static_cast<std::size_t>(std::count_if(
        labels.begin(), labels.end(), [](std::uint8_t v) { return v != 0; }));
    if (members == 0 || members == labels.size()) {
      continue;
    }
    others.clear();
    for (const std::uint32_t m : references) {
      if (m != pseudo_target) {
        others.push_back(m);
      }
    }
    RmiaScorer scorer(view, others, options);
    for (std::size_t g = 0; g < grid.size(); ++g) {
      scorer.score_offline(view.model_signals(pseudo_target), grid[g], scores);
      auc_sum[g] += stats::roc_auc(stats::roc_curve(scores, labels));
    }
    ++usable;
  }
  if (usable == 0) {
    throw InputError(fmt::format(
        "cannot tune the RMIA offline coefficient a: none of the first {} reference models has "
        "both member and non-member records; raise tuning_targets or set a by hand",
        options.tuning_targets));
  }

  // 3. The first grid value with the largest mean AUC (the same divisor for every value).
  std::size_t best = 0;
  for (std::size_t g = 1; g < grid.size(); ++g) {
    if (auc_sum[g] > auc_sum[best]) {
      best = g;
    }
  }
  return grid[best];
}

}  // namespace privaudit::attacks
