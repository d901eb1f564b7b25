#include "run/sweep_stage.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "run/sweep_table.h"

namespace privaudit::run {
namespace {

using models::ModelSpec;
using training::TrainOptions;

std::string usage_message(const std::function<void()>& call) {
  try {
    call();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepRecipes, DefaultCapacities) {
  const std::vector<SweepRecipe> recipes = capacity_recipes(Recipe{}, default_capacities());
  std::vector<std::string> names;
  for (const auto& recipe : recipes) names.push_back(recipe.name);
  EXPECT_EQ(names, (std::vector<std::string>{"logistic", "mlp-w16", "mlp-w64", "mlp-w256",
                                             "mlp-w1024", "resnet-w128x2"}));
  EXPECT_EQ(recipes[0].recipe.model.kind, ModelSpec::Kind::kLogistic);
  EXPECT_EQ(recipes[4].recipe.model.width, 1024u);
  EXPECT_EQ(recipes[4].recipe.model.depth, 1u);
  EXPECT_EQ(recipes[5].recipe.model.kind, ModelSpec::Kind::kResNet);
  EXPECT_EQ(recipes[5].recipe.model.depth, 2u);
  EXPECT_FALSE(recipes[0].epsilon.has_value());
}

TEST(SweepRecipes, CapacitySpecForms) {
  Recipe base;
  base.model.width = 32;
  base.model.depth = 3;
  base.train.epochs = 7;
  const std::vector<std::string> specs = {"mlp:256x2", "mlp", "resnet:64"};
  const std::vector<SweepRecipe> recipes = capacity_recipes(base, specs);
  EXPECT_EQ(recipes[0].name, "mlp-w256x2");
  EXPECT_EQ(recipes[0].label, "MLP 256 wide, 2 layers");
  EXPECT_EQ(recipes[1].recipe.model.width, 32u);  // bare kind keeps the base size
  EXPECT_EQ(recipes[1].recipe.model.depth, 3u);
  EXPECT_EQ(recipes[2].name, "resnet-w64x3");
  EXPECT_EQ(recipes[2].recipe.train.epochs, 7u);  // training options carried over
}

TEST(SweepRecipes, RejectsMalformedCapacities) {
  const auto message = [](std::vector<std::string> specs) {
    return usage_message([&] { capacity_recipes(Recipe{}, specs); });
  };
  EXPECT_NE(message({"vgg"}).find("'vgg'"), std::string::npos);
  EXPECT_NE(message({"cnn:8"}).find("cnn has no width or depth"), std::string::npos);
  EXPECT_NE(message({"logistic:4"}).find("no width or depth"), std::string::npos);
  EXPECT_NE(message({"mlp:"}).find("whole number"), std::string::npos);
  EXPECT_NE(message({"mlp:0"}).find("'0' must be a whole number in [1, 65536]"), std::string::npos);
  EXPECT_NE(message({"mlp:8x"}).find("whole number"), std::string::npos);
  EXPECT_NE(message({"mlp:8x1000"}).find("[1, 256]"), std::string::npos);
  EXPECT_NE(message({"mlp:8", "mlp:8x1"}).find("twice"), std::string::npos);
  EXPECT_NE(message({}).find("empty"), std::string::npos);
}

TEST(SweepRecipes, EpsilonRecipes) {
  const std::vector<double> epsilons = default_epsilons();
  const std::vector<SweepRecipe> recipes = epsilon_recipes(Recipe{}, epsilons);
  ASSERT_EQ(recipes.size(), 5u);
  EXPECT_EQ(recipes[0].name, "eps-1");
  EXPECT_EQ(recipes[3].name, "eps-1000");
  EXPECT_EQ(recipes[4].name, "eps-inf");
  EXPECT_EQ(recipes[1].recipe.train.privacy, TrainOptions::Privacy::kPatient);
  EXPECT_EQ(recipes[1].recipe.train.dp_target_epsilon, 10.0);
  EXPECT_EQ(recipes[1].epsilon, 10.0);
  EXPECT_EQ(recipes[4].recipe.train.privacy, TrainOptions::Privacy::kOff);
  EXPECT_FALSE(recipes[4].recipe.train.dp_target_epsilon.has_value());
  EXPECT_FALSE(recipes[4].epsilon.has_value());
}

TEST(SweepRecipes, EpsilonKeepsRecordUnit) {
  Recipe base;
  base.train.privacy = TrainOptions::Privacy::kRecord;
  const std::vector<double> epsilons = {8.0};
  EXPECT_EQ(epsilon_recipes(base, epsilons)[0].recipe.train.privacy, TrainOptions::Privacy::kRecord);
}

TEST(SweepRecipes, RejectsBadEpsilons) {
  const auto message = [](std::vector<double> epsilons, Recipe base = Recipe{}) {
    return usage_message([&] { epsilon_recipes(base, epsilons); });
  };
  EXPECT_NE(message({0.0}).find("--epsilons entry 0 is invalid"), std::string::npos);
  EXPECT_NE(message({-2.0}).find("--epsilons entry -2 is invalid"), std::string::npos);
  EXPECT_NE(message({std::nan("")}).find("--epsilons entry nan"), std::string::npos);
  EXPECT_NE(message({1.0, 1.0}).find("twice"), std::string::npos);
  EXPECT_NE(message({}).find("empty"), std::string::npos);
  Recipe resnet;
  resnet.model.kind = ModelSpec::Kind::kResNet;
  EXPECT_NE(message({1.0}, resnet).find("not resnet"), std::string::npos);
}

// A formula-like label is neutralised, missing values are empty cells, and the tail columns
// take the near-certain threshold.
TEST(SweepCsv, OneRecipeRow) {
  const nlohmann::json sweep = {
      {"near_certain_auc", 0.9},
      {"recipes",
       {{{"name", "eps-1"},
         {"label", "=cmd"},
         {"model", {{"kind", "mlp"}, {"width", 16}, {"depth", 1}}},
         {"parameters", 385},
         {"epsilon", 1.0},
         {"dp", {{"epsilon", 0.99}, {"auc_bound", 0.61},
                 {"bound_check", {{"records", {{"selected", 5}, {"confirmed", 2}, {"beyond_se", 0}}}}}}},
         {"utility", {{"test_auroc", {{"mean", 0.75}, {"sd", 0.01}}}}},
         {"attacks", {{{"name", "loss"}, {"auc", {{"mean", 0.51}}}},
                      {{"name", "rmia_online"}, {"auc", {{"mean", 0.53}}},
                       {"tpr_at_fpr_0.001", {{"mean", 0.002}}}}}},
         {"tails", {{"records", {{{"threshold", 0.9}, {"in_sample", 4}, {"confirmed", 1}}}},
                    {"patients_joint", {{{"threshold", 0.9}, {"in_sample", 3}, {"confirmed", 1}}}}}},
         {"train_seconds", 2.5}}}}};
  const std::string csv = sweep_csv(sweep);
  const std::size_t newline = csv.find('\n');
  const std::string header = csv.substr(0, newline);
  const std::string row = csv.substr(newline + 1);
  EXPECT_NE(header.find("records_confirmed_above_0.9"), std::string::npos) << header;
  EXPECT_EQ(row,
            "eps-1,'=cmd,mlp,16,1,385,1,0.99,,,0.61,0.75,0.01,rmia_online,0.53,0.002,4,1,3,1,5,2,0,"
            "2.5\n");
}

}  // namespace
}  // namespace privaudit::run
