#include "run/plan_stage.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <ctime>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/npy.h"
#include "core/sha256.h"
#include "core/version.h"
#include "media/media_table.h"
#include "data/csv_reader.h"
#include "data/dataset.h"
#include "data/encoder.h"
#include "run/options_json.h"
#include "run/run_layout.h"

namespace privaudit::run {

namespace fs = std::filesystem;

namespace {

// Below this many models a record's AUC rests on few signals per side; the audit still runs but
// warns.
constexpr std::size_t kFewModels = 32;

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

void write_record_list(const fs::path& path, const std::vector<std::uint32_t>& records) {
  std::vector<std::int32_t> values(records.begin(), records.end());
  const std::size_t shape[] = {values.size()};
  write_npy(path, NpyType::kInt32, shape, std::span<const std::int32_t>(values));
}

// Removes a temporary folder on scope exit unless released.
class TempFolder {
 public:
  explicit TempFolder(fs::path path) : path_(std::move(path)) {}
  ~TempFolder() {
    if (!path_.empty()) {
      std::error_code ignored;
      fs::remove_all(path_, ignored);
    }
  }
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

}  // namespace

bool is_planned(const fs::path& dir) { return fs::exists(RunLayout{dir}.run_json()); }

void run_plan_stage(const fs::path& dir, const data::DataOptions& data_options,
                    const plan::PlanOptions& plan_options, const media::MediaOptions& media) {
  // 1. Options and output folder, before any expensive work.
  data_options.validate();
  plan_options.validate();
  media.validate();
  const bool files = media.modality != media::MediaOptions::Modality::kTable;
  if (files != !data_options.media_column.empty()) {
    throw UsageError(files ? "--modality ecg or image needs --path-column, the manifest column "
                             "with each record's file"
                           : "--path-column needs --modality ecg or --modality image");
  }
  const fs::path root =
      files ? media::data_root(media, fs::absolute(data_options.input)) : fs::path();
  std::error_code error;
  if (fs::exists(dir, error) && !fs::is_directory(dir, error)) {
    throw UsageError(fmt::format("run folder '{}' is a file, not a folder; choose a new folder name",
                                 dir.string()));
  }
  if (fs::exists(dir, error) && !fs::is_empty(dir, error)) {
    throw UsageError(fmt::format(
        "run folder '{}' already exists and is not empty; choose a new folder, or continue that "
        "run with `privaudit train {}`",
        dir.string(), dir.string()));
  }
  const fs::path parent = fs::absolute(dir).parent_path();
  if (!fs::is_directory(parent, error)) {
    fs::create_directories(parent, error);
    if (error) {
      throw IoError(fmt::format("cannot create the folder '{}' for run '{}': {}; choose a writable "
                                "location",
                                parent.string(), dir.string(), error.message()));
    }
  }
  const fs::path temp = parent / fmt::format(".{}.tmp-{}", fs::absolute(dir).filename().string(),
                                             ::getpid());
  fs::remove_all(temp, error);
  if (!fs::create_directory(temp, error) || error) {
    throw IoError(fmt::format("cannot create a run folder in '{}': {}; choose a writable location",
                              parent.string(), error ? error.message() : "already exists"));
  }
  TempFolder cleanup(temp);

  // 2. Input table.
  const auto start = std::chrono::steady_clock::now();
  const fs::path input = fs::absolute(data_options.input).lexically_normal();
  const data::CsvTable table = data::read_csv(input);
  const std::string hash = sha256_file(input);
  const data::Dataset dataset = data::load_dataset(table, data_options);
  spdlog::info("read {}: {} records, {} patients, {} classes, {} feature columns",
               data_options.input, dataset.records(), dataset.patients(),
               dataset.class_names.size(), dataset.features.size());
  for (const std::string& warning : dataset.warnings) spdlog::warn("{}", warning);
  if (plan_options.models < kFewModels) {
    spdlog::warn("with {} models each record has about {} IN and {} OUT signals, and each half of the "
                 "tail confirmation half as many; record AUCs and tail counts are noisy below {} models "
                 "(the Nature study used 200)",
                 plan_options.models, plan_options.models / 2, plan_options.models / 2, kFewModels);
  }

  // 3. Plan and encoder, or the manifest's files. The encoder's statistics come from the whole
  //    audit pool, so they are the same for every model and carry no membership signal. Media
  //    preprocessing is per record, so it carries none either.
  const plan::Plan plan = plan::make_plan(dataset.patient_of_record, dataset.patients(), plan_options);
  std::optional<data::Encoder> encoder;
  std::optional<media::MediaTable> media_table;
  std::size_t inputs = 0;
  if (files) {
    media_table = media::load_media(dataset, media, root, 0, nullptr);
    inputs = media_table->record_size();
  } else {
    encoder = data::Encoder::fit(dataset, plan.pool_records, data_options.min_level_count);
    for (const std::string& warning : encoder->warnings()) spdlog::warn("{}", warning);
    inputs = encoder->width();
  }
  spdlog::info("planned {} models over {} pool records ({} patients); {} test records ({} "
               "patients); {} inputs per record",
               plan.models, plan.pool_records.size(), plan.pool_patients.size(),
               plan.test_records.size(), plan.test_patients.size(), inputs);

  // 4. Files, into the temporary folder.
  const RunLayout layout{temp};
  fs::create_directories(temp / "plan");
  write_record_list(layout.pool_records(), plan.pool_records);
  write_record_list(layout.test_records(), plan.test_records);
  const std::size_t membership_shape[] = {plan.models, plan.pool_records.size()};
  write_npy(layout.membership(), NpyType::kUint8, membership_shape,
            std::span<const std::uint8_t>(plan.membership));
  if (encoder) write_file_atomic(layout.encoder_json(), encoder->to_json().dump(2) + "\n");
  nlohmann::json media_json = nullptr;
  if (media_table) {
    const std::size_t media_shape[] = {dataset.records(), media_table->channels,
                                       media_table->height, media_table->width};
    write_npy(layout.media_npy(), NpyType::kFloat32, media_shape,
              std::span<const float>(media_table->values));
    media::MediaOptions recorded_media = media;
    recorded_media.data_root = root.string();
    media_json = recorded_media.to_json();
    media_json["shape"] = {media_table->channels, media_table->height, media_table->width};
  }

  data::DataOptions recorded = data_options;
  recorded.input = input.string();
  nlohmann::json attributes = nlohmann::json::array();
  for (const auto& attribute : dataset.attributes) attributes.push_back(attribute.name);
  const nlohmann::json run = {
      {"tool", "privaudit"},
      {"version", kVersion},
      {"created_utc", utc_now()},
      {"input", {{"path", input.string()}, {"sha256", hash}, {"rows", table.rows()},
                 {"columns", table.header.size()}}},
      {"data", data_options_to_json(recorded)},
      {"plan", plan_options_to_json(plan_options)},
      {"counts",
       {{"records", dataset.records()},
        {"patients", dataset.patients()},
        {"pool_records", plan.pool_records.size()},
        {"pool_patients", plan.pool_patients.size()},
        {"test_records", plan.test_records.size()},
        {"test_patients", plan.test_patients.size()}}},
      {"classes", dataset.class_names},
      {"attributes", attributes},
      {"encoded_inputs", inputs},
      {"media", media_json},
      {"plan_seconds",
       std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
  write_file_atomic(layout.run_json(), run.dump(2) + "\n");

  // 5. Publish the folder in one rename.
  if (fs::exists(dir)) fs::remove(dir, error);
  fs::rename(temp, dir, error);
  if (error) {
    throw IoError(fmt::format("cannot create run folder '{}': {}", dir.string(), error.message()));
  }
  cleanup.release();
}

}  // namespace privaudit::run
