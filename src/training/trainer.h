// Interface between the multi-model runner and a training back end (the OpenBLAS CpuTrainer
// today). Nothing here depends on how a back end computes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "training/train_options.h"

namespace privaudit::training {

// The rows of a feature table that train one model. Non-owning: the table outlives training.
struct TrainingSet {
  const float* features = nullptr;  // [table_rows, width], row-major
  std::size_t width = 0;            // features per record, >= 1
  const std::int32_t* labels = nullptr;  // [table_rows], class index in [0, classes)
  std::size_t classes = 0;               // >= 2; 2 trains one logit, more train a softmax
  std::span<const std::uint32_t> rows;   // rows of the table in this model's training set
  std::size_t table_rows = 0;            // rows in features and labels; every entry of rows < it
  // Multi-label task: [table_rows, classes] multi-hot targets (0 or 1), one sigmoid output per
  // class, and `labels` is ignored. Null: a single-label task. Only the LibTorch back end trains
  // multi-label tasks.
  const float* targets = nullptr;
  // Patient of each table row, [table_rows], any non-negative ids; read only by patient-level
  // DP-SGD, which clips all of a patient's rows as one unit. Null: every row is its own patient.
  const std::int32_t* unit_of_row = nullptr;
};

// A trained model: logits for any records with the training set's feature layout. predict_logits
// is const and safe to call from several threads at once.
class Model {
 public:
  virtual ~Model();

  // Writes out[n, outputs()] for x[n, inputs()].
  virtual void predict_logits(const float* x, std::size_t n, float* out) const = 0;

  // Features per record.
  virtual std::size_t inputs() const = 0;

  // Logits per record: 1 for a binary task, the number of classes otherwise.
  virtual std::size_t outputs() const = 0;

  // Trained parameters, in the back end's layout.
  virtual std::span<const float> parameters() const = 0;
};

struct TrainResult {
  std::unique_ptr<Model> model;
  // Mean training loss of each epoch, [epochs]: the weighted mean over the epoch's records of the
  // loss at the parameters when the record's batch was processed.
  std::vector<double> epoch_loss;
  // Human-readable notes on a model that trained but looks unusable, for the command line to log
  // on stderr. A back end adds "training diverged: ..." when the last epoch's mean loss exceeds
  // kDivergedLossFactor times the chance-level loss ln(classes), the cross-entropy of predicting
  // every class as equally likely.
  std::vector<std::string> warnings;
};

// Multiple of the chance-level loss ln(classes) above which a finite final epoch loss counts as
// diverged. An untrained model typically starts near 1x, so 10x flags runaway training, such as
// --lr 1e6, rather than slow or noisy training.
inline constexpr double kDivergedLossFactor = 10.0;

class Trainer {
 public:
  virtual ~Trainer();

  // Trains one model on `data` with `options`; the same seed gives bit-identical parameters.
  // `stop` may be null; when it is set, training throws privaudit::Interrupted at the next check
  // (between batches). Throws UsageError for invalid options or an inconsistent TrainingSet,
  // InputError for a NaN or infinite feature, a label out of range, or training that diverges
  // (a loss or parameter that becomes NaN or infinite). Training that diverges but stays finite
  // returns the model with a note in TrainResult::warnings.
  virtual TrainResult train(const TrainingSet& data, const TrainOptions& options,
                            std::uint64_t seed, const std::atomic<bool>* stop) = 0;
};

}  // namespace privaudit::training
