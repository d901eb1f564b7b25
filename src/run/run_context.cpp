#include "run/run_context.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/npy.h"
#include "core/sha256.h"
#include "data/csv_reader.h"
#include "run/options_json.h"

namespace privaudit::run {

namespace fs = std::filesystem;

namespace {

std::vector<std::uint32_t> read_record_list(const fs::path& path, std::size_t records) {
  const NpyArray array = read_npy(path);
  if (array.type != NpyType::kInt32 || array.shape.size() != 1) {
    throw InputError(fmt::format("'{}' must hold a 1-D int32 array", path.string()));
  }
  std::vector<std::uint32_t> list;
  list.reserve(array.elements());
  for (std::int32_t value : array.as<std::int32_t>()) {
    if (value < 0 || static_cast<std::size_t>(value) >= records) {
      throw InputError(fmt::format("'{}' names record {}, but the input has {} records",
                                   path.string(), value, records));
    }
    list.push_back(static_cast<std::uint32_t>(value));
  }
  if (!std::is_sorted(list.begin(), list.end())) {
    throw InputError(fmt::format("'{}' is not sorted; the run folder is damaged", path.string()));
  }
  return list;
}

}  // namespace

RunContext load_run(const fs::path& dir) {
  RunContext context;
  context.layout.dir = dir;
  if (fs::exists(dir) && !fs::is_directory(dir)) {
    throw UsageError(fmt::format("'{}' is a file, not a run folder; give the folder that `privaudit plan` "
                                 "or `privaudit audit` created",
                                 dir.string()));
  }
  if (fs::is_directory(dir) && !fs::is_empty(dir) && !fs::exists(context.layout.run_json())) {
    throw UsageError(fmt::format("'{}' is not a run folder (it has no run.json); give the folder that "
                                 "`privaudit plan` or `privaudit audit` created",
                                 dir.string()));
  }
  if (!fs::exists(context.layout.run_json())) {
    throw UsageError(fmt::format(
        "'{}' is not a planned run folder (no run.json); create it with `privaudit plan {} "
        "--input FILE --label COLUMN` or run `privaudit audit` instead",
        dir.string(), dir.string()));
  }

  // 1. Options and input identity.
  try {
    context.run_json = nlohmann::json::parse(read_file(context.layout.run_json()));
  } catch (const nlohmann::json::exception& error) {
    throw InputError(fmt::format("'{}' is not valid JSON: {}", context.layout.run_json().string(),
                                 error.what()));
  }
  std::string input;
  std::string recorded_hash;
  try {
    context.data_options = data_options_from_json(context.run_json.at("data"));
    context.plan_options = plan_options_from_json(context.run_json.at("plan"));
    input = context.run_json.at("input").at("path").get<std::string>();
    recorded_hash = context.run_json.at("input").at("sha256").get<std::string>();
  } catch (const nlohmann::json::exception& error) {
    throw InputError(fmt::format("'{}' is damaged ({}); plan a new run",
                                 context.layout.run_json().string(), error.what()));
  }
  if (!fs::exists(input)) {
    throw InputError(fmt::format(
        "the input '{}' recorded in '{}' no longer exists; restore it (SHA-256 {}) to continue "
        "this run",
        input, context.layout.run_json().string(), recorded_hash));
  }
  const std::string hash = sha256_file(input);
  if (hash != recorded_hash) {
    throw InputError(fmt::format(
        "the input '{}' changed since this run was planned (SHA-256 was {}, is now {}); restore "
        "the original file or plan a new run",
        input, recorded_hash, hash));
  }

  // 2. Dataset and encoder, rebuilt exactly as at plan time.
  context.data_options.input = input;
  const data::CsvTable table = data::read_csv(input);
  context.dataset = data::load_dataset(table, context.data_options);
  const nlohmann::json& media = context.run_json.value("media", nlohmann::json());
  if (media.is_object()) {
    // ECG or image audit: the files were read once at plan time.
    context.media = media::MediaOptions::from_json(media);
    const NpyArray values = read_npy(context.layout.media_npy());
    if (values.type != NpyType::kFloat32 || values.shape.size() != 4 ||
        values.shape[0] != context.dataset.records()) {
      throw InputError(fmt::format(
          "'{}' must be a float32 array of shape [{}, channels, height, width]; plan a new run",
          context.layout.media_npy().string(), context.dataset.records()));
    }
    for (std::size_t k = 0; k < 3; ++k) context.media_shape[k] = values.shape[k + 1];
    const auto flat = values.as<float>();
    context.media_values.assign(flat.begin(), flat.end());
  } else {
    try {
      context.encoder = data::Encoder::from_json(
          nlohmann::json::parse(read_file(context.layout.encoder_json())));
    } catch (const nlohmann::json::exception& error) {
      throw InputError(fmt::format("'{}' is not valid JSON: {}",
                                   context.layout.encoder_json().string(), error.what()));
    } catch (const InputError& error) {
      throw InputError(
          fmt::format("'{}': {}", context.layout.encoder_json().string(), error.what()));
    }
  }

  // 3. Plan.
  plan::Plan& plan = context.plan;
  const std::size_t records = context.dataset.records();
  plan.seed = context.plan_options.seed;
  plan.pool_records = read_record_list(context.layout.pool_records(), records);
  plan.test_records = read_record_list(context.layout.test_records(), records);
  const NpyArray membership = read_npy(context.layout.membership());
  if (membership.type != NpyType::kUint8 || membership.shape.size() != 2 ||
      membership.shape[1] != plan.pool_records.size()) {
    throw InputError(fmt::format("'{}' must be a uint8 array of shape [models, {}]",
                                 context.layout.membership().string(), plan.pool_records.size()));
  }
  plan.models = membership.shape[0];
  const auto keep = membership.as<std::uint8_t>();
  plan.membership.assign(keep.begin(), keep.end());
  try {
    plan.validate(context.dataset.patient_of_record);
  } catch (const InputError& error) {
    throw InputError(fmt::format("the plan in '{}' is damaged: {}; plan a new run", dir.string(), error.what()));
  }

  std::vector<std::int32_t> pool_index(context.dataset.patients(), -1);
  for (std::uint32_t record : plan.pool_records) {
    const auto patient = static_cast<std::size_t>(context.dataset.patient_of_record[record]);
    if (pool_index[patient] < 0) {
      pool_index[patient] = 0;
      plan.pool_patients.push_back(static_cast<std::uint32_t>(patient));
    }
  }
  for (std::uint32_t record : plan.test_records) {
    const auto patient = static_cast<std::uint32_t>(context.dataset.patient_of_record[record]);
    if (plan.test_patients.empty() || plan.test_patients.back() != patient) {
      plan.test_patients.push_back(patient);
    }
  }
  std::sort(plan.pool_patients.begin(), plan.pool_patients.end());
  std::sort(plan.test_patients.begin(), plan.test_patients.end());
  plan.test_patients.erase(std::unique(plan.test_patients.begin(), plan.test_patients.end()),
                           plan.test_patients.end());
  for (std::size_t k = 0; k < plan.pool_patients.size(); ++k) {
    pool_index[plan.pool_patients[k]] = static_cast<std::int32_t>(k);
  }
  context.pool_patient_of_record.reserve(plan.pool_records.size());
  for (std::uint32_t record : plan.pool_records) {
    context.pool_patient_of_record.push_back(
        pool_index[static_cast<std::size_t>(context.dataset.patient_of_record[record])]);
  }
  return context;
}

std::vector<float> model_inputs(const RunContext& context, std::size_t* width) {
  if (context.encoder) {
    *width = context.encoder->width();
    return context.encoder->transform(context.dataset);
  }
  *width = context.media_shape[0] * context.media_shape[1] * context.media_shape[2];
  return context.media_values;
}

}  // namespace privaudit::run
