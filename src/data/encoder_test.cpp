#include "data/encoder.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "data/test_files.h"

namespace privaudit::data {
namespace {

using nlohmann::json;
using testing::expect_error;

using Numbers = std::vector<std::optional<double>>;
using Texts = std::vector<std::optional<std::string>>;

// A dataset with the given feature columns. Labels and patients are filler.
Dataset make_dataset(std::vector<FeatureColumn> features) {
  Dataset dataset;
  const std::size_t records = features.front().kind == FeatureKind::numeric
                                  ? features.front().numeric_values.size()
                                  : features.front().categorical_values.size();
  dataset.input_path = "test.csv";
  dataset.class_names = {"0", "1"};
  for (std::size_t r = 0; r < records; ++r) {
    dataset.labels.push_back(static_cast<int32_t>(r % 2));
    dataset.patient_of_record.push_back(static_cast<int32_t>(r));
    dataset.patient_ids.push_back(fmt::format("p{}", r));
    dataset.record_line.push_back(r + 2);
  }
  dataset.features = std::move(features);
  return dataset;
}

FeatureColumn numeric(std::string name, Numbers values) {
  FeatureColumn column;
  column.name = std::move(name);
  column.kind = FeatureKind::numeric;
  column.numeric_values = std::move(values);
  return column;
}

FeatureColumn categorical(std::string name, Texts values) {
  FeatureColumn column;
  column.name = std::move(name);
  column.kind = FeatureKind::categorical;
  column.categorical_values = std::move(values);
  return column;
}

std::vector<uint32_t> first_records(uint32_t count) {
  std::vector<uint32_t> records(count);
  std::iota(records.begin(), records.end(), 0u);
  return records;
}

// numpy 1.24.2: np.mean([1, 2, 4, 8]) and np.std([1, 2, 4, 8]) (population SD).
constexpr double kMean = 3.75;
constexpr double kSd = 2.680951323690902;

TEST(Encoder, NumericStandardised) {
  const Dataset dataset = make_dataset({numeric("x", {1.0, 2.0, 4.0, 8.0, std::nullopt, 100.0})});
  // Record 5 is outside the pool, so its value 100 does not enter the mean.
  const Encoder encoder = Encoder::fit(dataset, first_records(5), 1);
  ASSERT_EQ(encoder.columns().size(), 1u);
  const EncodedColumn& column = encoder.columns()[0];
  EXPECT_TRUE(column.value_column);
  EXPECT_TRUE(column.missing_column);
  EXPECT_DOUBLE_EQ(column.mean, kMean);
  EXPECT_DOUBLE_EQ(column.sd, kSd);
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"x", "x:missing"}));
  ASSERT_EQ(encoder.width(), 2u);

  const std::vector<float> matrix = encoder.transform(dataset);
  ASSERT_EQ(matrix.size(), 6u * 2u);
  // numpy 1.24.2: np.float32((v - 3.75) / 2.680951323690902) for v = 1, 8, 100.
  EXPECT_FLOAT_EQ(matrix[0 * 2 + 0], -1.0257553f);
  EXPECT_FLOAT_EQ(matrix[3 * 2 + 0], 1.5852581f);
  EXPECT_FLOAT_EQ(matrix[5 * 2 + 0], 35.901436f);
  EXPECT_EQ(matrix[0 * 2 + 1], 0.0f);
  // A missing value becomes the mean (0) and sets the indicator.
  EXPECT_EQ(matrix[4 * 2 + 0], 0.0f);
  EXPECT_EQ(matrix[4 * 2 + 1], 1.0f);
}

TEST(Encoder, NoIndicatorWithoutMissingInPool) {
  const Dataset dataset = make_dataset({numeric("x", {1.0, 2.0, 4.0, 8.0, std::nullopt})});
  const Encoder encoder = Encoder::fit(dataset, first_records(4), 1);
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"x"}));
  const std::vector<float> matrix = encoder.transform(dataset);
  ASSERT_EQ(matrix.size(), 5u);
  EXPECT_EQ(matrix[4], 0.0f);
}

