#include "data/dataset.h"

#include <filesystem>
#include <initializer_list>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "data/test_files.h"

namespace privaudit::data {
namespace {

using testing::expect_error;
using testing::TempDir;

// Writes `text` to a temporary CSV file, reads it and loads it with `options`.
class DatasetTest : public ::testing::Test {
 protected:
  Dataset load(const std::string& text, DataOptions options) {
    table_ = read_csv(dir_.write("t.csv", text));
    options.input = table_.path.string();
    return load_dataset(table_, options);
  }

  static DataOptions with_label(const std::string& label) {
    DataOptions options;
    options.label = label;
    return options;
  }

  std::string path() const { return (dir_.path() / "t.csv").string(); }

  TempDir dir_;
  CsvTable table_;
};

const FeatureColumn& feature(const Dataset& dataset, std::string_view name) {
  for (const FeatureColumn& column : dataset.features) {
    if (column.name == name) {
      return column;
    }
  }
  throw std::runtime_error("no feature " + std::string(name));
}

std::vector<std::string> feature_names(const Dataset& dataset) {
  std::vector<std::string> names;
  for (const FeatureColumn& column : dataset.features) {
    names.push_back(column.name);
  }
  return names;
}

constexpr const char* kSmall =
    "id,age,sex,region,y\n"
    "p1,70,F,west,1\n"
    "p2,65.5,M,east,0\n"
    "p1,71,F,,1\n"
    "p3,,M,west,0\n";

TEST_F(DatasetTest, BasicLoad) {
  DataOptions options = with_label("y");
  options.patient_id = "id";
  options.attributes = {"sex"};
  const Dataset dataset = load(kSmall, options);

  EXPECT_EQ(dataset.records(), 4u);
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(dataset.labels, (std::vector<int32_t>{1, 0, 1, 0}));
  EXPECT_EQ(dataset.patient_ids, (std::vector<std::string>{"p1", "p2", "p3"}));
  EXPECT_EQ(dataset.patient_of_record, (std::vector<int32_t>{0, 1, 0, 2}));
  EXPECT_EQ(dataset.record_line, (std::vector<std::size_t>{2, 3, 4, 5}));
  EXPECT_EQ(dataset.input_path, path());

  // Features: every column except the label, the patient id and the attribute.
  EXPECT_EQ(feature_names(dataset), (std::vector<std::string>{"age", "region"}));
  const FeatureColumn& age = feature(dataset, "age");
  EXPECT_EQ(age.kind, FeatureKind::numeric);
  EXPECT_TRUE(age.categorical_values.empty());
  ASSERT_EQ(age.numeric_values.size(), 4u);
  EXPECT_EQ(age.numeric_values[1], 65.5);
  EXPECT_FALSE(age.numeric_values[3].has_value());
  const FeatureColumn& region = feature(dataset, "region");
  EXPECT_EQ(region.kind, FeatureKind::categorical);
  EXPECT_TRUE(region.numeric_values.empty());
  EXPECT_EQ(region.categorical_values[0], "west");
  EXPECT_FALSE(region.categorical_values[2].has_value());

  ASSERT_EQ(dataset.attributes.size(), 1u);
  EXPECT_EQ(dataset.attributes[0].name, "sex");
  EXPECT_EQ(dataset.attributes[0].values[1], "M");
}

TEST_F(DatasetTest, OwnPatientPerRow) {
  const Dataset dataset = load("a,y\n1,0\n\"x\ny\",1\n3,1\n", with_label("y"));
  EXPECT_EQ(dataset.patient_ids, (std::vector<std::string>{"line-2", "line-3", "line-5"}));
  EXPECT_EQ(dataset.patient_of_record, (std::vector<int32_t>{0, 1, 2}));
}

TEST_F(DatasetTest, NumericClassOrder) {
  const Dataset dataset = load("a,y\n1,10\n2,2\n3,-1\n4,2.5\n5,10\n", with_label("y"));
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"-1", "2", "2.5", "10"}));
  EXPECT_EQ(dataset.labels, (std::vector<int32_t>{3, 1, 0, 2, 3}));
}

TEST_F(DatasetTest, LexicalClassOrder) {
  const Dataset dataset = load("a,y\n1,b\n2,10\n3,B\n4,a\n", with_label("y"));
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"10", "B", "a", "b"}));
  EXPECT_EQ(dataset.labels, (std::vector<int32_t>{3, 0, 1, 2}));
}

