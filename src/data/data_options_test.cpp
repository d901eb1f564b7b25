#include "data/data_options.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "data/test_files.h"

namespace privaudit::data {
namespace {

using testing::expect_error;

DataOptions valid_options() {
  DataOptions options;
  options.input = "table.csv";
  options.label = "death";
  return options;
}

TEST(DataOptions, DefaultsValid) {
  const DataOptions options = valid_options();
  EXPECT_EQ(options.min_level_count, 10u);
  EXPECT_EQ(options.max_classes, 100u);
  EXPECT_NO_THROW(options.validate());
}

TEST(DataOptions, RequiredFields) {
  DataOptions options = valid_options();
  options.input.clear();
  expect_error<UsageError>([&] { options.validate(); }, {"--input is empty"});
  options = valid_options();
  options.label.clear();
  expect_error<UsageError>([&] { options.validate(); }, {"--label is empty"});
}

TEST(DataOptions, Ranges) {
  DataOptions options = valid_options();
  options.min_level_count = 0;
  expect_error<UsageError>([&] { options.validate(); }, {"--min-level-count is 0", "at least 1"});
  options = valid_options();
  options.max_classes = 1;
  expect_error<UsageError>([&] { options.validate(); }, {"--max-classes is 1", "at least 2"});
}

TEST(DataOptions, LabelAlsoAttributeAllowed) {
  DataOptions options = valid_options();
  options.attributes = {"death", "sex"};
  options.features = {"age", "sex"};
  EXPECT_NO_THROW(options.validate());
}

TEST(DataOptions, ListEntries) {
  DataOptions options = valid_options();
  options.features = {"age", ""};
  expect_error<UsageError>([&] { options.validate(); }, {"--features entry 2 is empty"});
  options = valid_options();
  options.attributes = {"sex", "race", "sex"};
  expect_error<UsageError>([&] { options.validate(); }, {"--attributes", "'sex' twice"});
}

TEST(DataOptions, ConflictingRoles) {
  struct Case {
    const char* description;
    DataOptions options;
    std::vector<std::string_view> fragments;
  };
  std::vector<Case> cases;
  {
    DataOptions options = valid_options();
    options.features = {"age", "death"};
    cases.push_back({"label as feature", options, {"'death'", "--label", "--features"}});
  }

  {
    DataOptions options = valid_options();
    options.patient_id = "death";
    cases.push_back({"label as patient id", options, {"'death'", "--label", "--patient-id"}});
  }

  {
    DataOptions options = valid_options();
    options.numeric = {"death"};
    cases.push_back({"label with override", options, {"'death'", "--label", "--numeric"}});
  }

  {
    DataOptions options = valid_options();
    options.patient_id = "id";
    options.attributes = {"id"};
    cases.push_back({"patient id as attribute", options, {"'id'", "--patient-id", "--attributes"}});
  }

  {
    DataOptions options = valid_options();
    options.patient_id = "id";
    options.exclude = {"id"};
    cases.push_back({"patient id excluded", options, {"'id'", "--patient-id", "--exclude"}});
  }

  {
    DataOptions options = valid_options();
    options.features = {"age"};
    options.exclude = {"age"};
    cases.push_back({"feature excluded", options, {"'age'", "--features", "--exclude"}});
  }

  {
    DataOptions options = valid_options();
    options.categorical = {"age"};
    options.numeric = {"age"};
    cases.push_back({"both types", options, {"'age'", "--categorical", "--numeric"}});
  }

  for (const Case& c : cases) {
    SCOPED_TRACE(c.description);
    try {
      c.options.validate();
      ADD_FAILURE() << "did not throw";
    } catch (const UsageError& error) {
      const std::string message = error.what();
      for (const std::string_view fragment : c.fragments) {
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
      }
    }
  }
}

TEST(DataOptions, IneffectiveOverrides) {
  DataOptions options = valid_options();
  options.features = {"age"};
  options.categorical = {"sex"};
  expect_error<UsageError>([&] { options.validate(); },
                           {"--categorical names 'sex'", "not in --features"});
  options = valid_options();
  options.exclude = {"sex"};
  options.numeric = {"sex"};
  expect_error<UsageError>([&] { options.validate(); }, {"--numeric names 'sex'", "--exclude"});
  options = valid_options();
  options.attributes = {"race"};
  options.categorical = {"race"};
  expect_error<UsageError>([&] { options.validate(); },
                           {"--categorical names 'race'", "attribute"});
  options.features = {"race", "age"};
  EXPECT_NO_THROW(options.validate());
}

TEST(LabelMap, Parses) {
  const auto entries = parse_label_map({"0=none", "a=b=rest", "*=any"});
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].value, "0");
  EXPECT_EQ(entries[0].class_name, "none");
  EXPECT_EQ(entries[1].value, "a=b");  // split at the last '='
  EXPECT_EQ(entries[1].class_name, "rest");
  EXPECT_EQ(entries[2].value, "*");
  EXPECT_TRUE(parse_label_map({}).empty());
}

TEST(LabelMap, MalformedEntries) {
  for (const char* entry : {"none", "=none", "0="}) {
    SCOPED_TRACE(entry);
    expect_error<UsageError>(
        [&] {
          parse_label_map({"1=sick", entry});
        },
        {"--label-map entry 2", entry, "VALUE=CLASS"});
  }
}

TEST(LabelMap, RepeatedValue) {
  expect_error<UsageError>(
      [&] {
        parse_label_map({"0=none", "1=one", "0=zero"});
      },
      {"value '0' twice", "'0=none'", "'0=zero'"});
}

TEST(LabelMap, SingleClass) {
  expect_error<UsageError>(
      [&] {
        parse_label_map({"0=x", "*=x"});
      },
      {"one class 'x'", "at least two"});
  DataOptions options = valid_options();
  options.label_map = {"0=x", "1=x"};
  expect_error<UsageError>([&] { options.validate(); }, {"one class 'x'"});
}

}  // namespace
}  // namespace privaudit::data