TEST(Encoder, ConstantNumericDropsValueColumn) {
  const Dataset dataset =
      make_dataset({numeric("x", {5.0, 5.0, std::nullopt, 5.0}), numeric("y", {0.1, 0.1, 0.1, 0.1}),
                    numeric("z", {1.0, 2.0, 3.0, 4.0})});
  const Encoder encoder = Encoder::fit(dataset, first_records(4), 1);
  // x keeps only its missing indicator, y is dropped and z is kept.
  EXPECT_FALSE(encoder.columns()[0].value_column);
  EXPECT_TRUE(encoder.columns()[0].missing_column);
  EXPECT_EQ(encoder.columns()[1].width(), 0u);
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"x:missing", "z"}));
  const std::vector<float> matrix = encoder.transform(dataset);
  EXPECT_EQ(matrix[2 * 2 + 0], 1.0f);
  EXPECT_EQ(matrix[1 * 2 + 0], 0.0f);
}

TEST(Encoder, FewNumericValuesDropped) {
  const Dataset dataset = make_dataset({numeric("x", {1.0, 2.0, std::nullopt, std::nullopt}),
                                        categorical("c", {"a", "a", "a", "b"})});
  // Two values in the pool, fewer than min_level_count 3: their mean and SD are not stored.
  const Encoder encoder = Encoder::fit(dataset, first_records(4), 3);
  EXPECT_FALSE(encoder.columns()[0].value_column);
  EXPECT_TRUE(encoder.columns()[0].missing_column);
  EXPECT_FALSE(encoder.to_json()["columns"][0].contains("mean"));
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"x:missing", "c=a", "c:other"}));
  ASSERT_EQ(encoder.warnings().size(), 1u);
  EXPECT_EQ(encoder.warnings()[0],
            "feature encoder for 'test.csv': the values of column 'x' were dropped because the "
            "audit pool has only 2 non-missing values, fewer than --min-level-count 3. Lower "
            "--min-level-count to 2 or less to keep it.");
  // With min_level_count 2 the two values suffice.
  const Encoder kept = Encoder::fit(dataset, first_records(4), 2);
  EXPECT_TRUE(kept.columns()[0].value_column);
  EXPECT_TRUE(kept.warnings().empty());
}

TEST(Encoder, MinLevelCountDropWarns) {
  const Dataset dataset =
      make_dataset({numeric("x", {1.0, 2.0, 3.0, 4.0}), categorical("c", {"a", "b", "a", "b"}),
                    numeric("z", {1.0, 2.0, std::nullopt, std::nullopt})});
  // min_level_count 3: x has 4 values and stays. c has two levels of 2 records each, which all
  // fall into "other", so c is dropped. z has 2 values and keeps only its missing indicator.
  const Encoder encoder = Encoder::fit(dataset, first_records(4), 3);
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"x", "z:missing"}));
  ASSERT_EQ(encoder.warnings().size(), 2u);
  EXPECT_EQ(encoder.warnings()[0],
            "feature encoder for 'test.csv': column 'c' was dropped because none of its 2 "
            "distinct values occurs at least --min-level-count 3 times in the audit pool (the "
            "most frequent occurs 2 times). Lower --min-level-count to 2 or less to keep it.");
  EXPECT_NE(encoder.warnings()[1].find("the values of column 'z' were dropped"),
            std::string::npos)
      << encoder.warnings()[1];
}

TEST(Encoder, ConstantColumnsDoNotWarn) {
  const Dataset dataset =
      make_dataset({numeric("x", {5.0, 5.0, 5.0}), numeric("missing", Numbers(3, std::nullopt)),
                    categorical("c", {"a", "a", "a"}), numeric("z", {1.0, 2.0, 3.0})});
  // min_level_count 1 keeps z. The others are constant whatever the count.
  EXPECT_TRUE(Encoder::fit(dataset, first_records(3), 1).warnings().empty());
}

