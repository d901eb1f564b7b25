// The "gallery" section: the images or ECG traces of the most exposed patients, written only when
// the summary has a "gallery" (the opt-in --gallery of the analyze stage), because it shows
// patient data. Images are PNG data URIs, which the page's Content-Security-Policy allows
// (img-src data:); ECG traces are small inline SVG polylines.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "report/markup.h"
#include "report/palette.h"
#include "report/report_sections.h"

namespace privaudit::report::detail {

namespace {

// Limits that keep the page bounded even for a summary written by hand or by another version. The
// analyze stage writes no more than these.
constexpr std::size_t kMaxPatients = 50;
constexpr std::size_t kMaxRecords = 4;
constexpr std::size_t kMaxLeads = 12;
constexpr std::size_t kMaxPoints = 500;
// Largest image side accepted from the summary, in pixels.
constexpr double kMaxImageSide = 4096.0;

// Images smaller than this many pixels on their longer side are enlarged by a whole factor.
constexpr std::size_t kDisplaySide = 128;

// ECG trace layout, in pixels: one row per lead, the lead name left of the trace.
constexpr double kTraceWidth = 260.0;
constexpr double kLabelWidth = 46.0;
constexpr double kRowHeight = 24.0;
constexpr double kRowPadding = 3.0;

constexpr std::string_view kDataUriPrefix = "data:image/png;base64,";

// True for "data:image/png;base64," followed by base64 digits and padding only, so that nothing
// else can reach the src attribute.
bool is_png_data_uri(const std::string& uri) {
  if (uri.rfind(kDataUriPrefix, 0) != 0 || uri.size() == kDataUriPrefix.size()) return false;
  return std::all_of(uri.begin() + static_cast<std::ptrdiff_t>(kDataUriPrefix.size()), uri.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
           c == '=';
  });
}

// A whole number in [1, kMaxImageSide], or 0.
std::size_t image_side(const Json* object, std::string_view key) {
  const double value = number_at(object, key);
  if (!(value >= 1.0 && value <= kMaxImageSide) || value != std::floor(value)) return 0;
  return static_cast<std::size_t>(value);
}

std::string auc_text(const Json& record) {
  const double auc = number_at(&record, "auc");
  const double se = number_at(&record, "auc_se");
  return std::isnan(se) ? fixed(auc, 3) : fixed(auc, 3) + " ± " + fixed(se, 3);
}

std::string caption(const std::string& id, const Json& record) {
  std::string out = fmt::format("<figcaption><code>{}</code><br>AUC {}", escape_xml(id), escape_xml(auc_text(record)));
  const Json* label = find(&record, "label");
  if (label != nullptr) out += "<br>class: " + escape_xml(text(label, "n/a"));
  return out + "</figcaption>\n";
}

std::string image_figure(const Json& gallery, const std::string& id, const Json& record) {
  const std::string uri = text_at(&record, "image");
  if (!is_png_data_uri(uri)) {
    return "<figure style=\"margin:0\">\n<p class=\"missing\">No image in this summary.</p>\n" + caption(id, record) +
           "</figure>\n";
  }
  const Json* shape = find(&gallery, "image");
  const std::size_t width = image_side(shape, "width");
  const std::size_t height = image_side(shape, "height");
  std::string size;
  if (width > 0 && height > 0) {
    // Small images are enlarged by a whole factor with pixelated rendering, so each pixel stays a
    // sharp square and the image is what the model saw.
    const std::size_t factor = std::max<std::size_t>(1, kDisplaySide / std::max(width, height));
    size = fmt::format(" width=\"{}\" height=\"{}\"{}", width * factor, height * factor,
                       factor > 1 ? " style=\"image-rendering: pixelated\"" : "");
  }
  const std::string alt = fmt::format("Patient {}, record AUC {}", id, auc_text(record));
  return fmt::format("<figure style=\"margin:0\">\n<img src=\"{}\"{} alt=\"{}\">\n{}</figure>\n", escape_xml(uri), size,
                     escape_xml(alt), caption(id, record));
}

// The values of a lead: a string of comma-separated numbers as the analyze stage writes it, or an
// array of numbers. An empty or invalid field, or a non-number, is NaN.
std::vector<double> lead_values(const Json& lead) {
  if (!lead.is_string()) return numbers(&lead);
  const std::string& text = lead.get_ref<const std::string&>();
  std::vector<double> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    double value = std::numeric_limits<double>::quiet_NaN();
    const auto [rest, error] = std::from_chars(text.data() + start, text.data() + end, value);
    if (error != std::errc() || rest != text.data() + end) value = std::numeric_limits<double>::quiet_NaN();
    out.push_back(value);
    if (end == text.size()) return out;
    start = end + 1;
  }
}

