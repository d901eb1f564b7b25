// privaudit_bench: measured performance targets of the engine.
//
//   privaudit_bench generate DIR [--records 100000] [--models 200] [--seed 1]
//       writes DIR/signals.npy (float32 [models, records], N(0, 1) plus 0.5 when IN) and
//       DIR/membership.npy (uint8 [models, records], every record IN exactly models / 2 models).
//   privaudit_bench sgemm [--threads T]
//       single-thread OpenBLAS sgemm GFLOP/s at n = 256, 512, 1024 and the machine rate.
//   privaudit_bench analysis SIGNALS.npy MEMBERSHIP.npy [--targets 10] [--threads T]
//       seconds per analysis stage against one streaming pass over the signals, and peak RSS.
//
// Every subcommand prints one JSON object on stdout.
#include <cblas.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attacks/lira.h"
#include "attacks/rmia.h"
#include "attacks/signal_matrix.h"
#include "core/error.h"
#include "core/npy.h"
#include "core/random.h"
#include "risk/membership_signals.h"
#include "risk/record_risk.h"

namespace {

using privaudit::UsageError;
using Clock = std::chrono::steady_clock;

// Repetitions of each sgemm size; the best one counts, so that a noisy neighbour on the shared
// machine does not lower the peak.
constexpr int kSgemmRepetitions = 5;

// Records per chunk of the streaming pass: two 8 KiB double sums plus one cache line of each row.
constexpr std::size_t kStreamChunk = 1024;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::size_t default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

// Parsed "--name value" options after the positional arguments of a subcommand.
struct Arguments {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;

  std::size_t size_option(const std::string& name, std::size_t fallback) const {
    for (const auto& [key, value] : options) {
      if (key != name) {
        continue;
      }
      std::size_t parsed = 0;
      try {
        parsed = std::stoull(value);
      } catch (const std::exception&) {
        throw UsageError(fmt::format("{} {} is invalid: expected a whole number", name, value));
      }
      return parsed;
    }
    return fallback;
  }
};

Arguments parse_arguments(int argc, char** argv, int first,
                          const std::vector<std::string>& known_options) {
  Arguments arguments;
  for (int k = first; k < argc; ++k) {
    const std::string word = argv[k];
    if (word.rfind("--", 0) != 0) {
      arguments.positional.push_back(word);
      continue;
    }
    if (std::find(known_options.begin(), known_options.end(), word) == known_options.end()) {
      throw UsageError(fmt::format("unknown option {}; expected one of: {}", word,
                                   fmt::join(known_options, ", ")));
    }
    if (k + 1 >= argc) {
      throw UsageError(fmt::format("option {} needs a value", word));
    }
    arguments.options.emplace_back(word, argv[++k]);
  }
  return arguments;
}

// Runs body(begin, end) on `threads` contiguous blocks of [0, count) at once.
template <typename Body>
void run_blocks(std::size_t count, std::size_t threads, const Body& body) {
  threads = std::max<std::size_t>(1, std::min(threads, count));
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) {
    workers.emplace_back(body, count * t / threads, count * (t + 1) / threads);
  }
  body(0, count / threads);
  for (std::thread& worker : workers) {
    worker.join();
  }
}

// Peak resident set of this process in bytes (ru_maxrss is in KiB on Linux).
double peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

// Peak resident set since the last reset_peak_rss(), from VmHWM in /proc/self/status; -1 when
// unavailable.
double vm_hwm_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stod(line.substr(6)) * 1024.0;
    }
  }
  return -1.0;
}

// Resets VmHWM to the current RSS (Linux 4.0 and later); returns false when not permitted.
bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

// ---------------------------------------------------------------------------------------------