TEST(Encoder, AllMissingNumericDropped) {
  const Dataset dataset = make_dataset(
      {numeric("x", {std::nullopt, std::nullopt, 3.0}), numeric("z", {1.0, 2.0, 3.0})});
  const Encoder encoder = Encoder::fit(dataset, first_records(2), 1);
  EXPECT_EQ(encoder.columns()[0].width(), 0u);
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"z"}));
}

TEST(Encoder, CategoricalLevelsAndOther) {
  const Dataset dataset =
      make_dataset({categorical("c", {"b", "a", "a", "rare", "b", "a", std::nullopt, "unseen"})});
  // Pool: records 0-6. Counts a 3, b 2, rare 1, missing 1.
  const Encoder encoder = Encoder::fit(dataset, first_records(7), 2);
  EXPECT_EQ(encoder.columns()[0].levels, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(encoder.output_names(),
            (std::vector<std::string>{"c=a", "c=b", "c:other", "c:missing"}));
  const std::vector<float> matrix = encoder.transform(dataset);
  const auto row = [&](std::size_t r) {
    return std::vector<float>(matrix.begin() + static_cast<std::ptrdiff_t>(r * 4),
                              matrix.begin() + static_cast<std::ptrdiff_t>(r * 4 + 4));
  };
  EXPECT_EQ(row(0), (std::vector<float>{0, 1, 0, 0}));
  EXPECT_EQ(row(1), (std::vector<float>{1, 0, 0, 0}));
  EXPECT_EQ(row(3), (std::vector<float>{0, 0, 1, 0}));  // pooled rare level
  EXPECT_EQ(row(6), (std::vector<float>{0, 0, 0, 1}));  // missing
  EXPECT_EQ(row(7), (std::vector<float>{0, 0, 1, 0}));  // level not seen in the pool
}

TEST(Encoder, CategoricalWithoutRareLevels) {
  const Dataset dataset = make_dataset({categorical("c", {"b", "a", "a", "b", "unseen"})});
  const Encoder encoder = Encoder::fit(dataset, first_records(4), 2);
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"c=a", "c=b"}));
  const std::vector<float> matrix = encoder.transform(dataset);
  // Without an "other" column an unseen level encodes as all zeros.
  EXPECT_EQ(matrix[4 * 2 + 0], 0.0f);
  EXPECT_EQ(matrix[4 * 2 + 1], 0.0f);
}

TEST(Encoder, CategoricalAllRare) {
  const Dataset dataset = make_dataset({categorical("c", {"a", "b", std::nullopt, "c"})});
  const Encoder encoder = Encoder::fit(dataset, first_records(4), 10);
  EXPECT_TRUE(encoder.columns()[0].levels.empty());
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"c:other", "c:missing"}));
}

TEST(Encoder, ConstantCategoricalDropped) {
  const Dataset dataset =
      make_dataset({categorical("c", {"a", "a", "a", "b"}), categorical("d", {"x", "y", "z", "w"}),
                    numeric("z", {1.0, 2.0, 3.0, 4.0})});
  // In the pool (records 0-2) c has one level. With min_level_count 2, d has only rare levels.
  const Encoder encoder = Encoder::fit(dataset, first_records(3), 2);
  EXPECT_EQ(encoder.columns()[0].width(), 0u);
  EXPECT_EQ(encoder.columns()[1].width(), 0u);
  EXPECT_EQ(encoder.output_names(), (std::vector<std::string>{"z"}));
}

// A dataset with awkward decimals, so that summation order would show in the last bits.
Dataset awkward_dataset(std::size_t records) {
  Numbers x;
  Texts c;
  for (std::size_t r = 0; r < records; ++r) {
    x.push_back(r % 7 == 0 ? std::nullopt
                           : std::optional<double>(0.1 * static_cast<double>(r) + 1e8 / (r + 1)));
    c.push_back(fmt::format("level{}", r % 13));
  }
  return make_dataset({numeric("x", x), categorical("c", c)});
}