// One polyline of a lead in the row starting at `top`: every k-th value so that at most kMaxPoints
// remain, scaled to the row by the lead's own range. Non-numbers are left out.
std::string lead_polyline(const std::vector<double>& values, double top) {
  const std::size_t step = std::max<std::size_t>(1, (values.size() + kMaxPoints - 1) / kMaxPoints);
  std::vector<std::pair<std::size_t, double>> finite_points;
  for (std::size_t i = 0; i < values.size(); i += step) {
    if (std::isfinite(values[i])) finite_points.emplace_back(i / step, values[i]);
  }
  if (finite_points.empty()) return "";
  const auto [low, high] = std::minmax_element(finite_points.begin(), finite_points.end(),
                                               [](const auto& a, const auto& b) { return a.second < b.second; });
  const double lo = low->second;
  const double hi = high->second;
  const std::size_t slots = (values.size() + step - 1) / step;
  const double plot_width = kTraceWidth - kLabelWidth - 2.0;
  const double plot_height = kRowHeight - 2.0 * kRowPadding;
  std::string points;
  for (const auto& [slot, value] : finite_points) {
    const double x = kLabelWidth + (slots > 1 ? plot_width * static_cast<double>(slot) / static_cast<double>(slots - 1) : 0.0);
    const double y = hi > lo ? top + kRowPadding + (hi - value) / (hi - lo) * plot_height : top + kRowHeight / 2.0;
    if (!points.empty()) points += ' ';
    points += format_coordinate(x) + "," + format_coordinate(y);
  }
  return fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>\n", points, kBlue);
}

std::string ecg_figure(const Json& gallery, const std::string& id, const Json& record) {
  const Json& leads = array_or_empty(find(&record, "leads"));
  if (leads.empty()) {
    return "<figure style=\"margin:0\">\n<p class=\"missing\">No trace in this summary.</p>\n" + caption(id, record) +
           "</figure>\n";
  }
  const Json& names = array_or_empty(find_path(gallery, {"ecg", "lead_names"}));
  const std::size_t rows = std::min(leads.size(), kMaxLeads);
  const double height = kRowHeight * static_cast<double>(rows);
  std::string svg = fmt::format(
      "<svg class=\"ecg-trace\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" "
      "width=\"{}\" height=\"{}\">\n",
      escape_xml(fmt::format("ECG of patient {}, record AUC {}", id, auc_text(record))),
      format_coordinate(kTraceWidth), format_coordinate(height), format_coordinate(kTraceWidth),
      format_coordinate(height));
  for (std::size_t lead = 0; lead < rows; ++lead) {
    const double top = kRowHeight * static_cast<double>(lead);
    std::string name = lead < names.size() ? text(&names[lead]) : "";
    if (name.empty()) name = fmt::format("lead {}", lead + 1);
    svg += fmt::format("<text x=\"2\" y=\"{}\" font-size=\"10\" fill=\"#5a5a5f\">{}</text>\n",
                       format_coordinate(top + kRowHeight / 2.0 + 3.5), escape_xml(name));
    svg += lead_polyline(lead_values(leads[lead]), top);
  }
  svg += "</svg>\n";
  return "<figure style=\"margin:0\">\n" + svg + caption(id, record) + "</figure>\n";
}