int run_generate(const Arguments& arguments) {
  if (arguments.positional.size() != 1) {
    throw UsageError("generate needs one output folder: privaudit_bench generate DIR");
  }
  const std::filesystem::path folder = arguments.positional[0];
  const std::size_t records = arguments.size_option("--records", 100000);
  const std::size_t models = arguments.size_option("--models", 200);
  const std::uint64_t seed = arguments.size_option("--seed", 1);
  if (records == 0 || models < 2) {
    throw UsageError(fmt::format(
        "generate needs --records >= 1 and --models >= 2, got {} and {}", records, models));
  }
  std::filesystem::create_directories(folder);

  // 1. Balanced membership: each record is IN a random half of the models.
  privaudit::Rng rng(seed);
  std::vector<std::uint8_t> keep(models * records, 0);
  std::vector<std::uint32_t> order(models);
  for (std::size_t i = 0; i < records; ++i) {
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    rng.shuffle(std::span<std::uint32_t>(order));
    for (std::size_t k = 0; k < models / 2; ++k) {
      keep[order[k] * records + i] = 1;
    }
  }

  // 2. Signals: standard normal (Box-Muller), shifted by 0.5 when IN.
  std::vector<float> phi(models * records);
  for (std::size_t cell = 0; cell < phi.size(); ++cell) {
    const double u = 1.0 - rng.uniform();  // (0, 1], so log(u) is finite
    const double v = rng.uniform();
    const double normal = std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
    phi[cell] = static_cast<float>(normal + (keep[cell] != 0 ? 0.5 : 0.0));
  }

  const std::vector<std::size_t> shape = {models, records};
  privaudit::write_npy(folder / "signals.npy", privaudit::NpyType::kFloat32, shape,
                       std::span<const float>(phi));
  privaudit::write_npy(folder / "membership.npy", privaudit::NpyType::kUint8, shape,
                       std::span<const std::uint8_t>(keep));
  nlohmann::json out = {{"signals", (folder / "signals.npy").string()},
                        {"membership", (folder / "membership.npy").string()},
                        {"models", models},
                        {"records", records},
                        {"seed", seed}};
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

// ---------------------------------------------------------------------------------------------

// Best GFLOP/s of C = A B for n x n float matrices over kSgemmRepetitions calls.
double sgemm_gflops(std::size_t n) {
  std::vector<float> a(n * n);
  std::vector<float> b(n * n);
  std::vector<float> c(n * n, 0.0f);
  for (std::size_t k = 0; k < a.size(); ++k) {
    a[k] = static_cast<float>(k % 7) * 0.25f - 0.75f;
    b[k] = static_cast<float>(k % 5) * 0.5f - 1.0f;
  }
  const auto size = static_cast<int>(n);
  // One untimed call warms the caches and OpenBLAS's buffers.
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1.0f, a.data(), size,
              b.data(), size, 0.0f, c.data(), size);
  double best = 0.0;
  for (int r = 0; r < kSgemmRepetitions; ++r) {
    const Clock::time_point start = Clock::now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1.0f, a.data(), size,
                b.data(), size, 0.0f, c.data(), size);
    const double elapsed = seconds_since(start);
    best = std::max(best, 2.0 * std::pow(static_cast<double>(n), 3) / elapsed / 1e9);
  }
  return best;
}

int run_sgemm(const Arguments& arguments) {
  const std::size_t threads = arguments.size_option("--threads", default_threads());
  if (threads == 0) {
    throw UsageError("--threads 0 is invalid: expected at least 1");
  }
  openblas_set_num_threads(1);

  // 1. One core at a time.
  nlohmann::json per_size = nlohmann::json::object();
  double per_core_best = 0.0;
  for (const std::size_t n : {256, 512, 1024}) {
    const double rate = sgemm_gflops(n);
    per_size[std::to_string(n)] = rate;
    per_core_best = std::max(per_core_best, rate);
  }

  // 2. T threads at once, each with its own single-threaded sgemm at n = 512.
  std::vector<double> concurrent(threads, 0.0);
  run_blocks(threads, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t t = begin; t < end; ++t) {
      concurrent[t] = sgemm_gflops(512);
    }
  });

  nlohmann::json out = {
      {"threads", threads},
      {"single_thread_gflops", per_size},
      {"per_core_best_gflops", per_core_best},
      {"machine_gflops", per_core_best * static_cast<double>(threads)},
      {"concurrent_n512_gflops_per_thread", concurrent},
      {"concurrent_n512_gflops_total",
       std::accumulate(concurrent.begin(), concurrent.end(), 0.0)},
  };
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