TEST(Encoder, OrderIndependent) {
  const Dataset dataset = awkward_dataset(1000);
  std::vector<uint32_t> records = first_records(1000);
  const Encoder sorted = Encoder::fit(dataset, records, 10);
  std::reverse(records.begin(), records.end());
  const Encoder reversed = Encoder::fit(dataset, records, 10);
  std::mt19937 generator(20261204);
  std::shuffle(records.begin(), records.end(), generator);
  const Encoder shuffled = Encoder::fit(dataset, records, 10);

  EXPECT_EQ(sorted.columns()[0].mean, reversed.columns()[0].mean);
  EXPECT_EQ(sorted.columns()[0].sd, reversed.columns()[0].sd);
  EXPECT_EQ(sorted.columns()[0].mean, shuffled.columns()[0].mean);
  EXPECT_EQ(sorted.columns()[0].sd, shuffled.columns()[0].sd);
  EXPECT_EQ(sorted.to_json().dump(), shuffled.to_json().dump());
  EXPECT_EQ(sorted.transform(dataset), shuffled.transform(dataset));
}

TEST(Encoder, OrderIndependentCancellation) {
  // Compensated summation alone depends on order here: 1e100, 1, 2^-53, 2^-53, -1e100 sums to 1,
  // but 2^-53, 2^-53, 1, 1e100, -1e100 sums to the exact 1 + 2^-52.
  const double tiny = std::ldexp(1.0, -53);
  const Dataset dataset = make_dataset({numeric("x", {1e100, 1.0, tiny, tiny, -1e100})});
  const std::vector<uint32_t> order_a = {0, 1, 2, 3, 4};
  const std::vector<uint32_t> order_b = {2, 3, 1, 0, 4};
  const Encoder a = Encoder::fit(dataset, order_a, 1);
  const Encoder b = Encoder::fit(dataset, order_b, 1);
  EXPECT_EQ(a.columns()[0].mean, b.columns()[0].mean);
  EXPECT_EQ(a.columns()[0].mean, (1.0 + std::ldexp(1.0, -52)) / 5.0);
  EXPECT_EQ(a.columns()[0].sd, b.columns()[0].sd);
}

TEST(Encoder, FitUsesPoolOnly) {
  Dataset dataset = awkward_dataset(100);
  const Encoder before = Encoder::fit(dataset, first_records(90), 5);
  dataset.features[0].numeric_values[95] = 1e12;
  dataset.features[1].categorical_values[95] = "outside";
  const Encoder after = Encoder::fit(dataset, first_records(90), 5);
  EXPECT_EQ(before.to_json().dump(), after.to_json().dump());
}

TEST(Encoder, JsonHoldsNoRareOrOutsideValues) {
  Texts c;
  for (int r = 0; r < 20; ++r) {
    c.push_back(r % 2 == 0 ? "common" : "other_common");
  }
  c[3] = "rare_secret";
  c[19] = "outside_secret";
  const Dataset dataset = make_dataset({categorical("c", c)});
  const Encoder encoder = Encoder::fit(dataset, first_records(19), 5);
  const std::string text = encoder.to_json().dump();
  EXPECT_EQ(text.find("rare_secret"), std::string::npos) << text;
  EXPECT_EQ(text.find("outside_secret"), std::string::npos) << text;
  EXPECT_NE(text.find("\"common\""), std::string::npos) << text;
}

TEST(Encoder, JsonRoundTrip) {
  Dataset dataset = awkward_dataset(500);
  dataset.features.push_back(numeric("constant", Numbers(500, 2.0)));
  const Encoder encoder = Encoder::fit(dataset, first_records(400), 10);
  const json document = encoder.to_json();
  const Encoder restored = Encoder::from_json(json::parse(document.dump()));
  EXPECT_EQ(restored.to_json(), document);
  EXPECT_EQ(restored.output_names(), encoder.output_names());
  EXPECT_EQ(restored.min_level_count(), 10u);
  EXPECT_EQ(restored.columns()[0].mean, encoder.columns()[0].mean);
  EXPECT_EQ(restored.columns()[0].sd, encoder.columns()[0].sd);
  EXPECT_EQ(restored.transform(dataset), encoder.transform(dataset));
}