TEST_F(DatasetTest, LabelMapOrder) {
  DataOptions options = with_label("y");
  options.label_map = {"severe=sick", "0=healthy", "*=sick"};
  const Dataset dataset = load("a,y\n1,0\n2,mild\n3,severe\n4,0\n", options);
  // Class order follows the first appearance of each class in the map.
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"sick", "healthy"}));
  EXPECT_EQ(dataset.labels, (std::vector<int32_t>{1, 0, 0, 1}));
}

TEST_F(DatasetTest, LabelMapUnusedClassDropped) {
  DataOptions options = with_label("y");
  options.label_map = {"0=none", "1=one", "2=two"};
  const Dataset dataset = load("a,y\n1,0\n2,2\n3,2\n", options);
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"none", "two"}));
  EXPECT_EQ(dataset.labels, (std::vector<int32_t>{0, 1, 1}));
}

TEST_F(DatasetTest, ExplicitFeaturesAndOverrides) {
  DataOptions options = with_label("y");
  options.features = {"region", "code", "age"};
  options.categorical = {"code"};
  options.numeric = {"age"};
  options.attributes = {"region"};
  const Dataset dataset = load(
      "age,code,region,y\n"
      "+70,01,west,0\n"
      " 65 ,2,east,1\n",
      options);
  EXPECT_EQ(feature_names(dataset), (std::vector<std::string>{"region", "code", "age"}));
  const FeatureColumn& code = feature(dataset, "code");
  EXPECT_EQ(code.kind, FeatureKind::categorical);
  EXPECT_EQ(code.categorical_values[0], "01");  // kept verbatim
  const FeatureColumn& age = feature(dataset, "age");
  EXPECT_EQ(age.kind, FeatureKind::numeric);
  EXPECT_EQ(age.numeric_values[0], 70.0);
  EXPECT_EQ(age.numeric_values[1], 65.0);
  ASSERT_EQ(dataset.attributes.size(), 1u);
  EXPECT_EQ(dataset.attributes[0].name, "region");
}

TEST_F(DatasetTest, ExcludeAndAllMissingColumn) {
  DataOptions options = with_label("y");
  options.exclude = {"note"};
  const Dataset dataset = load("note,empty,y\nhello,,0\nbye,,1\n", options);
  ASSERT_EQ(feature_names(dataset), (std::vector<std::string>{"empty"}));
  // A column without any value counts as numeric.
  EXPECT_EQ(dataset.features[0].kind, FeatureKind::numeric);
}

TEST_F(DatasetTest, LabelAsAttribute) {
  DataOptions options = with_label("y");
  options.attributes = {"y"};
  const Dataset dataset = load("a,y\n1,0\n2,1\n", options);
  EXPECT_EQ(feature_names(dataset), (std::vector<std::string>{"a"}));
  EXPECT_EQ(dataset.attributes[0].values[1], "1");
}

TEST_F(DatasetTest, InvalidOptionsAreUsageErrors) {
  DataOptions options = with_label("y");
  options.features = {"y"};
  expect_error<UsageError>([&] { load("a,y\n1,0\n2,1\n", options); },
                           {"'y'", "--label", "--features"});
}

TEST_F(DatasetTest, UnknownColumn) {
  DataOptions options = with_label("y");
  options.attributes = {"Sex"};
  expect_error<InputError>([&] { load("sex,age,y\nF,1,0\nM,2,1\n", options); },
                           {path(), "no column 'Sex'", "--attributes", "Did you mean 'sex'?"});
  expect_error<InputError>([&] { load("sex,age,y\nF,1,0\nM,2,1\n", with_label("label")); },
                           {"no column 'label'", "--label", "3 columns: 'sex', 'age', 'y'"});
}

TEST_F(DatasetTest, MissingLabel) {
  expect_error<InputError>([&] { load("a,y\n1,0\n2,\n3,1\n", with_label("y")); },
                           {path(), "line 3", "label column 'y' is empty"});
}

TEST_F(DatasetTest, SingleClass) {
  expect_error<InputError>(
      [&] { load("a,y\n1,0\n2,0\n3,0\n", with_label("y")); },
      {path(), "label column 'y' has only one class '0' in 3 rows: an audit needs at least two"});
  DataOptions options = with_label("y");
  options.label_map = {"0=none", "*=any"};
  expect_error<InputError>([&] { load("a,y\n1,2\n2,3\n", options); },
                           {"only one class 'any' in 2 rows", "--label-map"});
}

