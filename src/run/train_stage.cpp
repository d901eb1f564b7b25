#include "run/train_stage.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/npy.h"
#include "core/progress.h"
#include "core/random.h"
#include "core/version.h"
#include "models/blas_threads.h"
#include "run/model_utility.h"
#include "run/options_json.h"
#include "run/privacy_account.h"
#include "run/run_context.h"
#include "signals/signal.h"
#include "deep/torch_trainer.h"
#include "image/augment.h"
#include "run/trainer_factory.h"
#include "training/cpu_trainer.h"

namespace privaudit::run {

namespace fs = std::filesystem;

namespace {

// Upper bound on --threads that catches typos; one model per thread needs little memory.
constexpr std::size_t kMaxThreads = 1024;

nlohmann::json recipe_to_json(const Recipe& recipe) {
  return {{"model", model_spec_to_json(recipe.model)}, {"train", recipe.train.to_json()}};
}

// Names the first field where two recipe documents differ, as "train.epochs: recorded 20, requested 30".
std::string first_difference(const nlohmann::json& recorded, const nlohmann::json& requested) {
  for (const auto& [section, fields] : recorded.items()) {
    for (const auto& [key, value] : fields.items()) {
      const auto other = requested.at(section).find(key);
      if (other == requested.at(section).end() || *other != value) {
        return fmt::format("{}.{}: recorded {}, requested {}", section, key, value.dump(),
                           other == requested.at(section).end() ? "nothing" : other->dump());
      }
    }
  }
  return "unknown field";
}

// Number of models with a saved .json file (the last file a finished model writes).
std::size_t saved_models(const RunLayout& layout) {
  std::size_t count = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(layout.models_dir(), error)) {
    const std::string name = entry.path().filename().string();
    count += name.rfind("model_", 0) == 0 && entry.path().extension() == ".json";
  }
  return count;
}

void write_recipe(const RunLayout& layout, const Recipe& recipe) {
  recipe.model.validate();
  recipe.train.validate();
  nlohmann::json document = recipe_to_json(recipe);
  document["version"] = kVersion;
  write_file_atomic(layout.train_json(), document.dump(2) + "\n");
}

// Loads or records the recipe of this run.
Recipe resolve_recipe(const RunLayout& layout, const std::optional<Recipe>& requested) {
  if (fs::exists(layout.train_json())) {
    nlohmann::json recorded;
    Recipe recipe;
    try {
      recorded = nlohmann::json::parse(read_file(layout.train_json()));
      recipe.model = model_spec_from_json(recorded.at("model"));
      recipe.train = training::TrainOptions::from_json(recorded.at("train"));
    } catch (const nlohmann::json::exception& error) {
      throw InputError(fmt::format("'{}' is damaged: {}; remove the run folder and start again",
                                   layout.train_json().string(), error.what()));
    }
    if (requested) {
      const nlohmann::json requested_json = recipe_to_json(*requested);
      // Parsed and written again, so fields added since the run was trained compare at their
      // defaults.
      const nlohmann::json stored = recipe_to_json(recipe);
      if (requested_json != stored && saved_models(layout) == 0) {
        // No model was saved under the recorded recipe (its first attempt failed), so it binds nothing.
        spdlog::info("no model was saved with the recipe in '{}'; replacing it ({})",
                     layout.train_json().string(), first_difference(stored, requested_json));
        write_recipe(layout, *requested);
        return *requested;
      }
      if (requested_json != stored) {
        throw UsageError(fmt::format(
            "run '{}' is being trained with a different recipe ({}); models of one audit must "
            "share a recipe: repeat the recorded options, omit them, or use a new run folder",
            layout.dir.string(), first_difference(stored, requested_json)));
      }
    }
    return recipe;
  }
  Recipe recipe = requested.value_or(Recipe{});
  write_recipe(layout, recipe);
  return recipe;
}

// Accounts a DP-SGD recipe, logs its guarantee and records it in train.json under "privacy"
// (null without DP-SGD). Returns the training options the trainer needs.
training::TrainOptions resolve_privacy(const RunLayout& layout, const Recipe& recipe,
                                       const RunContext& context) {
  nlohmann::json recorded = nlohmann::json::parse(read_file(layout.train_json()));
  training::TrainOptions train = recipe.train;
  nlohmann::json privacy = nullptr;
  if (recipe.train.privacy != training::TrainOptions::Privacy::kOff) {
    if (recipe.model.kind != models::ModelSpec::Kind::kLogistic &&
        recipe.model.kind != models::ModelSpec::Kind::kMlp) {
      const std::string kind = models::to_string(recipe.model.kind);
      throw UsageError(fmt::format(
          "DP-SGD supports logistic and mlp models, not {}: choose --model logistic or mlp, or "
          "train the {} without --dp",
          kind, kind));
    }
    const bool per_patient = recipe.train.privacy == training::TrainOptions::Privacy::kPatient;
    const std::size_t units =
        per_patient ? context.plan.pool_patients.size() : context.plan.pool_records.size();
    const PrivacyAccount account = account_privacy(recipe.train, units);
    train = resolved_train_options(recipe.train, account);
    privacy = account.to_json();
    spdlog::info(
        "DP-SGD per {}: sampling rate {:.4g}, {} steps, noise multiplier {:.4g}, clip {}: "
        "epsilon {:.4g} at delta {:.3g}; no attack can exceed membership AUC {:.4f}",
        per_patient ? "patient" : "record", account.sampling_rate, account.steps,
        account.noise_multiplier, account.clip_norm, account.epsilon, account.delta,
        account.auc_bound);
  }
  if (!recorded.contains("privacy") || recorded.at("privacy") != privacy) {
    recorded["privacy"] = privacy;
    write_file_atomic(layout.train_json(), recorded.dump(2) + "\n");
  }
  return train;
}

// True when model m's three files are present and its signals have the expected length.
bool model_complete(const RunLayout& layout, std::size_t model, std::size_t pool) {
  if (!fs::exists(layout.model_json(model)) || !fs::exists(layout.model_signals(model)) ||
      !fs::exists(layout.model_parameters(model))) {
    return false;
  }
  try {
    const NpyArray signals = read_npy(layout.model_signals(model));
    nlohmann::json::parse(read_file(layout.model_json(model))).at("utility");
    return signals.type == NpyType::kFloat32 && signals.shape.size() == 1 &&
           signals.shape[0] == pool;
  } catch (const std::exception&) {
    return false;
  }
}

// Copies the given rows of a row-major matrix [records, width] into a new contiguous matrix.
std::vector<float> gather_rows(const std::vector<float>& matrix, std::size_t width,
                               std::span<const std::uint32_t> rows) {
  std::vector<float> out(rows.size() * width);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::copy_n(matrix.data() + static_cast<std::size_t>(rows[r]) * width, width,
                out.data() + r * width);
  }
  return out;
}