// A valid document to break field by field.
json valid_document() {
  const Dataset dataset =
      make_dataset({numeric("x", {1.0, 2.0, std::nullopt}), categorical("c", {"a", "b", "a"})});
  return Encoder::fit(dataset, first_records(3), 1).to_json();
}

TEST(EncoderJson, RejectsMalformed) {
  struct Case {
    const char* description;
    json document;
    std::vector<std::string_view> fragments;
  };
  std::vector<Case> cases;
  cases.push_back({"not an object", json::array(), {"encoder document is [], expected an object"}});

  {
    json d = valid_document();
    d["format"] = "other";
    cases.push_back({"format", d, {"'format' is \"other\"", "privaudit-encoder"}});
  }

  {
    json d = valid_document();
    d["version"] = 2;
    cases.push_back({"version", d, {"'version' is 2", "expected 1"}});
  }

  {
    json d = valid_document();
    d["min_level_count"] = 0;
    cases.push_back({"min_level_count", d, {"'min_level_count' is 0"}});
  }

  {
    json d = valid_document();
    d.erase("columns");
    cases.push_back({"missing columns", d, {"encoder document is missing field 'columns'"}});
  }

  {
    json d = valid_document();
    d["extra"] = 1;
    cases.push_back({"unknown top-level field", d, {"unknown field 'extra'."}});
  }

  {
    json d = valid_document();
    d["columns"][0]["sd"] = -1.0;
    cases.push_back({"negative sd", d, {"'columns[0].sd' is -1.0", "positive"}});
  }

  {
    json d = valid_document();
    d["columns"][0]["mean"] = "3";
    cases.push_back({"string mean", d, {"'columns[0].mean'", "a finite number"}});
  }

  {
    json d = valid_document();
    d["columns"][0]["value_column"] = false;
    cases.push_back({"mean without value column", d, {"unknown field 'mean' in 'columns[0]'"}});
  }

  {
    json d = valid_document();
    d["columns"][0]["kind"] = "text";
    cases.push_back({"kind", d, {"'columns[0].kind' is \"text\""}});
  }

  {
    json d = valid_document();
    d["columns"][1]["levels"] = {"b", "a"};
    cases.push_back({"unsorted levels", d, {"'columns[1].levels[1]' is \"a\"", "sorted"}});
  }

  {
    json d = valid_document();
    d["columns"][1]["levels"] = {"a", ""};
    cases.push_back({"empty level", d, {"'columns[1].levels[1]'", "non-empty string"}});
  }

  {
    json d = valid_document();
    d["columns"][1]["name"] = "x";
    cases.push_back({"duplicate name", d, {"'columns[1].name' is \"x\"", "earlier column"}});
  }

  {
    json d = valid_document();
    d["columns"][1].erase("missing_column");
    cases.push_back({"missing flag", d, {"missing field 'columns[1].missing_column'"}});
  }

  {
    json d = valid_document();
    d["output_names"][0] = "renamed";
    cases.push_back({"output names", d, {"'output_names'", "implied by the columns"}});
  }

  for (const Case& c : cases) {
    SCOPED_TRACE(c.description);
    try {
      Encoder::from_json(c.document);
      ADD_FAILURE() << "did not throw";
    } catch (const InputError& error) {
      const std::string message = error.what();
      for (const std::string_view fragment : c.fragments) {
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
      }
      // The user can act on the message without knowing the code.
      EXPECT_NE(message.find("plan a new run"), std::string::npos) << message;
      EXPECT_EQ(message.find("to_json"), std::string::npos) << message;
    }
  }
  EXPECT_NO_THROW(Encoder::from_json(valid_document()));
}