TEST_F(DatasetTest, TooManyClasses) {
  DataOptions options = with_label("y");
  options.max_classes = 3;
  expect_error<InputError>(
      [&] { load("a,y\n1,a\n2,b\n3,c\n4,d\n", options); },
      {path(), "label column 'y' has 4 distinct values", "--max-classes 3", "--label-map"});
  options.label_map = {"a=1", "b=2", "c=3", "d=4"};
  expect_error<InputError>([&] { load("a,y\n1,a\n2,b\n3,c\n4,d\n", options); },
                           {"gives 4 classes", "--max-classes 3"});
  options.max_classes = 4;
  EXPECT_EQ(load("a,y\n1,a\n2,b\n3,c\n4,d\n", options).class_names.size(), 4u);
}

TEST_F(DatasetTest, LabelNotInMap) {
  DataOptions options = with_label("y");
  options.label_map = {"0=none", "1=some"};
  expect_error<InputError>(
      [&] { load("a,y\n1,0\n2,1\n3,7\n", options); },
      {path(), "line 4", "label value '7'", "column 'y'", "'7=CLASS'", "'*=CLASS'"});
}

TEST_F(DatasetTest, MessageEscapesFileText) {
  DataOptions options = with_label("y");
  options.label_map = {"0=none", "1=some"};
  // A value with a terminal escape sequence and a line break appears escaped in the message.
  try {
    load("a,y\n1,0\n2,1\n3,\"\x1B[2J\nfake\"\n", options);
    ADD_FAILURE() << "did not throw";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find('\x1B'), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find("label value '\\x1B[2J\\nfake'"), std::string::npos) << message;
  }
}

TEST_F(DatasetTest, NonFiniteValue) {
  for (const char* bad : {"nan", "NaN", "inf", "-Infinity"}) {
    SCOPED_TRACE(bad);
    expect_error<InputError>(
        [&] { load(std::string("a,y\n1,0\n2,1\n") + bad + ",0\n", with_label("y")); },
        {path(), "line 4, column 'a'", std::string("value '") + bad + "'", "not a finite number"});
  }
}

TEST_F(DatasetTest, OutOfRangeValue) {
  expect_error<InputError>([&] { load("a,y\n1,0\n1e400,1\n", with_label("y")); },
                           {path(), "line 3, column 'a'", "value '1e400'", "outside the range"});
}

TEST_F(DatasetTest, NonNumberInNumericOverride) {
  DataOptions options = with_label("y");
  options.numeric = {"a"};
  expect_error<InputError>(
      [&] { load("a,y\n1,0\n?,1\nx,0\n", options); },
      {path(), "line 3, column 'a'", "value '?'", "not a number", "--numeric"});
  // A non-finite value before the first non-number is reported as non-finite.
  expect_error<InputError>([&] { load("a,y\ninf,0\n?,1\n", options); },
                           {"line 2, column 'a'", "value 'inf'", "not a finite number"});
}

TEST_F(DatasetTest, NonFiniteInTextColumnIsLevel) {
  const Dataset dataset = load("a,y\nnan,0\nx,1\n", with_label("y"));
  EXPECT_EQ(dataset.features[0].kind, FeatureKind::categorical);
  EXPECT_EQ(dataset.features[0].categorical_values[0], "nan");
}

// A table with column "a" holding `numbers` numbers (1, 2, ...), then the `others` values, then
// one missing value, and a label column "y".
std::string mixed_table(int numbers, std::initializer_list<const char*> others) {
  std::string text = "a,y\n";
  int row = 0;
  for (; row < numbers; ++row) {
    text += fmt::format("{},{}\n", row + 1, row % 2);
  }
  for (const char* other : others) {
    text += fmt::format("{},{}\n", other, row++ % 2);
  }
  text += fmt::format(",{}\n", row % 2);
  return text;
}

TEST_F(DatasetTest, MostlyNumericColumnWarns) {
  // 9 of 10 non-missing values are numbers: exactly 90%. The missing value does not count.
  const Dataset dataset = load(mixed_table(9, {"n/a"}), with_label("y"));
  EXPECT_EQ(dataset.features[0].kind, FeatureKind::categorical);
  ASSERT_EQ(dataset.warnings.size(), 1u);
  const std::string& warning = dataset.warnings[0];
  EXPECT_NE(warning.find(path()), std::string::npos) << warning;
  EXPECT_NE(warning.find("line 11, column 'a'"), std::string::npos) << warning;
  EXPECT_NE(warning.find("value 'n/a' is not a number"), std::string::npos) << warning;
  EXPECT_NE(warning.find("9 of its 10 non-missing values"), std::string::npos) << warning;
  EXPECT_NE(warning.find("--numeric 'a'"), std::string::npos) << warning;
  EXPECT_NE(warning.find("--categorical 'a'"), std::string::npos) << warning;
}