std::vector<std::int32_t> gather_labels(const std::vector<std::int32_t>& labels,
                                        std::span<const std::uint32_t> rows) {
  std::vector<std::int32_t> out(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) out[r] = labels[rows[r]];
  return out;
}

// Shared read-only inputs of every model's training.
struct TrainingInputs {
  const RunContext* context;
  ExecutionOptions execution;
  Recipe recipe;
  training::TrainOptions train;       // recipe.train with the DP-SGD settings resolved
  std::vector<std::int32_t> patient_of_row;  // [table rows], pool patient or -1 outside the pool
  std::vector<float> features;       // [records, width], the whole table encoded
  std::size_t width = 0;
  std::size_t classes = 0;
  std::vector<float> pool_features;  // [pool records, width]
  std::vector<std::int32_t> pool_labels;
  std::vector<float> test_features;  // [test records, width]
  std::vector<std::int32_t> test_labels;
  // Multi-label task: [pool records, classes] and [test records, classes] multi-hot targets.
  std::vector<float> pool_targets;
  std::vector<float> test_targets;
  // Image runs with views > 1: transform of view v >= 1 of pool record j at [j * (views - 1) +
  // v - 1], the same for every model so that signals stay comparable across models.
  std::vector<image::ViewTransform> view_transforms;
};

