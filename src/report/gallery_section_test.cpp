#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "report/html_report.h"
#include "report/markup_checker.h"

namespace privaudit::report {
namespace {

using nlohmann::json;

// The NMES 1988 summary of html_report_test.cpp, which has no gallery.
json fixture() {
  static const json kFixture =
      json::parse(read_file(std::filesystem::path(PRIVAUDIT_SOURCE_DIR) / "src/report/testdata/summary_fixture.json"));
  return kFixture;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

// A one-pixel 8-bit gray PNG (value 128) as a data URI, written with Python's zlib and struct.
const char* const kPixel =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==";

json image_record(double auc, double se, const std::string& label) {
  return {{"label", label}, {"auc", auc}, {"auc_se", se}, {"image", kPixel}};
}

// A gallery of 28 x 28 gray images: `patients` patients with `records` records each.
json image_gallery(std::size_t patients, std::size_t records) {
  json list = json::array();
  for (std::size_t k = 0; k < patients; ++k) {
    json entries = json::array();
    for (std::size_t r = 0; r < records; ++r) entries.push_back(image_record(0.95, 0.012, "T-shirt"));
    list.push_back({{"id", "patient-" + std::to_string(k)},
                    {"joint_auc", 0.97},
                    {"joint_auc_se", 0.01},
                    {"pool_records", records},
                    {"records", entries}});
  }
  return {{"modality", "image"},
          {"listed_patients", patients},
          {"image", {{"channels", 1}, {"height", 28}, {"width", 28}, {"source_height", 28}, {"source_width", 28}}},
          {"patients", list}};
}

// A gallery of one patient with one ECG whose leads have the given numbers of points, each lead a
// comma-separated string as the analyze stage writes it.
json ecg_gallery(const std::vector<std::size_t>& points) {
  json leads = json::array();
  for (const std::size_t n : points) {
    std::string values;
    for (std::size_t i = 0; i < n; ++i) values += (i > 0 ? "," : "") + std::to_string(static_cast<int>(i % 7) - 3);
    leads.push_back(values);
  }
  const json record = {{"label", "AF"}, {"auc", 0.91}, {"auc_se", 0.03}, {"leads", leads}};
  return {{"modality", "ecg"},
          {"listed_patients", 1},
          {"ecg", {{"leads", points.size()}, {"samples", 1000}, {"step", 2}, {"rate_hz", 100.0}}},
          {"patients", json::array({{{"id", "ecg-patient"}, {"records", json::array({record})}}})}};
}

json with_gallery(const json& gallery) {
  json summary = fixture();
  summary["gallery"] = gallery;
  return summary;
}

// The number of points of each <polyline> in `html`, in order.
std::vector<std::size_t> polyline_points(const std::string& html) {
  std::vector<std::size_t> out;
  for (auto at = html.find("<polyline points=\""); at != std::string::npos;
       at = html.find("<polyline points=\"", at + 1)) {
    const std::size_t start = at + 18;
    const std::string points = html.substr(start, html.find('"', start) - start);
    out.push_back(points.empty() ? 0 : count(points, " ") + 1);
  }
  return out;
}

// The text of the gallery section, or "" when there is none.
std::string gallery_section(const std::string& html) {
  const auto start = html.find("<section id=\"gallery\">");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</section>", start) + 10 - start);
}

TEST(GallerySection, AbsentWithoutGallery) {
  const std::string html = render_report(fixture());
  EXPECT_EQ(count(html, "id=\"gallery\""), 0u);
  EXPECT_EQ(count(html, "href=\"#gallery\""), 0u);
  EXPECT_EQ(count(html, "data:image/png"), 0u);
  EXPECT_EQ(count(html, "patient data"), 0u);
}

TEST(GallerySection, NullGalleryLeavesPageUnchanged) {
  EXPECT_EQ(render_report(with_gallery(nullptr)), render_report(fixture()));
}

TEST(GallerySection, PresentAfterPatients) {
  const std::string html = render_report(with_gallery(image_gallery(2, 1)));
  EXPECT_EQ(count(html, "<section id=\"gallery\">\n<h2>"), 1u);
  EXPECT_EQ(count(html, "href=\"#gallery\""), 1u);
  const auto patients = html.find("<section id=\"patients\">");
  const auto gallery = html.find("<section id=\"gallery\">");
  const auto methods = html.find("<section id=\"methods\">");
  EXPECT_LT(patients, gallery);
  EXPECT_LT(gallery, methods);
  EXPECT_LT(html.find("href=\"#patients\""), html.find("href=\"#gallery\""));
  EXPECT_LT(html.find("href=\"#gallery\""), html.find("href=\"#methods\""));
}

TEST(GallerySection, WarnsAboutPatientData) {
  const std::string section = gallery_section(render_report(with_gallery(image_gallery(1, 1))));
  EXPECT_NE(section.find("This section shows patient data."), std::string::npos);
  EXPECT_NE(section.find("only within the audit team"), std::string::npos);
}

TEST(GallerySection, ImagesAsDataUris) {
  const std::string section = gallery_section(render_report(with_gallery(image_gallery(2, 3))));
  EXPECT_EQ(count(section, std::string("<img src=\"") + kPixel + "\""), 6u);
  // 28 pixels enlarged by the whole factor 4 to 112, drawn as sharp squares.
  EXPECT_EQ(count(section, "width=\"112\" height=\"112\" style=\"image-rendering: pixelated\""), 6u);
  EXPECT_EQ(count(section, "alt=\"Patient patient-1, record AUC 0.950 ± 0.012\""), 3u);
  EXPECT_EQ(count(section, "<figcaption><code>patient-0</code><br>AUC 0.950 ± 0.012<br>class: T-shirt</figcaption>"), 3u);
}

TEST(GallerySection, LargeImageNotEnlarged) {
  json gallery = image_gallery(1, 1);
  gallery["image"]["width"] = 200;
  gallery["image"]["height"] = 200;
  const std::string section = gallery_section(render_report(with_gallery(gallery)));
  EXPECT_EQ(count(section, "width=\"200\" height=\"200\" alt="), 1u);
  EXPECT_EQ(count(section, "pixelated"), 0u);
}

TEST(GallerySection, ShrunkImageSaysSo) {
  json gallery = image_gallery(1, 1);
  gallery["image"]["source_width"] = 512;
  const std::string section = gallery_section(render_report(with_gallery(gallery)));
  EXPECT_NE(section.find("shrunk from 512 to 28 pixels wide"), std::string::npos);
}

TEST(GallerySection, InvalidImageSizeLeavesOutAttributes) {
  json gallery = image_gallery(1, 1);
  gallery["image"]["width"] = 12.5;
  const std::string section = gallery_section(render_report(with_gallery(gallery)));
  EXPECT_EQ(count(section, "<img src="), 1u);
  EXPECT_EQ(count(section, "width=\""), 0u);
}

TEST(GallerySection, OnlyPngDataUrisReachSrc) {
  for (const char* uri : {"javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "data:image/png;base64,",
                          "data:image/png;base64,AAAA\" onerror=\"alert(1)", "https://example.org/x.png"}) {
    json gallery = image_gallery(1, 1);
    gallery["patients"][0]["records"][0]["image"] = uri;
    const std::string section = gallery_section(render_report(with_gallery(gallery)));
    EXPECT_EQ(count(section, "<img"), 0u) << uri;
    EXPECT_EQ(count(section, "No image in this summary."), 1u) << uri;
  }
}

TEST(GallerySection, StringsEscaped) {
  json gallery = image_gallery(1, 1);
  gallery["patients"][0]["id"] = "<script>alert(1)</script>";
  gallery["patients"][0]["records"][0]["label"] = "a&b\"c";
  const std::string html = render_report(with_gallery(gallery));
  const std::string section = gallery_section(html);
  EXPECT_EQ(count(html, "<script>alert(1)"), 0u);
  EXPECT_NE(section.find("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"), std::string::npos);
  EXPECT_NE(section.find("alt=\"Patient &lt;script&gt;alert(1)&lt;/script&gt;, record AUC"), std::string::npos);
  EXPECT_NE(section.find("class: a&amp;b&quot;c"), std::string::npos);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(GallerySection, EcgLeadNamesEscaped) {
  json gallery = ecg_gallery({10, 10});
  gallery["ecg"]["lead_names"] = {"<b>I</b>", ""};
  gallery["patients"][0]["id"] = "x\"><svg onload=alert(1)>";
  const std::string html = render_report(with_gallery(gallery));
  const std::string section = gallery_section(html);
  EXPECT_NE(section.find(">&lt;b&gt;I&lt;/b&gt;</text>"), std::string::npos);
  // An empty name falls back to the lead number.
  EXPECT_NE(section.find(">lead 2</text>"), std::string::npos);
  EXPECT_EQ(count(section, "<svg onload"), 0u);
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(GallerySection, ImageMarkupWellFormed) {
  const std::string html = render_report(with_gallery(image_gallery(3, 2)));
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(GallerySection, EcgMarkupWellFormed) {
  const std::string html = render_report(with_gallery(ecg_gallery({500, 500, 3})));
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
  const std::string section = gallery_section(html);
  const auto svg_start = section.find("<svg");
  const auto svg_end = section.find("</svg>");
  ASSERT_NE(svg_start, std::string::npos);
  ASSERT_NE(svg_end, std::string::npos);
  EXPECT_EQ(testing::check_markup(section.substr(svg_start, svg_end + 6 - svg_start), testing::MarkupDialect::xml), "");
}

TEST(GallerySection, EcgOneRowPerLead) {
  const std::string section = gallery_section(render_report(with_gallery(ecg_gallery({100, 20, 5}))));
  EXPECT_EQ(polyline_points(section), (std::vector<std::size_t>{100, 20, 5}));
  for (const char* name : {">lead 1</text>", ">lead 2</text>", ">lead 3</text>"}) {
    EXPECT_EQ(count(section, name), 1u) << name;
  }
  EXPECT_NE(section.find("height=\"72\""), std::string::npos);
  EXPECT_NE(section.find("aria-label=\"ECG of patient ecg-patient, record AUC 0.910 ± 0.030\""), std::string::npos);
  EXPECT_NE(section.find("resampled to 100 Hz, drawn from one sample in 2"), std::string::npos);
}

TEST(GallerySection, EcgPointsCapped) {
  // 2000 values: every 4th is kept, 500 points; 1001 values: every 3rd, 334 points.
  const std::string section = gallery_section(render_report(with_gallery(ecg_gallery({2000, 1001, 500}))));
  EXPECT_EQ(polyline_points(section), (std::vector<std::size_t>{500, 334, 500}));
}

TEST(GallerySection, EcgLeadsCapped) {
  const std::string section = gallery_section(render_report(with_gallery(ecg_gallery(std::vector<std::size_t>(15, 8)))));
  EXPECT_EQ(polyline_points(section).size(), 12u);
  EXPECT_EQ(count(section, ">lead 12</text>"), 1u);
  EXPECT_EQ(count(section, ">lead 13</text>"), 0u);
}

TEST(GallerySection, EcgInvalidFieldsSkipped) {
  json gallery = ecg_gallery({4});
  // Empty fields (non-finite values), text, a number with trailing text, and nan.
  gallery["patients"][0]["records"][0]["leads"][0] = "0.5,,x,1.5,2e,nan,-1";
  const std::string section = gallery_section(render_report(with_gallery(gallery)));
  EXPECT_EQ(polyline_points(section), (std::vector<std::size_t>{3}));
}

TEST(GallerySection, EcgArrayLeadAccepted) {
  json gallery = ecg_gallery({4});
  gallery["patients"][0]["records"][0]["leads"][0] = {0.5, nullptr, "x", 1.5};
  const std::string section = gallery_section(render_report(with_gallery(gallery)));
  EXPECT_EQ(polyline_points(section), (std::vector<std::size_t>{2}));
}

TEST(GallerySection, EcgEmptyLeadDrawsNoLine) {
  json gallery = ecg_gallery({4, 4});
  gallery["patients"][0]["records"][0]["leads"][0] = "";
  const std::string section = gallery_section(render_report(with_gallery(gallery)));
  EXPECT_EQ(polyline_points(section), (std::vector<std::size_t>{4}));
  EXPECT_EQ(count(section, ">lead 1</text>"), 1u);
}

TEST(GallerySection, FlatLeadDrawnMidRow) {
  json gallery = ecg_gallery({3});
  gallery["patients"][0]["records"][0]["leads"][0] = "0,0,0";
  const std::string section = gallery_section(render_report(with_gallery(gallery)));
  EXPECT_NE(section.find("points=\"46,12 152,12 258,12\""), std::string::npos) << section;
}

TEST(GallerySection, PatientsAndRecordsCapped) {
  const std::string section = gallery_section(render_report(with_gallery(image_gallery(60, 6))));
  EXPECT_EQ(count(section, "<img "), 50u * 4u);
  EXPECT_EQ(count(section, "<code>patient-49</code>"), 4u);
  EXPECT_EQ(count(section, "<code>patient-50</code>"), 0u);
  EXPECT_NE(section.find("The 50 most exposed patients of the 60 listed above"), std::string::npos);
}

TEST(GallerySection, MissingAucShowsNotAvailable) {
  json gallery = image_gallery(1, 1);
  gallery["patients"][0]["records"][0]["auc"] = nullptr;
  gallery["patients"][0]["records"][0]["auc_se"] = nullptr;
  const std::string section = gallery_section(render_report(with_gallery(gallery)));
  EXPECT_NE(section.find("<br>AUC n/a<br>"), std::string::npos);
}

TEST(GallerySection, EmptyOrDamagedGallerySaysSo) {
  EXPECT_NE(gallery_section(render_report(with_gallery(json::object()))).find("no known modality"),
            std::string::npos);
  EXPECT_NE(gallery_section(render_report(with_gallery(json::array({1, 2})))).find("no known modality"),
            std::string::npos);
  json empty = image_gallery(0, 0);
  EXPECT_NE(gallery_section(render_report(with_gallery(empty))).find("lists no patients"), std::string::npos);
  const std::string html = render_report(with_gallery(json::object()));
  EXPECT_EQ(testing::check_markup(html, testing::MarkupDialect::html), "");
}

TEST(GallerySection, PseudonymNote) {
  json summary = with_gallery(image_gallery(1, 1));
  summary["config"]["analysis"]["pseudonymized_ids"] = true;
  EXPECT_NE(gallery_section(render_report(summary)).find("Pseudonymous ids do not hide who a patient is"),
            std::string::npos);
  summary["config"]["analysis"]["pseudonymized_ids"] = false;
  EXPECT_EQ(gallery_section(render_report(summary)).find("Pseudonymous ids"), std::string::npos);
}

}  // namespace
}  // namespace privaudit::report