TEST_F(DatasetTest, MostlyNumericWarningNamesFirstNonNumber) {
  const Dataset dataset = load(mixed_table(18, {"?", "x"}), with_label("y"));
  ASSERT_EQ(dataset.warnings.size(), 1u);
  EXPECT_NE(dataset.warnings[0].find("line 20, column 'a': value '?'"), std::string::npos)
      << dataset.warnings[0];
  EXPECT_NE(dataset.warnings[0].find("18 of its 20"), std::string::npos) << dataset.warnings[0];
}

TEST_F(DatasetTest, MostlyNumericWarningEscapesValue) {
  const Dataset dataset = load(mixed_table(9, {"\"\x1B[2J\nfake\""}), with_label("y"));
  ASSERT_EQ(dataset.warnings.size(), 1u);
  const std::string& warning = dataset.warnings[0];
  EXPECT_EQ(warning.find('\x1B'), std::string::npos) << warning;
  EXPECT_EQ(warning.find('\n'), std::string::npos) << warning;
  EXPECT_NE(warning.find("value '\\x1B[2J\\nfake'"), std::string::npos) << warning;
}

TEST_F(DatasetTest, NoWarningBelowNinetyPercent) {
  // 8 of 10 non-missing values are numbers.
  const Dataset dataset = load(mixed_table(8, {"n/a", "n/a"}), with_label("y"));
  EXPECT_EQ(dataset.features[0].kind, FeatureKind::categorical);
  EXPECT_TRUE(dataset.warnings.empty());
}

TEST_F(DatasetTest, NoWarningForCategoricalOverride) {
  DataOptions options = with_label("y");
  options.categorical = {"a"};
  const Dataset dataset = load(mixed_table(9, {"n/a"}), options);
  EXPECT_EQ(dataset.features[0].kind, FeatureKind::categorical);
  EXPECT_TRUE(dataset.warnings.empty());
}

TEST_F(DatasetTest, NoWarningForCleanColumns) {
  // A numeric and a text column.
  EXPECT_TRUE(load(kSmall, with_label("y")).warnings.empty());
  EXPECT_TRUE(load(mixed_table(10, {}), with_label("y")).warnings.empty());
}

TEST_F(DatasetTest, NumericOverrideStillRejectsMostlyNumeric) {
  DataOptions options = with_label("y");
  options.numeric = {"a"};
  expect_error<InputError>([&] { load(mixed_table(9, {"n/a"}), options); },
                           {"line 11, column 'a'", "value 'n/a'", "not a number"});
}

std::string identifier_table(std::size_t rows, bool numeric_start) {
  std::string text = "code,y\n";
  for (std::size_t i = 0; i < rows; ++i) {
    text += numeric_start ? fmt::format("{},{}\n", i, i % 2) : fmt::format("c{},{}\n", i, i % 2);
  }
  if (numeric_start) {
    text += "NA,0\n";
  }
  return text;
}

TEST_F(DatasetTest, IdentifierLikeColumn) {
  expect_error<InputError>([&] { load(identifier_table(100, false), with_label("y")); },
                           {path(), "column 'code'", "100 distinct values in 100 rows",
                            "looks like an identifier", "--exclude", "--patient-id"});
  // The hint names the first value that made a numeric-looking column categorical.
  expect_error<InputError>([&] { load(identifier_table(100, true), with_label("y")); },
                           {"101 distinct values in 101 rows", "line 102", "'NA'", "--numeric"});
}

TEST_F(DatasetTest, IdentifierThresholds) {
  // 50 distinct values in 50 rows: not more than 50, so still a feature.
  EXPECT_EQ(load(identifier_table(50, false), with_label("y")).features[0].kind,
            FeatureKind::categorical);
  // 60 distinct values in 120 rows: not more than half of the rows.
  std::string text = "code,y\n";
  for (int i = 0; i < 120; ++i) {
    text += fmt::format("c{},{}\n", i % 60, i % 2);
  }
  EXPECT_EQ(load(text, with_label("y")).features[0].kind, FeatureKind::categorical);
}

TEST_F(DatasetTest, MissingPatientId) {
  DataOptions options = with_label("y");
  options.patient_id = "id";
  expect_error<InputError>([&] { load("id,a,y\np1,1,0\n,2,1\n", options); },
                           {path(), "line 3", "patient-id column 'id' is empty"});
}

