#include "cli/config_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/atomic_file.h"
#include "core/error.h"

namespace privaudit::cli {
namespace {

const std::set<std::string> kTrainOptions = {"epochs", "lr", "model", "threads", "config", "verbose"};
const std::set<std::string> kAllOptions = {"epochs", "lr", "model", "threads", "config", "verbose",
                                           "input", "label", "attributes"};
const std::set<std::string> kFlags = {"verbose"};

ConfigNames names_for(const std::set<std::string>& subcommand) {
  return ConfigNames{subcommand, kAllOptions, kFlags, {"input"}};
}

std::string write_config(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("privaudit_config_" + name + "_" + std::to_string(::getpid()) + ".toml");
  write_file_atomic(path, text);
  return path.string();
}

TEST(ConfigFile, InsertsValuesBeforeArguments) {
  const auto path = write_config("insert", "[training]\nepochs = 30\nlr = 0.01\nmodel = \"resnet\"\n");
  const auto args = merge_config_file(path, {"runs/x"}, names_for(kTrainOptions));
  const std::vector<std::string> expected = {"--epochs=30", "--lr=0.01", "--model=resnet", "runs/x"};
  EXPECT_EQ(args, expected);
}

TEST(ConfigFile, CommandLineOverridesFile) {
  const auto path = write_config("override", "epochs = 30\nlr = 0.01\n");
  const auto args = merge_config_file(path, {"runs/x", "--epochs=5"}, names_for(kTrainOptions));
  const std::vector<std::string> expected = {"--lr=0.01", "runs/x", "--epochs=5"};
  EXPECT_EQ(args, expected);
}

TEST(ConfigFile, OtherSubcommandKeysSkipped) {
  const auto path = write_config("skip", "[data]\ninput = \"t.csv\"\nattributes = [\"sex\", \"race\"]\n");
  const auto args = merge_config_file(path, {"runs/x"}, names_for(kTrainOptions));
  const std::vector<std::string> expected = {"runs/x"};
  EXPECT_EQ(args, expected);
  const std::set<std::string> plan_options = {"input", "attributes"};
  const auto plan_args = merge_config_file(path, {"runs/x"}, names_for(plan_options));
  // Keys come in sorted order (toml++ tables are ordered maps); array elements keep their order.
  const std::string input = (std::filesystem::path(path).parent_path() / "t.csv").string();
  const std::vector<std::string> plan_expected = {"--attributes=sex", "--attributes=race", "--input=" + input,
                                                  "runs/x"};
  EXPECT_EQ(plan_args, plan_expected);
}

TEST(ConfigFile, UnknownKeySuggestsClosest) {
  const auto path = write_config("typo", "epoch = 30\n");
  try {
    merge_config_file(path, {}, names_for(kTrainOptions));
    FAIL() << "expected UsageError";
  } catch (const UsageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("unknown key 'epoch'"), std::string::npos) << message;
    EXPECT_NE(message.find("did you mean 'epochs'"), std::string::npos) << message;
    EXPECT_NE(message.find(":1:1"), std::string::npos) << message;
  }
}

TEST(ConfigFile, SyntaxErrorNamesLine) {
  const auto path = write_config("syntax", "epochs = 30\nlr = = 2\n");
  try {
    merge_config_file(path, {}, names_for(kTrainOptions));
    FAIL() << "expected UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find(":2:"), std::string::npos) << error.what();
  }
}

TEST(ConfigFile, FlagsTakeBooleans) {
  const auto on = write_config("flag_on", "verbose = true\n");
  EXPECT_EQ(merge_config_file(on, {}, names_for(kTrainOptions)),
            std::vector<std::string>{"--verbose"});
  const auto off = write_config("flag_off", "verbose = false\n");
  EXPECT_TRUE(merge_config_file(off, {}, names_for(kTrainOptions)).empty());
  const auto bad = write_config("flag_bad", "verbose = 3\n");
  EXPECT_THROW(merge_config_file(bad, {}, names_for(kTrainOptions)), UsageError);
}

TEST(ClosestName, WithinEditDistance) {
  EXPECT_EQ(closest_name("epoch", kAllOptions), "epochs");
  EXPECT_EQ(closest_name("atributes", kAllOptions), "attributes");
  EXPECT_EQ(closest_name("zzzzzz", kAllOptions), "");
  EXPECT_EQ(closest_name("modle", kAllOptions), "model");  // a swap of neighbours is one edit
}

}  // namespace
}  // namespace privaudit::cli

namespace privaudit::cli {
namespace {

TEST(ConfigFile, AbsoluteInputPathKept) {
  const auto path = write_config("absolute", "input = \"/data/t.csv\"\n");
  const std::set<std::string> plan_options = {"input"};
  EXPECT_EQ(merge_config_file(path, {}, names_for(plan_options)), std::vector<std::string>{"--input=/data/t.csv"});
}

}  // namespace
}  // namespace privaudit::cli
