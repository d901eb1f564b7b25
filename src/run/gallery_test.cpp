#include "run/gallery.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "image/png_reader.h"

namespace privaudit::run {
namespace {

using Modality = media::MediaOptions::Modality;
using nlohmann::json;

constexpr char kPngPrefix[] = "data:image/png;base64,";

// The comma-separated fields of a lead string, empty fields kept.
std::vector<std::string> fields(const json& lead) {
  std::vector<std::string> out(1);
  for (const char c : lead.get<std::string>()) {
    if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// Decodes standard base64 with padding; the test's own decoder, independent of the encoder.
std::vector<unsigned char> decode_base64(const std::string& text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<unsigned char> out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=') break;
    bits = (bits << 6) | static_cast<std::uint32_t>(alphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<unsigned char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

image::Image decode_data_uri(const json& uri) {
  const std::string text = uri.get<std::string>();
  EXPECT_EQ(text.rfind(kPngPrefix, 0), 0u) << text.substr(0, 40);
  const std::vector<unsigned char> png = decode_base64(text.substr(sizeof(kPngPrefix) - 1));
  return image::decode_png(png, "gallery");
}

// A run of `records` table records, all in the pool, with one image or ECG per record. Record r
// belongs to pool patient patient_of[r] and has binormal AUC auc[r] and SE 0.01 * r.
struct Fixture {
  std::vector<float> values;
  std::vector<std::uint32_t> pool_records;
  std::vector<std::int32_t> patient_of;
  std::vector<risk::RecordRisk> risk;
  std::vector<std::string> class_names = {"normal", "<abnormal>"};
  std::vector<std::string> lead_names;
  GalleryInputs inputs;

  Fixture(Modality modality, std::size_t channels, std::size_t height, std::size_t width,
          const std::vector<std::int32_t>& patients, const std::vector<double>& auc) {
    const std::size_t records = patients.size();
    values.assign(records * channels * height * width, 0.5f);
    patient_of = patients;
    for (std::size_t r = 0; r < records; ++r) {
      pool_records.push_back(static_cast<std::uint32_t>(r));
      risk::RecordRisk entry;
      entry.auc_binormal = auc[r];
      entry.auc_se = 0.01 * static_cast<double>(r);
      risk.push_back(entry);
    }
    inputs.modality = modality;
    inputs.shape[0] = channels;
    inputs.shape[1] = height;
    inputs.shape[2] = width;
    inputs.ecg_rate_hz = 100.0;
    refresh();
  }

  // Points the views at the vectors again after a test changed them.
  void refresh() {
    inputs.values = values;
    inputs.pool_records = pool_records;
    inputs.pool_patient_of_record = patient_of;
    inputs.record_risk = risk;
    inputs.records = patient_of.size();
    // Odd records have the second class.
    inputs.label_text = [this](std::uint32_t record) { return class_names[record % 2]; };
    inputs.lead_names = lead_names;
  }
};

// The exposed-patient list as analyze writes it, for pool patients 0..n-1 named P-<k>.
json exposed_list(const std::vector<std::size_t>& pool_patients) {
  json out = json::array();
  for (const std::size_t k : pool_patients) {
    out.push_back({{"id", "P-" + std::to_string(k)}, {"joint_auc", 0.9}, {"joint_auc_se", 0.02}, {"records", 1}});
  }
  return out;
}

TEST(Gallery, PatientsInExposedOrder) {
  Fixture f(Modality::kImage, 1, 4, 4, {0, 1, 2}, {0.6, 0.7, 0.8});
  const std::vector<std::size_t> order = {2, 0};
  const json gallery = gallery_json(f.inputs, exposed_list(order), order);
  ASSERT_EQ(gallery.at("patients").size(), 2u);
  EXPECT_EQ(gallery.at("patients")[0].at("id"), "P-2");
  EXPECT_EQ(gallery.at("patients")[1].at("id"), "P-0");
  EXPECT_EQ(gallery.at("patients")[0].at("joint_auc"), 0.9);
  EXPECT_EQ(gallery.at("patients")[0].at("joint_auc_se"), 0.02);
  EXPECT_EQ(gallery.at("listed_patients"), 2);
  EXPECT_EQ(gallery.at("modality"), "image");
}

TEST(Gallery, RecordsMostExposedFirstAndCapped) {
  // Patient 0 has six records; record 3 has no AUC (NaN) and must come last if kept.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Fixture f(Modality::kImage, 1, 4, 4, {0, 0, 0, 0, 0, 0, 1}, {0.55, 0.9, 0.7, nan, 0.9, 0.8, 0.99});
  const std::vector<std::size_t> order = {0};
  const json patient = gallery_json(f.inputs, exposed_list(order), order).at("patients")[0];
  EXPECT_EQ(patient.at("pool_records"), 6);
  const json& records = patient.at("records");
  ASSERT_EQ(records.size(), kGalleryMaxRecords);
  // AUCs 0.9 (record 1), 0.9 (record 4, a tie kept in pool order), 0.8 (record 5), 0.7 (record 2).
  EXPECT_EQ(records[0].at("auc"), 0.9);
  EXPECT_DOUBLE_EQ(records[0].at("auc_se").get<double>(), 0.01);
  EXPECT_EQ(records[1].at("auc"), 0.9);
  EXPECT_DOUBLE_EQ(records[1].at("auc_se").get<double>(), 0.04);
  EXPECT_EQ(records[2].at("auc"), 0.8);
  EXPECT_EQ(records[3].at("auc"), 0.7);
  EXPECT_EQ(records[0].at("label"), "<abnormal>");
  EXPECT_EQ(records[2].at("label"), "<abnormal>");
  EXPECT_EQ(records[3].at("label"), "normal");
}

TEST(Gallery, NanAucIsNullAndLast) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Fixture f(Modality::kImage, 1, 4, 4, {0, 0}, {nan, 0.6});
  const std::vector<std::size_t> order = {0};
  const json records = gallery_json(f.inputs, exposed_list(order), order).at("patients")[0].at("records");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("auc"), 0.6);
  EXPECT_TRUE(records[1].at("auc").is_null());
}

TEST(Gallery, PatientCap) {
  std::vector<std::int32_t> patients;
  std::vector<double> auc;
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < kGalleryMaxPatients + 10; ++k) {
    patients.push_back(static_cast<std::int32_t>(k));
    auc.push_back(0.7);
    order.push_back(k);
  }
  Fixture f(Modality::kImage, 1, 2, 2, patients, auc);
  const json gallery = gallery_json(f.inputs, exposed_list(order), order);
  EXPECT_EQ(gallery.at("patients").size(), kGalleryMaxPatients);
  EXPECT_EQ(gallery.at("listed_patients"), kGalleryMaxPatients + 10);
  EXPECT_EQ(gallery.at("max_patients"), kGalleryMaxPatients);
  EXPECT_EQ(gallery.at("patients").back().at("id"), "P-" + std::to_string(kGalleryMaxPatients - 1));
}

TEST(Gallery, ImageDataUriRoundTrip) {
  Fixture f(Modality::kImage, 1, 2, 3, {0}, {0.8});
  // k / 255 survives 8-bit PNG exactly; out-of-range values are clamped and NaN shows as 0.
  f.values = {0.0f, 51.0f / 255.0f, 1.0f, 1.5f, -0.2f, std::numeric_limits<float>::quiet_NaN()};
  f.refresh();
  const std::vector<std::size_t> order = {0};
  const json gallery = gallery_json(f.inputs, exposed_list(order), order);
  EXPECT_EQ(gallery.at("image"), json({{"channels", 1}, {"height", 2}, {"width", 3},
                                       {"source_height", 2}, {"source_width", 3}}));
  const image::Image picture = decode_data_uri(gallery.at("patients")[0].at("records")[0].at("image"));
  ASSERT_EQ(picture.channels, 1u);
  ASSERT_EQ(picture.height, 2u);
  ASSERT_EQ(picture.width, 3u);
  const std::vector<float> expected = {0.0f, 51.0f / 255.0f, 1.0f, 1.0f, 0.0f, 0.0f};
  for (std::size_t k = 0; k < expected.size(); ++k) EXPECT_FLOAT_EQ(picture.values[k], expected[k]) << k;
}

TEST(Gallery, RgbImageKeepsChannels) {
  Fixture f(Modality::kImage, 3, 2, 2, {0}, {0.8});
  for (std::size_t k = 0; k < f.values.size(); ++k) f.values[k] = static_cast<float>(k / 4) * 0.5f;
  f.refresh();
  const std::vector<std::size_t> order = {0};
  const image::Image picture =
      decode_data_uri(gallery_json(f.inputs, exposed_list(order), order).at("patients")[0].at("records")[0].at("image"));
  ASSERT_EQ(picture.channels, 3u);
  EXPECT_FLOAT_EQ(picture.at(0, 1, 1), 0.0f);
  EXPECT_FLOAT_EQ(picture.at(1, 0, 0), 128.0f / 255.0f);
  EXPECT_FLOAT_EQ(picture.at(2, 1, 0), 1.0f);
}

TEST(Gallery, LargeImageShrunk) {
  const std::size_t side = kGalleryMaxImageSide + 44;
  Fixture f(Modality::kImage, 1, side, side, {0}, {0.8});
  const std::vector<std::size_t> order = {0};
  const json gallery = gallery_json(f.inputs, exposed_list(order), order);
  EXPECT_EQ(gallery.at("image").at("height"), kGalleryMaxImageSide);
  EXPECT_EQ(gallery.at("image").at("source_height"), side);
  const image::Image picture = decode_data_uri(gallery.at("patients")[0].at("records")[0].at("image"));
  EXPECT_EQ(picture.height, kGalleryMaxImageSide);
  EXPECT_EQ(picture.width, kGalleryMaxImageSide);
  EXPECT_FLOAT_EQ(picture.values[0], 128.0f / 255.0f);
}

TEST(Gallery, EcgDownsampledAndRounded) {
  // 1201 samples: step ceil(1201 / 500) = 3 gives samples 0, 3, ..., 1200, 401 points.
  Fixture f(Modality::kEcg, 2, 1, 1201, {0}, {0.8});
  for (std::size_t s = 0; s < 1201; ++s) {
    f.values[s] = static_cast<float>(s) * 0.00123f;
    f.values[1201 + s] = -1.0f;
  }
  f.values[3] = -0.0002f;
  f.values[6] = std::numeric_limits<float>::infinity();
  f.refresh();
  const std::vector<std::size_t> order = {0};
  const json gallery = gallery_json(f.inputs, exposed_list(order), order);

  const json& ecg = gallery.at("ecg");
  EXPECT_EQ(ecg.at("step"), 3);
  EXPECT_EQ(ecg.at("points"), 401);
  EXPECT_EQ(ecg.at("samples"), 1201);
  EXPECT_EQ(ecg.at("leads"), 2);
  EXPECT_EQ(ecg.at("leads_shown"), 2);
  EXPECT_EQ(ecg.at("rate_hz"), 100.0);
  EXPECT_FALSE(ecg.contains("lead_names"));

  const json& leads = gallery.at("patients")[0].at("records")[0].at("leads");
  ASSERT_EQ(leads.size(), 2u);
  const std::vector<std::string> first = fields(leads[0]);
  ASSERT_EQ(first.size(), 401u);
  ASSERT_LE(first.size(), kGalleryMaxPoints);
  EXPECT_EQ(first[0], "0");
  // -0.0002 rounds to -0, written as 0.
  EXPECT_EQ(first[1], "0");
  // Infinity leaves an empty field.
  EXPECT_EQ(first[2], "");
  // Sample 9: 9 * 0.00123 = 0.01107, rounded to 0.011.
  EXPECT_EQ(first[3], "0.011");
  // Sample 1200: 1200 * 0.00123 = 1.476.
  EXPECT_EQ(first[400], "1.476");

  const std::vector<std::string> second = fields(leads[1]);
  ASSERT_EQ(second.size(), 401u);
  EXPECT_EQ(second[0], "-1");
  EXPECT_EQ(leads[0].get<std::string>().substr(0, 12), "0,0,,0.011,0");
}

TEST(Gallery, EcgShortKeepsEverySample) {
  Fixture f(Modality::kEcg, 1, 1, 16, {0}, {0.8});
  const std::vector<std::size_t> order = {0};
  const json gallery = gallery_json(f.inputs, exposed_list(order), order);
  EXPECT_EQ(gallery.at("ecg").at("step"), 1);
  EXPECT_EQ(fields(gallery.at("patients")[0].at("records")[0].at("leads")[0]).size(), 16u);
}

TEST(Gallery, EcgExactly500Samples) {
  Fixture f(Modality::kEcg, 1, 1, kGalleryMaxPoints, {0}, {0.8});
  const std::vector<std::size_t> order = {0};
  const json gallery = gallery_json(f.inputs, exposed_list(order), order);
  EXPECT_EQ(gallery.at("ecg").at("step"), 1);
  EXPECT_EQ(fields(gallery.at("patients")[0].at("records")[0].at("leads")[0]).size(), kGalleryMaxPoints);
}

TEST(Gallery, EcgLeadCap) {
  Fixture f(Modality::kEcg, 15, 1, 20, {0}, {0.8});
  const std::vector<std::size_t> order = {0};
  const json gallery = gallery_json(f.inputs, exposed_list(order), order);
  EXPECT_EQ(gallery.at("ecg").at("leads"), 15);
  EXPECT_EQ(gallery.at("ecg").at("leads_shown"), kGalleryMaxLeads);
  EXPECT_EQ(gallery.at("patients")[0].at("records")[0].at("leads").size(), kGalleryMaxLeads);
}

TEST(Gallery, LeadNamesWhenKnown) {
  Fixture f(Modality::kEcg, 2, 1, 20, {0}, {0.8});
  f.lead_names = {"I", "II"};
  f.refresh();
  const std::vector<std::size_t> order = {0};
  EXPECT_EQ(gallery_json(f.inputs, exposed_list(order), order).at("ecg").at("lead_names"), json({"I", "II"}));
}

TEST(Gallery, NoExposedPatients) {
  Fixture f(Modality::kImage, 1, 2, 2, {0}, {0.8});
  const json gallery = gallery_json(f.inputs, json::array(), {});
  EXPECT_TRUE(gallery.at("patients").empty());
  EXPECT_EQ(gallery.at("listed_patients"), 0);
}

TEST(Gallery, TableRunRejected) {
  Fixture f(Modality::kTable, 1, 2, 2, {0}, {0.8});
  const std::vector<std::size_t> order = {0};
  EXPECT_THROW(gallery_json(f.inputs, exposed_list(order), order), UsageError);
}

TEST(Gallery, CheckModalityRejectsTable) {
  RunContext context;
  context.layout.dir = "runs/table";
  try {
    check_gallery_modality(context);
    FAIL() << "a table run was accepted";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("ECG and image audits"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("runs/table"), std::string::npos) << error.what();
  }
  context.media.modality = Modality::kImage;
  EXPECT_NO_THROW(check_gallery_modality(context));
}

TEST(Gallery, MismatchedSizesAreInternalErrors) {
  Fixture f(Modality::kImage, 1, 2, 2, {0, 1}, {0.8, 0.7});
  const std::vector<std::size_t> order = {0, 1};
  EXPECT_THROW(gallery_json(f.inputs, exposed_list({0}), order), InternalError);
  f.values.pop_back();
  f.refresh();
  EXPECT_THROW(gallery_json(f.inputs, exposed_list(order), order), InternalError);
}

}  // namespace
}  // namespace privaudit::run