TEST(Encoder, TransformChecksColumns) {
  const Dataset fitted = make_dataset({numeric("x", {1.0, 2.0}), categorical("c", {"a", "b"})});
  const Encoder encoder = Encoder::fit(fitted, first_records(2), 1);
  expect_error<InputError>(
      [&] {
        encoder.transform(make_dataset({numeric("x", {1.0, 2.0})}));
      },
      {"'test.csv'", "no feature column 'c'"});
  expect_error<InputError>(
      [&] {
        encoder.transform(make_dataset({numeric("x", {1.0}), numeric("c", {1.0})}));
      },
      {"feature column 'c'", "is numeric", "as categorical"});
  expect_error<InputError>(
      [&] {
        encoder.transform(
            make_dataset({numeric("x", {1.0}), categorical("c", {"a"}), numeric("extra", {1.0})}));
      },
      {"has 3 feature columns", "fitted on 2"});
}

TEST(Encoder, FitErrors) {
  const Dataset dataset = make_dataset({numeric("x", {1.0, 2.0, 3.0})});
  expect_error<InputError>([&] { Encoder::fit(dataset, {}, 1); },
                           {"'test.csv'", "audit pool has no records"});
  expect_error<UsageError>([&] { Encoder::fit(dataset, first_records(3), 0); },
                           {"--min-level-count is 0"});
  const std::vector<uint32_t> out_of_range = {0, 3};
  expect_error<InternalError>([&] { Encoder::fit(dataset, out_of_range, 1); },
                              {"fit record 3 is out of range for 3 records"});
  const std::vector<uint32_t> repeated = {1, 1};
  expect_error<InternalError>([&] { Encoder::fit(dataset, repeated, 1); },
                              {"fit record 1 is listed twice"});
  const std::vector<uint32_t> constant = {0};
  expect_error<InputError>([&] { Encoder::fit(dataset, constant, 1); },
                           {"every feature column of 'test.csv' is constant", "1 records"});
}

TEST(Encoder, EmptyEncodingNamesMinLevelCount) {
  const Dataset dataset = make_dataset({numeric("x", {1.0, 2.0, 3.0})});
  try {
    Encoder::fit(dataset, first_records(3), 10);
    ADD_FAILURE() << "did not throw";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("no feature column of 'test.csv' is left for the audit pool of 3 "
                           "records"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("Column 'x' was dropped because the audit pool has only 3 non-missing "
                           "values, fewer than --min-level-count 10."),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("Lower --min-level-count from 10 to 3 or less"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("constant"), std::string::npos) << message;
  }
}

TEST(Encoder, EmptyEncodingCountsConstantColumns) {
  const Dataset dataset =
      make_dataset({numeric("x", {1.0, 2.0, 3.0}), numeric("y", {4.0, 4.0, 4.0}),
                    categorical("c", {"a", "b", "b"})});
  expect_error<InputError>(
      [&] { Encoder::fit(dataset, first_records(3), 5); },
      {"Column 'x' was dropped", "Column 'c' was dropped because none of its 2 distinct values",
       "The other feature column is constant in the pool.",
       "Lower --min-level-count from 5 to 3 or less"});
}

TEST(Encoder, EmptyEncodingListsFiveColumns) {
  std::vector<FeatureColumn> features;
  for (int i = 0; i < 7; ++i) {
    features.push_back(numeric(fmt::format("x{}", i), {1.0, 2.0}));
  }
  const Dataset dataset = make_dataset(std::move(features));
  expect_error<InputError>([&] { Encoder::fit(dataset, first_records(2), 3); },
                           {"Column 'x4' was dropped", "2 more columns were dropped"});
  try {
    Encoder::fit(dataset, first_records(2), 3);
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()).find("'x5'"), std::string::npos) << error.what();
  }
}

TEST(Encoder, HugeValuesRejected) {
  const Dataset dataset = make_dataset({numeric("x", {1e308, 1.5e308, 1.7e308})});
  expect_error<InputError>([&] { Encoder::fit(dataset, first_records(3), 1); },
                           {"'x' cannot be standardised", "Rescale"});
}

}  // namespace
}  // namespace privaudit::data