// ---------------------------------------------------------------------------------------------

// Sum of a value per record so that the compiler cannot drop a stage's work.
double checksum(const std::vector<double>& values) {
  double sum = 0.0;
  for (const double v : values) {
    if (std::isfinite(v)) {
      sum += v;
    }
  }
  return sum;
}

int run_analysis(const Arguments& arguments) {
  if (arguments.positional.size() != 2) {
    throw UsageError(
        "analysis needs two files: privaudit_bench analysis SIGNALS.npy MEMBERSHIP.npy");
  }
  const std::size_t targets = arguments.size_option("--targets", 10);
  const std::size_t threads = arguments.size_option("--threads", default_threads());
  if (threads == 0) {
    throw UsageError("--threads 0 is invalid: expected at least 1");
  }

  // 1. Load. read_npy's own peak is reported apart from the analysis peak.
  Clock::time_point start = Clock::now();
  const privaudit::NpyArray phi_array = privaudit::read_npy(arguments.positional[0]);
  const privaudit::NpyArray keep_array = privaudit::read_npy(arguments.positional[1]);
  const double load_s = seconds_since(start);
  if (phi_array.shape.size() != 2 || keep_array.shape != phi_array.shape ||
      phi_array.type != privaudit::NpyType::kFloat32 ||
      keep_array.type != privaudit::NpyType::kUint8) {
    throw privaudit::InputError(
        "analysis needs float32 signals and uint8 membership of the same 2-D shape "
        "[models, records]");
  }
  const std::size_t models = phi_array.shape[0];
  const std::size_t records = phi_array.shape[1];
  if (targets == 0 || targets + 2 > models) {
    throw UsageError(fmt::format(
        "--targets {} is invalid with {} models: expected 1 to models - 2", targets, models));
  }
  const std::span<const float> phi = phi_array.as<float>();
  const std::span<const std::uint8_t> keep = keep_array.as<std::uint8_t>();
  const double load_peak_rss = peak_rss_bytes();
  const bool hwm_reset = reset_peak_rss();

  // 2. (a) Streaming pass: per record IN sum and OUT sum over all models, T record blocks. Each
  // block walks chunks of kStreamChunk records so that the sums stay in L1 across the models.
  std::vector<double> in_sum(records, 0.0);
  std::vector<double> out_sum(records, 0.0);
  start = Clock::now();
  run_blocks(records, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t first = begin; first < end; first += kStreamChunk) {
      const std::size_t last = std::min(end, first + kStreamChunk);
      for (std::size_t m = 0; m < models; ++m) {
        const float* row = phi.data() + m * records;
        const std::uint8_t* flags = keep.data() + m * records;
        for (std::size_t i = first; i < last; ++i) {
          const double value = row[i];
          const bool member = flags[i] != 0;
          in_sum[i] += member ? value : 0.0;
          out_sum[i] += member ? 0.0 : value;
        }
      }
    }
  });
  const double stream_s = seconds_since(start);

  // 3. (b) Record statistics over all models.
  const privaudit::risk::MembershipSignals signals{phi, keep, models, records};
  start = Clock::now();
  const std::vector<privaudit::risk::RecordRisk> risk =
      privaudit::risk::compute_record_risk(signals, {});
  const double record_risk_s = seconds_since(start);
  double risk_checksum = 0.0;
  for (const privaudit::risk::RecordRisk& r : risk) {
    risk_checksum += r.auc_binormal + r.auc_empirical;
  }

  // 4. (c), (d) LiRA: targets 0..T-1 against references T..M-1, one fit shared by all targets
  // (as attacks::evaluate_attacks does). The fit is counted in (c).
  const privaudit::attacks::SignalView view{phi, keep, models, records};
  std::vector<std::uint32_t> references(models - targets);
  std::iota(references.begin(), references.end(), static_cast<std::uint32_t>(targets));
  std::vector<double> scores(records);
  start = Clock::now();
  const privaudit::attacks::LiraFit fit =
      privaudit::attacks::fit_lira(view, references, privaudit::attacks::LiraOptions{});
  const double lira_fit_s = seconds_since(start);
  double lira_checksum = 0.0;
  start = Clock::now();
  for (std::size_t t = 0; t < targets; ++t) {
    privaudit::attacks::score_lira_online(fit, view.model_signals(t), scores);
    lira_checksum += checksum(scores);
  }
  const double lira_online_score_s = seconds_since(start);
  start = Clock::now();
  for (std::size_t t = 0; t < targets; ++t) {
    privaudit::attacks::score_lira_offline(fit, view.model_signals(t), scores);
    lira_checksum += checksum(scores);
  }
  const double lira_offline_score_s = seconds_since(start);

  // 5. (e) RMIA online: one scorer (fit and population) shared by the same targets.
  start = Clock::now();
  privaudit::attacks::RmiaScorer scorer(view, references, privaudit::attacks::RmiaOptions{});
  const double rmia_fit_s = seconds_since(start);
  double rmia_checksum = 0.0;
  start = Clock::now();
  for (std::size_t t = 0; t < targets; ++t) {
    scorer.score_online(view.model_signals(t), scores);
    rmia_checksum += checksum(scores);
  }
  const double rmia_score_s = seconds_since(start);

  // 6. Report.
  const double signals_bytes = static_cast<double>(phi.size_bytes());
  const double analysis_s = record_risk_s + lira_fit_s + lira_online_score_s +
                            lira_offline_score_s + rmia_fit_s + rmia_score_s;
  // Resetting VmHWM also resets ru_maxrss, so the process peak is the larger of the two phases.
  const double process_peak = std::max(load_peak_rss, peak_rss_bytes());
  const double analysis_peak = hwm_reset ? vm_hwm_bytes() : -1.0;
  nlohmann::json out = {
      {"models", models},
      {"records", records},
      {"targets", targets},
      {"stream_threads", threads},
      {"kernel_threads", default_threads()},
      {"load_s", load_s},
      {"stages_s",
       {{"a_stream", stream_s},
        {"b_record_risk", record_risk_s},
        {"c_lira_online", lira_fit_s + lira_online_score_s},
        {"d_lira_offline", lira_offline_score_s},
        {"e_rmia_online", rmia_fit_s + rmia_score_s}}},
      {"detail_s",
       {{"lira_fit", lira_fit_s},
        {"lira_online_scores", lira_online_score_s},
        {"lira_offline_scores", lira_offline_score_s},
        {"rmia_fit_and_population", rmia_fit_s},
        {"rmia_online_scores", rmia_score_s}}},
      {"analysis_s", analysis_s},
      {"analysis_over_stream", analysis_s / stream_s},
      {"signals_bytes", signals_bytes},
      {"peak_rss_bytes", process_peak},
      {"peak_rss_over_signals", process_peak / signals_bytes},
      {"load_peak_rss_bytes", load_peak_rss},
      {"analysis_peak_rss_bytes", analysis_peak},
      {"analysis_peak_rss_over_signals", analysis_peak / signals_bytes},
      {"checksums",
       {{"stream", checksum(in_sum) + checksum(out_sum)},
        {"record_risk", risk_checksum},
        {"lira", lira_checksum},
        {"rmia", rmia_checksum}}},
  };
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

constexpr const char* kUsage =
    "usage: privaudit_bench generate DIR [--records N] [--models M] [--seed S]\n"
    "       privaudit_bench sgemm [--threads T]\n"
    "       privaudit_bench analysis SIGNALS.npy MEMBERSHIP.npy [--targets 10] [--threads T]\n";

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string command = argc >= 2 ? argv[1] : "";
    if (command == "generate") {
      return run_generate(parse_arguments(argc, argv, 2, {"--records", "--models", "--seed"}));
    }
    if (command == "sgemm") {
      return run_sgemm(parse_arguments(argc, argv, 2, {"--threads"}));
    }
    if (command == "analysis") {
      return run_analysis(parse_arguments(argc, argv, 2, {"--targets", "--threads"}));
    }
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  } catch (const UsageError& error) {
    std::fprintf(stderr, "privaudit_bench: %s\n%s", error.what(), kUsage);
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "privaudit_bench: %s\n", error.what());
    return 1;
  }
}