// The membership signal of pool record j from its logits [outputs].
double record_signal(const TrainingInputs& inputs, const float* logits, std::size_t outputs,
                     std::size_t j) {
  if (!inputs.pool_targets.empty()) {
    return signals::multi_label_confidence(logits, inputs.pool_targets.data() + j * outputs,
                                           outputs);
  }
  return signals::logit_confidence(logits, outputs, inputs.pool_labels[j]);
}

// Adds each pool record's signal under view transforms[.., v] of its image to `sum`, [pool].
void add_view_signals(const TrainingInputs& inputs, const training::Model& model, std::size_t v,
                      std::vector<double>& sum) {
  const RunContext& context = *inputs.context;
  const std::size_t pool = inputs.pool_labels.size();
  const std::size_t views = inputs.recipe.train.views;
  image::Image picture;
  picture.channels = context.media_shape[0];
  picture.height = context.media_shape[1];
  picture.width = context.media_shape[2];
  const std::size_t size = picture.size();
  std::vector<float> batch(pool * size);
  for (std::size_t j = 0; j < pool; ++j) {
    const float* row = inputs.pool_features.data() + j * size;
    picture.values.assign(row, row + size);
    const image::Image view =
        image::apply_view_transform(picture, inputs.view_transforms[j * (views - 1) + v - 1]);
    std::copy(view.values.begin(), view.values.end(), batch.data() + j * size);
  }
  const std::size_t outputs = model.outputs();
  std::vector<float> logits(pool * outputs);
  model.predict_logits(batch.data(), pool, logits.data());
  for (std::size_t j = 0; j < pool; ++j) {
    sum[j] += record_signal(inputs, logits.data() + j * outputs, outputs, j);
  }
}

