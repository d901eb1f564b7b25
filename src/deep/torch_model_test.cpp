#include "deep/torch_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/random.h"
#include "deep/torch_trainer.h"

namespace privaudit::deep {
namespace {

// Parameters ((i * 7919) mod 2001 - 1000) / 10000 for i = 0, 1, ..., computed in double and
// rounded to float, as the Python reference of MatchesPyTorchReference computes them.
std::vector<float> patterned_parameters(std::size_t count) {
  std::vector<float> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    values[i] = static_cast<float>(static_cast<double>(static_cast<long>((i * 7919) % 2001) - 1000) /
                                   10000.0);
  }
  return values;
}

// Records ((j * 31) mod 17 - 8) / 8 for flat index j, [n, size].
std::vector<float> patterned_records(std::size_t n, std::size_t size) {
  std::vector<float> values(n * size);
  for (std::size_t j = 0; j < values.size(); ++j) {
    values[j] = static_cast<float>(static_cast<double>(static_cast<long>((j * 31) % 17) - 8) / 8.0);
  }
  return values;
}

std::vector<float> uniform_values(std::size_t count, float scale, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> values(count);
  for (float& value : values) {
    value = scale * (2.0f * rng.uniform_float() - 1.0f);
  }
  return values;
}

TorchModel random_model(const ConvSpec& spec, const InputShape& shape, std::size_t outputs) {
  return TorchModel(spec, shape, outputs,
                    uniform_values(parameter_count(spec, shape, outputs), 0.1f, 5));
}

struct ReferenceCase {
  const char* name;
  ConvSpec spec;
  InputShape shape;
  std::size_t outputs;
  std::vector<float> logits;  // [2, outputs]
};

// Logits computed once with Debian python3-torch 1.13.1 from torch.nn networks of the layouts in
// conv_spec.h, registered in the same order, loaded with patterned_parameters and evaluated in
// eval mode on patterned_records(2, size).
TEST(TorchModel, MatchesPyTorchReference) {
  const std::vector<ReferenceCase> cases = {
      {"small-cnn image", ConvSpec::small_cnn(), {2, 8, 8}, 3,
       {-0.08578378f, -0.1098748f, -0.0358739f, -0.08250189f, -0.1147858f, -0.0379475f}},
      {"small-cnn ecg", ConvSpec::small_cnn(), {2, 1, 16}, 1, {-0.105653f, -0.108399f}},
      {"resnet1d-3", ConvSpec::resnet1d(3), {2, 1, 16}, 3,
       {-0.2578036f, 0.3561908f, -0.193128f, -0.2558816f, 0.3557217f, -0.1929575f}},
      {"wrn-10-1", ConvSpec::wide_resnet(10, 1), {3, 8, 8}, 2,
       {-0.126898f, -0.08856164f, -0.1271936f, -0.09146979f}},
  };
  for (const ReferenceCase& c : cases) {
    const TorchModel model(c.spec, c.shape, c.outputs,
                           patterned_parameters(parameter_count(c.spec, c.shape, c.outputs)));
    const std::vector<float> x = patterned_records(2, c.shape.size());
    std::vector<float> out(2 * c.outputs);
    model.predict_logits(x.data(), 2, out.data());
    for (std::size_t i = 0; i < out.size(); ++i) {
      EXPECT_NEAR(out[i], c.logits[i], 2e-5) << c.name << " logit " << i;
    }
  }
}

TEST(TorchModel, ForwardShapeSmallCnnImage) {
  const TorchModel model = random_model(ConvSpec::small_cnn(), {3, 8, 8}, 10);
  EXPECT_EQ(model.inputs(), 192u);
  EXPECT_EQ(model.outputs(), 10u);
  const std::vector<float> x = uniform_values(3 * 192, 1.0f, 1);
  std::vector<float> out(3 * 10, NAN);
  model.predict_logits(x.data(), 3, out.data());
  for (const float v : out) {
    EXPECT_TRUE(std::isfinite(v));
  }
  EXPECT_NE(out[0], out[10]);
}

TEST(TorchModel, ForwardShapeSmallCnnEcg) {
  const TorchModel model = random_model(ConvSpec::small_cnn(), {12, 1, 64}, 1);
  EXPECT_EQ(model.inputs(), 768u);
  EXPECT_EQ(model.outputs(), 1u);
  const std::vector<float> x = uniform_values(2 * 768, 1.0f, 2);
  std::vector<float> out(2, NAN);
  model.predict_logits(x.data(), 2, out.data());
  EXPECT_TRUE(std::isfinite(out[0]));
  EXPECT_TRUE(std::isfinite(out[1]));
  EXPECT_NE(out[0], out[1]);
}

TEST(TorchModel, ForwardShapeResNet1d) {
  const TorchModel model = random_model(ConvSpec::resnet1d(3), {12, 1, 50}, 5);
  EXPECT_EQ(model.inputs(), 600u);
  EXPECT_EQ(model.outputs(), 5u);
  EXPECT_EQ(model.parameters().size(), 509573u);
  const std::vector<float> x = uniform_values(2 * 600, 1.0f, 3);
  std::vector<float> out(2 * 5, NAN);
  model.predict_logits(x.data(), 2, out.data());
  for (const float v : out) {
    EXPECT_TRUE(std::isfinite(v));
  }
  EXPECT_NE(out[0], out[5]);
}

TEST(TorchModel, ForwardShapeWideResNet) {
  for (const ConvSpec& spec : {ConvSpec::wide_resnet(16, 4), ConvSpec::wide_resnet(28, 2)}) {
    const TorchModel model = random_model(spec, {3, 8, 8}, 10);
    EXPECT_EQ(model.inputs(), 192u);
    EXPECT_EQ(model.outputs(), 10u);
    const std::vector<float> x = uniform_values(2 * 192, 1.0f, 4);
    std::vector<float> out(2 * 10, NAN);
    model.predict_logits(x.data(), 2, out.data());
    for (const float v : out) {
      EXPECT_TRUE(std::isfinite(v)) << to_string(spec);
    }
    EXPECT_NE(out[0], out[10]) << to_string(spec);
  }
}

TEST(TorchModel, ParametersRoundTrip) {
  const ConvSpec spec = ConvSpec::small_cnn();
  const InputShape shape{1, 8, 8};
  const std::vector<float> values = uniform_values(parameter_count(spec, shape, 1), 0.1f, 6);
  const TorchModel model(spec, shape, 1, values);
  ASSERT_EQ(model.parameters().size(), values.size());
  EXPECT_TRUE(std::equal(values.begin(), values.end(), model.parameters().begin()));
  EXPECT_EQ(model.device(), "cpu");
  EXPECT_EQ(to_string(model.spec()), "small-cnn");
  EXPECT_EQ(model.input_shape().height, 8u);
}

TEST(TorchModel, WrongParameterCount) {
  const ConvSpec spec = ConvSpec::small_cnn();
  const InputShape shape{1, 8, 8};
  const std::vector<float> values(parameter_count(spec, shape, 1) - 1, 0.0f);
  try {
    TorchModel model(spec, shape, 1, values);
    ADD_FAILURE() << "accepted a parameter vector one short";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("cannot load 18976 parameters"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("has 18977"), std::string::npos) << error.what();
  }
}

TEST(TorchModel, CudaWithoutGpuRejected) {
  if (torch_cuda_available()) {
    GTEST_SKIP() << "a GPU is visible";
  }
  const ConvSpec spec = ConvSpec::small_cnn();
  const InputShape shape{1, 8, 8};
  const std::vector<float> values(parameter_count(spec, shape, 1), 0.0f);
  EXPECT_THROW(TorchModel(spec, shape, 1, values, "cuda"), UsageError);
}

TEST(TorchModel, PredictionIndependentOfBatchSize) {
  // 300 records span three blocks of kPredictBlockRows = 128.
  const InputShape shape{2, 8, 8};
  const TorchModel model = random_model(ConvSpec::small_cnn(), shape, 3);
  const std::size_t n = 300;
  const std::vector<float> x = uniform_values(n * shape.size(), 1.0f, 8);
  std::vector<float> together(n * 3);
  model.predict_logits(x.data(), n, together.data());
  for (std::size_t i = 0; i < n; ++i) {
    float alone[3];
    model.predict_logits(x.data() + i * shape.size(), 1, alone);
    for (std::size_t k = 0; k < 3; ++k) {
      ASSERT_NEAR(alone[k], together[i * 3 + k], 1e-5) << "record " << i << " logit " << k;
    }
  }
}

TEST(TorchModel, ConcurrentPredictionsAgree) {
  const InputShape shape{1, 1, 64};
  const TorchModel model = random_model(ConvSpec::resnet1d(1), shape, 1);
  const std::size_t n = 40;
  const std::vector<float> x = uniform_values(n * shape.size(), 1.0f, 9);
  std::vector<float> expected(n);
  model.predict_logits(x.data(), n, expected.data());

  std::vector<std::vector<float>> outputs(4, std::vector<float>(n));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < outputs.size(); ++t) {
    threads.emplace_back([&, t] { model.predict_logits(x.data(), n, outputs[t].data()); });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const std::vector<float>& out : outputs) {
    EXPECT_EQ(out, expected);
  }
}

}  // namespace
}  // namespace privaudit::deep
