// privaudit_microbench: Google Benchmark timings of the analysis hot kernels on synthetic data
// drawn with a fixed seed, so that runs compare like with like.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <numeric>
#include <vector>

#include <benchmark/benchmark.h>

#include "attacks/rmia.h"
#include "attacks/signal_matrix.h"
#include "core/random.h"
#include "risk/membership_signals.h"
#include "risk/record_risk.h"
#include "signals/signal.h"

namespace {

// Synthetic phi and keep [models, records]: N(0, 1) signals plus 0.5 when IN, each record IN a
// random half of the models.
struct Synthetic {
  std::size_t models = 0;
  std::size_t records = 0;
  std::vector<float> phi;
  std::vector<std::uint8_t> keep;
};

Synthetic make_synthetic(std::size_t models, std::size_t records, std::uint64_t seed) {
  Synthetic data{models, records, std::vector<float>(models * records),
                 std::vector<std::uint8_t>(models * records, 0)};
  privaudit::Rng rng(seed);
  std::vector<std::uint32_t> order(models);
  for (std::size_t i = 0; i < records; ++i) {
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    rng.shuffle(std::span<std::uint32_t>(order));
    for (std::size_t k = 0; k < models / 2; ++k) {
      data.keep[order[k] * records + i] = 1;
    }
  }
  for (std::size_t cell = 0; cell < data.phi.size(); ++cell) {
    const double u = 1.0 - rng.uniform();
    const double v = rng.uniform();
    const double normal = std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
    data.phi[cell] = static_cast<float>(normal + (data.keep[cell] != 0 ? 0.5 : 0.0));
  }
  return data;
}

// logit_confidence over a block of 4,096 rows of logits with state.range(0) outputs.
void BM_LogitConfidence(benchmark::State& state) {
  const auto outputs = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t kRows = 4096;
  privaudit::Rng rng(7);
  std::vector<float> logits(kRows * outputs);
  for (float& v : logits) {
    v = rng.uniform_float() * 8.0f - 4.0f;
  }
  const std::int32_t classes = outputs == 1 ? 2 : static_cast<std::int32_t>(outputs);
  std::vector<double> phi(kRows);
  for (auto _ : state) {
    for (std::size_t r = 0; r < kRows; ++r) {
      phi[r] = privaudit::signals::logit_confidence(logits.data() + r * outputs, outputs,
                                                    static_cast<std::int32_t>(r) % classes);
    }
    benchmark::DoNotOptimize(phi.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kRows));
}
BENCHMARK(BM_LogitConfidence)->Arg(1)->Arg(2)->Arg(10);

// compute_record_risk on 2,000 records x 64 models.
void BM_RecordRisk(benchmark::State& state) {
  const Synthetic data = make_synthetic(64, 2000, 11);
  const privaudit::risk::MembershipSignals signals{data.phi, data.keep, data.models,
                                                   data.records};
  for (auto _ : state) {
    std::vector<privaudit::risk::RecordRisk> risk =
        privaudit::risk::compute_record_risk(signals, {});
    benchmark::DoNotOptimize(risk.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.records));
}
BENCHMARK(BM_RecordRisk)->Unit(benchmark::kMillisecond);

// RmiaScorer::score_online for one target over 10,000 records with a population of 5,000; the
// scorer (fit and population) is built once outside the timed loop.
void BM_RmiaScoreOnline(benchmark::State& state) {
  const Synthetic data = make_synthetic(17, 10000, 13);
  const privaudit::attacks::SignalView view{data.phi, data.keep, data.models, data.records};
  std::vector<std::uint32_t> references(data.models - 1);
  std::iota(references.begin(), references.end(), std::uint32_t{1});
  privaudit::attacks::RmiaOptions options;
  options.population = 5000;
  privaudit::attacks::RmiaScorer scorer(view, references, options);
  std::vector<double> scores(data.records);
  for (auto _ : state) {
    scorer.score_online(view.model_signals(0), scores);
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.records));
}
BENCHMARK(BM_RmiaScoreOnline)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
