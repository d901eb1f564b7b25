#include "ecg/ecg_preprocess.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "core/error.h"
#include "ecg/ecg_test_files.h"

namespace privaudit::ecg {
namespace {

using testing::expect_error;

// The first `count` MIT-BIH record 208 samples in mV, rounded to float as read_wfdb returns them.
std::vector<double> mitbih_millivolts(std::size_t count) {
  const testing::IntegerTable table = testing::read_ecg_csv("ecg_scipy_mitbih208.csv");
  std::vector<double> values;
  for (std::size_t i = 0; i < count; ++i) {
    values.push_back(static_cast<float>((table.columns[0][i] - 1024) / 200.0));
  }
  return values;
}

// The first `count` samples of lead `lead` of the 12-lead ECG in mV (1.25 uV per unit).
std::vector<double> twelve_lead_millivolts(std::size_t lead, std::size_t count) {
  const testing::IntegerTable table = testing::read_ecg_csv("ecg_pydicom_12lead.csv");
  std::vector<double> values;
  for (std::size_t i = 0; i < count; ++i) values.push_back(static_cast<float>(table.columns[lead][i] / 800.0));
  return values;
}

EcgRecord make_record(std::size_t leads, std::size_t samples, double rate, std::vector<float> values) {
  EcgRecord record;
  record.leads = leads;
  record.samples = samples;
  record.sampling_rate_hz = rate;
  record.lead_names.assign(leads, "");
  record.values = std::move(values);
  return record;
}

TEST(ResamplePoly, MitBih360To500Pinned) {
  const std::vector<double> x = mitbih_millivolts(40);
  const std::vector<double> y = resample_poly(x, 25, 18);
  ASSERT_EQ(y.size(), 56u);
  // scipy 1.10.1 scipy.signal.resample_poly(x, 25, 18) on the same 40 float32 values as float64.
  EXPECT_NEAR(y[0], -0.24516517358761863, 1e-12);
  EXPECT_NEAR(y[1], -0.24670263942184678, 1e-12);
  EXPECT_NEAR(y[2], -0.1824368168045973, 1e-12);
  EXPECT_NEAR(y[10], -0.1661906331132266, 1e-12);
  EXPECT_NEAR(y[27], -0.19607696754665738, 1e-12);
  EXPECT_NEAR(y[40], -0.20713852295021457, 1e-12);
  EXPECT_NEAR(y[54], -0.2080404006759461, 1e-12);
  EXPECT_NEAR(y[55], -0.07605433725952915, 1e-12);
}

TEST(ResamplePoly, MitBih360To100Pinned) {
  const std::vector<double> x = mitbih_millivolts(40);
  const std::vector<double> y = resample_poly(x, 5, 18);
  // scipy 1.10.1 scipy.signal.resample_poly(x, 5, 18): all 12 outputs.
  const std::vector<double> expected = {
      -0.13929850250205408, -0.19913029779119223, -0.15132601367790702, -0.20050976610538906,
      -0.20457567587975056, -0.18278446291875375, -0.20800255340852258, -0.2132875413658813,
      -0.22543532635456978, -0.18236651548207972, -0.22294056243042382, -0.0942272838875326};
  ASSERT_EQ(y.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y[i], expected[i], 1e-12) << "output " << i;
}

TEST(ResamplePoly, TwelveLead1000To500Pinned) {
  const std::vector<double> x = twelve_lead_millivolts(0, 30);
  const std::vector<double> y = resample_poly(x, 1, 2);
  ASSERT_EQ(y.size(), 15u);
  // scipy 1.10.1 scipy.signal.resample_poly(x, 1, 2) on lead I, samples 0-29, in mV.
  EXPECT_NEAR(y[0], 0.07314825933158585, 1e-12);
  EXPECT_NEAR(y[1], 0.06734532670106273, 1e-12);
  EXPECT_NEAR(y[7], 0.06010622012391647, 1e-12);
  EXPECT_NEAR(y[14], 0.0502969872571991, 1e-12);
}

TEST(ResamplePoly, ReducesFactors) {
  const std::vector<double> x = mitbih_millivolts(40);
  EXPECT_EQ(resample_poly(x, 50, 36), resample_poly(x, 25, 18));
}

TEST(ResamplePoly, EqualFactorsCopy) {
  const std::vector<double> x = {1.0, -2.0, 3.5};
  EXPECT_EQ(resample_poly(x, 7, 7), x);
}

TEST(ResamplePoly, OutputLengthRoundsUp) {
  const std::vector<double> x(10, 0.0);
  EXPECT_EQ(resample_poly(x, 1, 3).size(), 4u);  // ceil(10 / 3)
  EXPECT_EQ(resample_poly(x, 3, 1).size(), 30u);
  EXPECT_EQ(resample_poly(std::vector<double>(1, 1.0), 1, 4).size(), 1u);
}

TEST(ResamplePoly, KeepsConstantAwayFromEdges) {
  const std::vector<double> x(2000, 1.0);
  const std::vector<double> y = resample_poly(x, 25, 18);
  // The Kaiser (beta 5) filter's polyphase components each have DC gain 1 within its ripple, so
  // samples far from the zero-padded ends stay near 1.
  for (std::size_t i = 400; i < 2400; ++i) EXPECT_NEAR(y[i], 1.0, 1e-2) << "output " << i;
}

TEST(Resample, RecordMatchesScipyPerLead) {
  const std::vector<double> lead0 = mitbih_millivolts(40);
  const std::vector<double> lead1 = twelve_lead_millivolts(1, 40);
  std::vector<float> values(lead0.begin(), lead0.end());
  values.insert(values.end(), lead1.begin(), lead1.end());
  EcgRecord record = make_record(2, 40, 360.0, values);
  record.lead_names = {"MLII", "II"};

  const EcgRecord result = resample(record, 500.0);
  EXPECT_EQ(result.leads, 2u);
  EXPECT_EQ(result.samples, 56u);
  EXPECT_EQ(result.sampling_rate_hz, 500.0);
  EXPECT_EQ(result.lead_names, record.lead_names);
  ASSERT_EQ(result.values.size(), 112u);
  // scipy 1.10.1 scipy.signal.resample_poly(lead, 25, 18), rounded to float32.
  EXPECT_FLOAT_EQ(result.at(0, 0), -0.24516517f);
  EXPECT_FLOAT_EQ(result.at(0, 13), -0.15142025f);
  EXPECT_FLOAT_EQ(result.at(0, 30), -0.20783086f);
  EXPECT_FLOAT_EQ(result.at(0, 55), -0.076054335f);
  EXPECT_FLOAT_EQ(result.at(1, 0), 0.11257584f);
  EXPECT_FLOAT_EQ(result.at(1, 13), 0.08703179f);
  EXPECT_FLOAT_EQ(result.at(1, 30), 0.08647655f);
  EXPECT_FLOAT_EQ(result.at(1, 55), 0.028830618f);
}

TEST(Resample, SameRateReturnsCopy) {
  const EcgRecord record = make_record(1, 3, 250.0, {1.0f, 2.0f, 3.0f});
  const EcgRecord result = resample(record, 250.0);
  EXPECT_EQ(result.values, record.values);
  EXPECT_EQ(result.samples, 3u);
}

TEST(Resample, NonIntegerRatesWithSimpleRatio) {
  // 257.5 Hz to 103 Hz is 2 / 5.
  const EcgRecord record = make_record(1, 10, 257.5, std::vector<float>(10, 0.0f));
  const EcgRecord result = resample(record, 103.0);
  EXPECT_EQ(result.samples, 4u);
  EXPECT_EQ(result.sampling_rate_hz, 103.0);
}

TEST(Resample, IrrationalRatioRejected) {
  const EcgRecord record = make_record(1, 10, 360.0, std::vector<float>(10, 0.0f));
  expect_error<UsageError>([&] { resample(record, 360.0 * std::numbers::pi); },
                           {"360 Hz", "not a fraction", "10000"});
}

TEST(Resample, InvalidTargetRejected) {
  const EcgRecord record = make_record(1, 10, 360.0, std::vector<float>(10, 0.0f));
  expect_error<UsageError>([&] { resample(record, 0.0); }, {"0 Hz", "> 0"});
  expect_error<UsageError>([&] { resample(record, -500.0); }, {"-500"});
  expect_error<UsageError>([&] { resample(record, std::numeric_limits<double>::quiet_NaN()); },
                           {"nan"});
}

TEST(FitLength, KeepsFirstSamplesOfEachLead) {
  const EcgRecord record = make_record(2, 5, 100.0, {1, 2, 3, 4, 5, 10, 20, 30, 40, 50});
  const EcgRecord result = fit_length(record, 3);
  EXPECT_EQ(result.leads, 2u);
  EXPECT_EQ(result.samples, 3u);
  EXPECT_EQ(result.sampling_rate_hz, 100.0);
  EXPECT_EQ(result.values, (std::vector<float>{1, 2, 3, 10, 20, 30}));
}

TEST(FitLength, EqualLengthUnchanged) {
  const EcgRecord record = make_record(1, 4, 100.0, {1, 2, 3, 4});
  EXPECT_EQ(fit_length(record, 4).values, record.values);
}

TEST(FitLength, ShorterRecordRejected) {
  const EcgRecord record = make_record(1, 3, 100.0, {1, 2, 3});
  expect_error<InputError>([&] { fit_length(record, 5); },
                           {"3 samples per lead", "0.03 s at 100 Hz", "5 required", "shorter length"});
}

TEST(FitLength, ZeroLengthRejected) {
  const EcgRecord record = make_record(1, 3, 100.0, {1, 2, 3});
  EXPECT_THROW(fit_length(record, 0), UsageError);
}

TEST(NormalizePerLead, HandComputedZScores) {
  EcgRecord record = make_record(1, 4, 100.0, {1, 2, 3, 4});
  normalize_per_lead(record);
  // mean 2.5, population SD sqrt(1.25) = 1.118033988749895.
  EXPECT_FLOAT_EQ(record.values[0], -1.3416407864998738f);
  EXPECT_FLOAT_EQ(record.values[1], -0.4472135954999579f);
  EXPECT_FLOAT_EQ(record.values[2], 0.4472135954999579f);
  EXPECT_FLOAT_EQ(record.values[3], 1.3416407864998738f);
}

TEST(NormalizePerLead, LeadsIndependent) {
  EcgRecord record = make_record(2, 2, 100.0, {0, 2, 100, 300});
  normalize_per_lead(record);
  EXPECT_EQ(record.values, (std::vector<float>{-1, 1, -1, 1}));
}

TEST(NormalizePerLead, ConstantLeadBecomesZeros) {
  EcgRecord record = make_record(2, 3, 100.0, {0.1f, 0.1f, 0.1f, 1, 2, 3});
  normalize_per_lead(record);
  EXPECT_EQ(record.values[0], 0.0f);
  EXPECT_EQ(record.values[1], 0.0f);
  EXPECT_EQ(record.values[2], 0.0f);
  EXPECT_FLOAT_EQ(record.values[5], 1.2247448713915890f);  // sqrt(1.5)
}

TEST(NormalizePerLead, SingleSampleBecomesZero) {
  EcgRecord record = make_record(1, 1, 100.0, {42.0f});
  normalize_per_lead(record);
  EXPECT_EQ(record.values[0], 0.0f);
}

TEST(NormalizePerLead, NanLeadStaysNan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EcgRecord record = make_record(2, 2, 100.0, {1.0f, nan, 1.0f, 3.0f});
  normalize_per_lead(record);
  EXPECT_TRUE(std::isnan(record.values[0]));
  EXPECT_TRUE(std::isnan(record.values[1]));
  EXPECT_FLOAT_EQ(record.values[2], -1.0f);
  EXPECT_FLOAT_EQ(record.values[3], 1.0f);
}

TEST(NormalizePerLead, RealEcgHasMeanZeroSdOne) {
  const std::vector<double> lead = mitbih_millivolts(3600);
  EcgRecord record = make_record(1, lead.size(), 360.0, std::vector<float>(lead.begin(), lead.end()));
  normalize_per_lead(record);
  double sum = 0.0;
  double squares = 0.0;
  for (const float value : record.values) sum += value;
  for (const float value : record.values) squares += static_cast<double>(value) * value;
  const double mean = sum / 3600.0;
  EXPECT_NEAR(mean, 0.0, 1e-6);
  EXPECT_NEAR(squares / 3600.0 - mean * mean, 1.0, 1e-5);
}

}  // namespace
}  // namespace privaudit::ecg
