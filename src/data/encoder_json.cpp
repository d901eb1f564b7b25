// JSON serialisation of the fitted Encoder. Document layout (version 1):
//   {"format": "privaudit-encoder", "version": 1, "min_level_count": 10,
//    "columns": [
//      {"name": "age", "kind": "numeric", "value_column": true, "mean": 7.4, "sd": 0.6,
//       "missing_column": false},
//      {"name": "region", "kind": "categorical", "levels": ["midwest", "west"],
//       "other_column": true, "missing_column": false}],
//    "output_names": ["age", "region=midwest", "region=west", "region:other"]}
// "mean" and "sd" are present only when "value_column" is true.
#include <cmath>
#include <initializer_list>
#include <string_view>
#include <unordered_set>

#include <fmt/format.h>

#include "core/error.h"
#include "data/encoder.h"
#include "data/quote_text.h"

namespace privaudit::data {

namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "privaudit-encoder";
constexpr int kVersion = 1;
// Characters of an offending JSON value quoted in an error message.
constexpr std::size_t kMaxQuotedValueChars = 80;

// Advice for a document that fails validation. The plan stage writes encoder documents with
// to_json() into the run folder, so a bad one means the folder was edited, truncated or written by
// a different release.
constexpr std::string_view kDamagedAdvice =
    "The run folder is damaged or was written by another privaudit version, so plan a new run.";

// Throws for a field with a wrong value. The empty `field` is the document itself.
[[noreturn]] void fail(std::string_view field, const json& value, std::string_view expected) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > kMaxQuotedValueChars) {
    text = text.substr(0, kMaxQuotedValueChars) + "...";
  }
  const std::string subject = field.empty() ? std::string("encoder document")
                                            : fmt::format("encoder document field '{}'", field);
  throw InputError(
      fmt::format("{} is {}, expected {}. {}", subject, text, expected, kDamagedAdvice));
}

[[noreturn]] void fail_missing(std::string_view field) {
  throw InputError(
      fmt::format("encoder document is missing field '{}'. {}", field, kDamagedAdvice));
}

// Throws unless `object` is an object whose keys are all in `allowed`.
void check_object(const json& object, const std::string& path,
                  std::initializer_list<std::string_view> allowed) {
  if (!object.is_object()) {
    fail(path, object, "an object");
  }
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const std::string_view name : allowed) {
      known = known || key == name;
    }
    if (!known) {
      throw InputError(fmt::format("encoder document has the unknown field {}{}. {}",
                                   quote_text(key),
                                   path.empty() ? "" : fmt::format(" in '{}'", path),
                                   kDamagedAdvice));
    }
  }
}

// Field path of `key` inside the object at `path`. The document itself has the empty path.
std::string field_path(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

const json& member(const json& object, const std::string& path, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) {
    fail_missing(field_path(path, key));
  }
  return *it;
}

bool get_bool(const json& object, const std::string& path, const char* key) {
  const json& value = member(object, path, key);
  if (!value.is_boolean()) {
    fail(field_path(path, key), value, "true or false");
  }
  return value.get<bool>();
}

std::string get_string(const json& value, const std::string& field) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    fail(field, value, "a non-empty string");
  }
  return value.get<std::string>();
}

double get_double(const json& object, const std::string& path, const char* key) {
  const json& value = member(object, path, key);
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    fail(field_path(path, key), value, "a finite number");
  }
  return value.get<double>();
}