std::string introduction(const Json& gallery, bool ecg, std::size_t patients_shown, bool pseudonymized) {
  const double listed = number_at(&gallery, "listed_patients");
  std::string out = fmt::format(
      "<p>The {} most exposed patients{}, highest joint AUC first, with up to {} records each, the most exposed "
      "record first. Under each {}: the patient id, the record's membership AUC ± its standard error, and its "
      "class.",
      count_text(static_cast<double>(patients_shown)),
      std::isfinite(listed) && listed > static_cast<double>(patients_shown)
          ? fmt::format(" of the {} listed above", count_text(listed))
          : std::string(" listed above"),
      kMaxRecords, ecg ? "trace" : "image");
  if (ecg) {
    const Json* meta = find(&gallery, "ecg");
    const double rate = number_at(meta, "rate_hz");
    const double step = number_at(meta, "step");
    out += fmt::format(
        " Each trace shows the z-scored leads as the models saw them{}{}, each lead scaled to its own range.",
        std::isfinite(rate) ? fmt::format(", resampled to {} Hz", format_significant(rate)) : std::string(),
        std::isfinite(step) && step > 1.0 ? fmt::format(", drawn from one sample in {}", count_text(step))
                                          : std::string());
  } else {
    const Json* meta = find(&gallery, "image");
    const std::size_t width = image_side(meta, "width");
    const std::size_t source_width = image_side(meta, "source_width");
    out += " Each image is shown as the models saw it, after resizing";
    if (width > 0 && source_width > width) {
      out += fmt::format(" and then shrunk from {0} to {1} pixels wide for this gallery", source_width, width);
    }
    out += ".";
  }
  if (pseudonymized) {
    out += " Pseudonymous ids do not hide who a patient is: an image or trace can identify them by itself.";
  }
  return out + "</p>\n";
}

}  // namespace

std::string render_gallery_section(const Json& summary) {
  const Json* gallery = find(&summary, "gallery");
  if (gallery == nullptr) return "";
  std::string out = "<section id=\"gallery\">\n<h2>Gallery of the most exposed patients</h2>\n";
  out += fmt::format(
      "<p role=\"note\" style=\"border-left: 5px solid {}; padding: 6px 12px; background: #f5f6f8\"><strong>This "
      "section shows patient data.</strong> Share this report only within the audit team.</p>\n",
      kVermillion);

  const std::string modality = text_at(gallery, "modality");
  const Json& patients = array_or_empty(find(gallery, "patients"));
  if (modality != "image" && modality != "ecg") {
    return out + "<p class=\"missing\">The gallery in this summary has no known modality (image or ecg).</p>\n" +
           "</section>\n";
  }
  if (patients.empty()) {
    return out + "<p class=\"missing\">The gallery in this summary lists no patients.</p>\n</section>\n";
  }
  const bool ecg = modality == "ecg";
  const std::size_t patients_shown = std::min(patients.size(), kMaxPatients);
  const bool pseudonymized = text(find_path(summary, {"config", "analysis", "pseudonymized_ids"})) == "true";
  out += introduction(*gallery, ecg, patients_shown, pseudonymized);

  out += "<div class=\"gallery\" style=\"display: flex; flex-wrap: wrap; gap: 16px 20px; align-items: flex-start\">\n";
  for (std::size_t n = 0; n < patients_shown; ++n) {
    const Json& patient = patients[n];
    const std::string id = text_at(&patient, "id", "n/a");
    const Json& records = array_or_empty(find(&patient, "records"));
    for (std::size_t r = 0; r < std::min(records.size(), kMaxRecords); ++r) {
      out += ecg ? ecg_figure(*gallery, id, records[r]) : image_figure(*gallery, id, records[r]);
    }
  }
  out += "</div>\n";
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