// Trains model m and writes its files; the .json file is written last and marks completion.
void train_model(const TrainingInputs& inputs, std::size_t model, const std::atomic<bool>* stop) {
  const auto start = std::chrono::steady_clock::now();
  const RunContext& context = *inputs.context;
  const plan::Plan& plan = context.plan;
  const std::uint64_t seed = derive_seed(plan.seed, SeedStream::kModelInit, model);
  const std::vector<std::uint32_t> rows = plan.training_records(model);

  // 1. Train.
  const std::unique_ptr<training::Trainer> trainer =
      make_trainer(inputs.recipe, context, inputs.execution);
  training::TrainingSet set;
  set.features = inputs.features.data();
  set.width = inputs.width;
  set.labels = context.dataset.labels.data();
  set.classes = inputs.classes;
  set.targets = context.dataset.multi_label() ? context.dataset.targets.data() : nullptr;
  set.rows = rows;
  set.table_rows = context.dataset.records();
  set.unit_of_row = inputs.patient_of_row.data();
  const training::TrainResult result = trainer->train(set, inputs.train, seed, stop);
  for (const std::string& warning : result.warnings) spdlog::warn("model {}: {}", model, warning);
  const training::Model& trained = *result.model;
  const std::size_t outputs = trained.outputs();

  // 2. Score the pool and the test split.
  const std::size_t pool = plan.pool_records.size();
  std::vector<float> pool_logits(pool * outputs);
  trained.predict_logits(inputs.pool_features.data(), pool, pool_logits.data());
  std::vector<float> test_logits(plan.test_records.size() * outputs);
  trained.predict_logits(inputs.test_features.data(), plan.test_records.size(), test_logits.data());

  std::vector<float> signals(pool);
  // Image runs: the signal averages the views; view 0, the image itself, is added below.
  const std::size_t views = is_image_run(context) ? inputs.recipe.train.views : 1;
  std::vector<double> view_sum(pool, 0.0);
  for (std::size_t v = 1; v < views; ++v) add_view_signals(inputs, trained, v, view_sum);
  std::vector<float> in_logits;
  std::vector<float> out_logits;
  std::vector<std::int32_t> in_labels;
  std::vector<std::int32_t> out_labels;
  std::vector<float> in_targets;
  std::vector<float> out_targets;
  const std::uint8_t* keep = plan.membership.data() + model * pool;
  for (std::size_t j = 0; j < pool; ++j) {
    const float* row = pool_logits.data() + j * outputs;
    const double phi = record_signal(inputs, row, outputs, j);
    signals[j] = static_cast<float>((view_sum[j] + phi) / static_cast<double>(views));
    auto& logits = keep[j] ? in_logits : out_logits;
    logits.insert(logits.end(), row, row + outputs);
    (keep[j] ? in_labels : out_labels).push_back(inputs.pool_labels[j]);
    if (!inputs.pool_targets.empty()) {
      const float* targets = inputs.pool_targets.data() + j * outputs;
      (keep[j] ? in_targets : out_targets).insert((keep[j] ? in_targets : out_targets).end(),
                                                  targets, targets + outputs);
    }
  }

  // 3. Utility.
  ModelUtility utility;
  if (inputs.pool_targets.empty()) {
    utility.train_loss = mean_cross_entropy(in_logits, outputs, in_labels);
    utility.out_loss = mean_cross_entropy(out_logits, outputs, out_labels);
    utility.test_loss = mean_cross_entropy(test_logits, outputs, inputs.test_labels);
    utility.test_accuracy = accuracy(test_logits, outputs, inputs.test_labels);
    utility.test_auroc = auroc(test_logits, outputs, inputs.classes, inputs.test_labels);
  } else {
    utility.train_loss = multi_label_loss(in_logits, in_targets);
    utility.out_loss = multi_label_loss(out_logits, out_targets);
    utility.test_loss = multi_label_loss(test_logits, inputs.test_targets);
    utility.test_accuracy = multi_label_accuracy(test_logits, inputs.test_targets);
    utility.test_auroc = multi_label_auroc(test_logits, inputs.test_targets, outputs);
  }

  // 4. Files.
  const RunLayout& layout = context.layout;
  const std::size_t signal_shape[] = {pool};
  write_npy(layout.model_signals(model), NpyType::kFloat32, signal_shape,
            std::span<const float>(signals));
  const auto parameters = trained.parameters();
  const std::size_t parameter_shape[] = {parameters.size()};
  write_npy(layout.model_parameters(model), NpyType::kFloat32, parameter_shape, parameters);
  const nlohmann::json document = {
      {"model", model},
      {"seed", seed},
      {"training_records", rows.size()},
      {"parameters", parameters.size()},
      {"epoch_loss", result.epoch_loss},
      {"utility", utility.to_json()},
      {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
  write_file_atomic(layout.model_json(model), document.dump(2) + "\n");
}

// Rethrows a worker's exception with the model index and seed in front of its message, keeping
// the error kind (and so the exit code).
[[noreturn]] void rethrow_for_model(std::exception_ptr error, std::size_t model, std::uint64_t seed) {
  const std::string prefix = fmt::format("model {} (seed {}): ", model, seed);
  try {
    std::rethrow_exception(error);
  } catch (const Interrupted&) {
    throw;
  } catch (const UsageError& e) {
    throw UsageError(prefix + e.what());
  } catch (const InputError& e) {
    throw InputError(prefix + e.what());
  } catch (const IoError& e) {
    throw IoError(prefix + e.what());
  } catch (const std::exception& e) {
    throw InternalError(prefix + e.what());
  }
}

void assemble_signals(const RunLayout& layout, std::size_t models, std::size_t pool) {
  std::vector<float> matrix(models * pool);
  for (std::size_t m = 0; m < models; ++m) {
    const NpyArray row = read_npy(layout.model_signals(m));
    const auto values = row.as<float>();
    if (values.size() != pool) {
      throw InputError(fmt::format("'{}' contains {} signals; expected {}",
                                   layout.model_signals(m).string(), values.size(), pool));
    }
    std::copy(values.begin(), values.end(), matrix.begin() + static_cast<std::ptrdiff_t>(m * pool));
  }
  const std::size_t shape[] = {models, pool};
  write_npy(layout.signals(), NpyType::kFloat32, shape, std::span<const float>(matrix));
}

// True when signals.npy exists and is a float32 matrix [models, pool].
bool signals_complete(const RunLayout& layout, std::size_t models, std::size_t pool) {
  if (!fs::exists(layout.signals())) return false;
  try {
    const NpyArray signals = read_npy(layout.signals());
    return signals.type == NpyType::kFloat32 && signals.shape.size() == 2 && signals.shape[0] == models &&
           signals.shape[1] == pool;
  } catch (const InputError&) {
    return false;
  }
}

}  // namespace

void ExecutionOptions::validate() const {
  if (threads > kMaxThreads) {
    throw UsageError(fmt::format("--threads {} is invalid: expected 0 (all cores) to {}", threads,
                                 kMaxThreads));
  }
  // Checked here, before a plan reads every file, rather than when the first model starts.
  if (device != "cpu") {
    deep::TorchOptions torch;
    torch.device = device;
    torch.validate();
    if (!deep::torch_cuda_available()) {
      throw UsageError(fmt::format(
          "--device {} is not available: the linked LibTorch {} has no CUDA support or sees no "
          "GPU. Use --device cpu, or build privaudit against PyTorch's CUDA LibTorch with cmake "
          "-DCMAKE_PREFIX_PATH=/path/to/libtorch",
          device, deep::torch_version()));
    }
  }
}

std::size_t ExecutionOptions::resolved_threads() const {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

void run_train_stage(const fs::path& dir, const std::optional<Recipe>& recipe,
                     const ExecutionOptions& execution, const std::atomic<bool>* stop) {
  const auto stage_start = std::chrono::steady_clock::now();
  execution.validate();
  if (recipe) {
    recipe->model.validate();
    recipe->train.validate();
  }
  const RunContext context = load_run(dir);
  const RunLayout& layout = context.layout;
  const plan::Plan& plan = context.plan;
  const std::size_t pool = plan.pool_records.size();

  TrainingInputs inputs;
  inputs.context = &context;
  inputs.execution = execution;
  inputs.recipe = resolve_recipe(layout, recipe);
  inputs.train = resolve_privacy(layout, inputs.recipe, context);
  fs::create_directories(layout.models_dir());

  // 1. Which models are still missing.
  std::vector<std::size_t> missing;
  for (std::size_t m = 0; m < plan.models; ++m) {
    if (!model_complete(layout, m, pool)) missing.push_back(m);
  }
  if (missing.empty() && signals_complete(layout, plan.models, pool)) {
    spdlog::info("all {} models of '{}' are already trained", plan.models, dir.string());
    return;
  }
  if (missing.empty()) {
    spdlog::info("all {} models are trained; rebuilding '{}'", plan.models, layout.signals().string());
    assemble_signals(layout, plan.models, pool);
    return;
  }
  if (missing.size() < plan.models) {
    spdlog::info("resuming: {} of {} models already trained, {} to go", plan.models - missing.size(),
                 plan.models, missing.size());
  }

  // 2. Shared inputs: the encoded table and the pool and test rows.
  inputs.features = model_inputs(context, &inputs.width);
  inputs.classes = context.dataset.class_names.size();
  inputs.pool_features = gather_rows(inputs.features, inputs.width, plan.pool_records);
  inputs.pool_labels = gather_labels(context.dataset.labels, plan.pool_records);
  inputs.test_features = gather_rows(inputs.features, inputs.width, plan.test_records);
  inputs.test_labels = gather_labels(context.dataset.labels, plan.test_records);
  if (context.dataset.multi_label()) {
    inputs.pool_targets = gather_rows(context.dataset.targets, inputs.classes, plan.pool_records);
    inputs.test_targets = gather_rows(context.dataset.targets, inputs.classes, plan.test_records);
  }
  if (is_image_run(context) && inputs.recipe.train.views > 1) {
    const std::size_t extra = inputs.recipe.train.views - 1;
    inputs.view_transforms.resize(pool * extra);
    for (std::size_t j = 0; j < pool; ++j) {
      Rng rng(derive_seed(plan.seed, SeedStream::kScoringViews, plan.pool_records[j]));
      for (std::size_t v = 0; v < extra; ++v) {
        inputs.view_transforms[j * extra + v] = image::draw_view_transform(
            rng, static_cast<int>(std::max<std::size_t>(inputs.recipe.train.augment_shift, 1)));
      }
    }
  }
  inputs.patient_of_row.assign(context.dataset.records(), -1);
  for (std::size_t j = 0; j < pool; ++j) {
    inputs.patient_of_row[plan.pool_records[j]] = context.pool_patient_of_record[j];
  }

  // 3. One model per thread; OpenBLAS runs single-threaded inside each, because its own thread
  //    pool competing with ours was several times slower on small matrices.
  models::pin_blas_threads(1);
  const std::size_t threads = std::min(execution.resolved_threads(), std::max<std::size_t>(1, missing.size()));
  spdlog::info("training {} {} model(s) ({} parameters each) on {} thread(s)",
               missing.size(), models::to_string(inputs.recipe.model.kind),
               recipe_parameters(inputs.recipe, context, inputs.width,
                                 context.dataset.multi_label() || inputs.classes != 2
                                     ? inputs.classes
                                     : 1),
               threads);
  Progress progress("train", plan.models, "models", plan.models - missing.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr first_error;
  std::size_t failed_model = 0;
  std::atomic<bool> local_stop{false};

  auto worker = [&] {
    while (true) {
      const std::size_t index = next.fetch_add(1);
      if (index >= missing.size() || failed.load()) return;
      if (stop != nullptr && stop->load()) return;
      const std::size_t model = missing[index];
      try {
        train_model(inputs, model, stop != nullptr ? stop : &local_stop);
        progress.advance();
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) {
          first_error = std::current_exception();
          failed_model = model;
        }
        failed.store(true);
        local_stop.store(true);
        return;
      }
    }
  };
  std::vector<std::thread> pool_threads;
  for (std::size_t t = 0; t < threads; ++t) pool_threads.emplace_back(worker);
  for (auto& thread : pool_threads) thread.join();
  progress.finish();

  // 4. Errors and interruptions: finished models stay on disk for the next attempt.
  std::size_t done = 0;
  for (std::size_t m = 0; m < plan.models; ++m) done += model_complete(layout, m, pool);
  if (first_error) {
    try {
      std::rethrow_exception(first_error);
    } catch (const Interrupted&) {
      throw Interrupted(fmt::format(
          "training interrupted with {} of {} models saved; run `privaudit train {}` to resume",
          done, plan.models, dir.string()));
    } catch (...) {
    }
    rethrow_for_model(first_error, failed_model,
                      derive_seed(plan.seed, SeedStream::kModelInit, failed_model));
  }
  if (stop != nullptr && stop->load()) {
    throw Interrupted(fmt::format(
        "training interrupted with {} of {} models saved; run `privaudit train {}` to resume", done,
        plan.models, dir.string()));
  }

  // 5. All models done: one signals matrix for NumPy users and the analyze stage, and the wall
  //    time of training (summed over resumed attempts) in train.json.
  assemble_signals(layout, plan.models, pool);
  nlohmann::json recorded = nlohmann::json::parse(read_file(layout.train_json()));
  recorded["wall_seconds"] = recorded.value("wall_seconds", 0.0) +
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_start).count();
  write_file_atomic(layout.train_json(), recorded.dump(2) + "\n");
}

}  // namespace privaudit::run