EncodedColumn column_from_json(const json& object, const std::string& path) {
  EncodedColumn column;
  if (!object.is_object()) {
    fail(path, object, "an object");
  }
  column.name = get_string(member(object, path, "name"), path + ".name");
  const std::string kind = get_string(member(object, path, "kind"), path + ".kind");

  if (kind == "numeric") {
    column.kind = FeatureKind::numeric;
    column.value_column = get_bool(object, path, "value_column");
    column.missing_column = get_bool(object, path, "missing_column");
    if (column.value_column) {
      check_object(object, path, {"name", "kind", "value_column", "mean", "sd", "missing_column"});
      column.mean = get_double(object, path, "mean");
      column.sd = get_double(object, path, "sd");
      if (column.sd <= 0.0) {
        fail(path + ".sd", object.at("sd"), "a positive number");
      }
    } else {
      check_object(object, path, {"name", "kind", "value_column", "missing_column"});
    }
    return column;
  }

  if (kind != "categorical") {
    fail(path + ".kind", object.at("kind"), "\"numeric\" or \"categorical\"");
  }
  column.kind = FeatureKind::categorical;
  check_object(object, path, {"name", "kind", "levels", "other_column", "missing_column"});
  const json& levels = member(object, path, "levels");
  if (!levels.is_array()) {
    fail(path + ".levels", levels, "an array of strings");
  }
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string field = fmt::format("{}.levels[{}]", path, i);
    column.levels.push_back(get_string(levels[i], field));
    if (i > 0 && !(column.levels[i - 1] < column.levels[i])) {
      fail(field, levels[i], "levels sorted by bytes without repeats");
    }
  }
  column.other_column = get_bool(object, path, "other_column");
  column.missing_column = get_bool(object, path, "missing_column");
  return column;
}

}  // namespace

nlohmann::json Encoder::to_json() const {
  json columns = json::array();
  for (const EncodedColumn& column : columns_) {
    json entry = {{"name", column.name}, {"kind", std::string(to_string(column.kind))}};
    if (column.kind == FeatureKind::numeric) {
      entry["value_column"] = column.value_column;
      if (column.value_column) {
        entry["mean"] = column.mean;
        entry["sd"] = column.sd;
      }
    } else {
      entry["levels"] = column.levels;
      entry["other_column"] = column.other_column;
    }
    entry["missing_column"] = column.missing_column;
    columns.push_back(std::move(entry));
  }
  return json{{"format", std::string(kFormat)},
              {"version", kVersion},
              {"min_level_count", min_level_count_},
              {"columns", std::move(columns)},
              {"output_names", output_names_}};
}

Encoder Encoder::from_json(const nlohmann::json& document) {
  // 1. Envelope.
  check_object(document, "", {"format", "version", "min_level_count", "columns", "output_names"});
  const json& format = member(document, "", "format");
  if (!format.is_string() || format.get_ref<const std::string&>() != kFormat) {
    fail("format", format, fmt::format("\"{}\"", kFormat));
  }
  const json& version = member(document, "", "version");
  if (!version.is_number_integer() || version.get<int64_t>() != kVersion) {
    fail("version", version, fmt::format("{}", kVersion));
  }
  const json& min_level_count = member(document, "", "min_level_count");
  if (!min_level_count.is_number_integer() || min_level_count.get<int64_t>() < 1) {
    fail("min_level_count", min_level_count, "an integer of at least 1");
  }

  // 2. Columns, with unique names.
  const json& columns_json = member(document, "", "columns");
  if (!columns_json.is_array()) {
    fail("columns", columns_json, "an array of column objects");
  }
  std::vector<EncodedColumn> columns;
  std::unordered_set<std::string> names;
  for (std::size_t i = 0; i < columns_json.size(); ++i) {
    const std::string path = fmt::format("columns[{}]", i);
    columns.push_back(column_from_json(columns_json[i], path));
    if (!names.insert(columns.back().name).second) {
      fail(path + ".name", columns_json[i].at("name"), "a name not used by an earlier column");
    }
  }
  Encoder encoder(std::move(columns), min_level_count.get<std::size_t>());

  // 3. The stored output names must match the ones the columns imply.
  const json& output_names = member(document, "", "output_names");
  if (output_names != json(encoder.output_names_)) {
    fail("output_names", output_names,
         fmt::format("the names implied by the columns, {}", json(encoder.output_names_).dump()));
  }
  return encoder;
}

}  // namespace privaudit::data