TEST_F(DatasetTest, AttributeConflict) {
  DataOptions options = with_label("y");
  options.patient_id = "id";
  options.attributes = {"sex"};
  expect_error<InputError>(
      [&] { load("id,sex,a,y\np1,F,1,0\np2,M,2,1\np1,M,3,1\n", options); },
      {path(), "patient 'p1'", "attribute 'sex'", "'F' on line 2", "'M' on line 4"});
  expect_error<InputError>([&] { load("id,sex,a,y\np1,F,1,0\np1,,3,1\n", options); },
                           {"patient 'p1'", "'F' on line 2", "(missing) on line 3"});
}

TEST_F(DatasetTest, NoFeaturesLeft) {
  DataOptions options = with_label("y");
  options.patient_id = "id";
  options.attributes = {"sex"};
  expect_error<InputError>([&] { load("id,sex,y\np1,F,0\np2,M,1\n", options); },
                           {path(), "no feature columns are left", "--features"});
}

TEST(DatasetRealFile, Nmes1988) {
  const std::filesystem::path path =
      std::filesystem::path(PRIVAUDIT_SOURCE_DIR) / "data/nmes1988/AER_NMES1988.csv";
  const CsvTable table = read_csv(path);
  EXPECT_EQ(table.rows(), 4406u);
  EXPECT_EQ(table.header.size(), 19u);

  DataOptions options;
  options.input = path.string();
  options.label = "hospital";
  options.label_map = {"0=none", "*=any"};
  options.attributes = {"afam", "medicaid", "gender"};
  const Dataset dataset = load_dataset(table, options);
  EXPECT_EQ(dataset.records(), 4406u);
  EXPECT_EQ(dataset.patients(), 4406u);
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"none", "any"}));
  // Counts from the file: 3,541 rows have hospital = 0.
  EXPECT_EQ(std::count(dataset.labels.begin(), dataset.labels.end(), 0), 3541);
  EXPECT_EQ(dataset.features.size(), 15u);
  EXPECT_EQ(feature(dataset, "income").kind, FeatureKind::numeric);
  EXPECT_EQ(feature(dataset, "region").kind, FeatureKind::categorical);
  ASSERT_EQ(dataset.attributes.size(), 3u);
  const Attribute& afam = dataset.attributes[0];
  EXPECT_EQ(afam.name, "afam");
  EXPECT_EQ(std::count(afam.values.begin(), afam.values.end(), std::optional<std::string>("yes")),
            516);
}

}  // namespace
}  // namespace privaudit::data

namespace privaudit::data {
namespace {

class MultiLabelDataset : public DatasetTest {
 protected:
  static DataOptions multi(std::vector<std::string> columns) {
    DataOptions options;
    options.input = "t.csv";
    options.multi_label = std::move(columns);
    return options;
  }
};

TEST_F(MultiLabelDataset, TargetsAndLabelText) {
  const Dataset dataset = load("x,a,b\n1,1,0\n2,0,0\n3,1,1\n", multi({"a", "b"}));
  EXPECT_TRUE(dataset.multi_label());
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(dataset.targets, (std::vector<float>{1, 0, 0, 0, 1, 1}));
  EXPECT_EQ(dataset.labels, (std::vector<int32_t>{0, 0, 0}));
  // The label columns are not features.
  EXPECT_EQ(dataset.features.size(), 1u);
  EXPECT_EQ(label_text(dataset, 0), "a");
  EXPECT_EQ(label_text(dataset, 1), "none");
  EXPECT_EQ(label_text(dataset, 2), "a+b");
}

TEST_F(MultiLabelDataset, RejectsNonBinaryValue) {
  try {
    load("x,a\n1,1\n2,yes\n", multi({"a"}));
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("line 3"), std::string::npos) << message;
    EXPECT_NE(message.find("'yes'"), std::string::npos) << message;
    EXPECT_NE(message.find("0 or 1"), std::string::npos) << message;
  }
  EXPECT_THROW(load("x,a\n1,1\n2,\n", multi({"a"})), InputError);
}

TEST(MultiLabelOptions, RejectsConflicts) {
  DataOptions options;
  options.input = "t.csv";
  options.label = "y";
  options.multi_label = {"a", "b"};
  EXPECT_THROW(options.validate(), UsageError);
  options.label.clear();
  options.label_map = {"0=no", "1=yes"};
  EXPECT_THROW(options.validate(), UsageError);
  options.label_map.clear();
  EXPECT_NO_THROW(options.validate());
  options.features = {"a"};
  EXPECT_THROW(options.validate(), UsageError);
}

}  // namespace
}  // namespace privaudit::data
