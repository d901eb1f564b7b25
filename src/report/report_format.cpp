#include "report/report_format.h"

#include <fmt/format.h>

#include <cmath>

namespace privaudit::report {

namespace {

// Family-wise level of the significance marks.
constexpr double kAlpha = 0.05;

}  // namespace

const Json* find(const Json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const auto it = object->find(key);
  if (it == object->end() || it->is_null()) return nullptr;
  return &*it;
}

const Json* find_path(const Json& root, std::initializer_list<std::string_view> keys) {
  const Json* current = &root;
  for (const auto key : keys) {
    current = find(current, key);
    if (current == nullptr) return nullptr;
  }
  return current;
}

const Json& array_or_empty(const Json* value) {
  static const Json kEmpty = Json::array();
  return value != nullptr && value->is_array() ? *value : kEmpty;
}

double number(const Json* value) {
  if (value == nullptr || !value->is_number()) return std::nan("");
  return value->get<double>();
}

double number_at(const Json* object, std::string_view key) { return number(find(object, key)); }

std::string text(const Json* value, std::string_view fallback) {
  if (value == nullptr) return std::string(fallback);
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number() || value->is_boolean()) return value->dump();
  return std::string(fallback);
}

std::string text_at(const Json* object, std::string_view key, std::string_view fallback) {
  return text(find(object, key), fallback);
}

std::vector<double> numbers(const Json* value) {
  std::vector<double> out;
  for (const auto& element : array_or_empty(value)) out.push_back(number(&element));
  return out;
}

std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "∞" : "−∞";
  std::string out = fmt::format("{:.{}f}", value, decimals);
  // "-0.000" reads as a sign that is not there.
  if (out.find_first_not_of("-0.") == std::string::npos && out[0] == '-') out.erase(0, 1);
  return out;
}

std::string count_text(double value) {
  if (!std::isfinite(value)) return "n/a";
  const long long rounded = std::llround(value);
  std::string digits = std::to_string(rounded < 0 ? -rounded : rounded);
  for (int pos = static_cast<int>(digits.size()) - 3; pos > 0; pos -= 3) digits.insert(static_cast<std::size_t>(pos), ",");
  return rounded < 0 ? "-" + digits : digits;
}

std::string p_value_text(double p) {
  if (std::isnan(p)) return "n/a";
  if (p < 0.001) return "< 0.001";
  return fmt::format("{:.3f}", p);
}

std::string p_clause(double p) {
  const std::string value = p_value_text(p);
  return value[0] == '<' ? "p " + value : "p = " + value;
}

std::string percent(double share, int decimals) {
  if (std::isnan(share)) return "n/a";
  return fixed(share * 100.0, decimals) + "%";
}

std::string mean_sd_text(const Json* entry, int decimals) {
  const double mean = number_at(entry, "mean");
  if (std::isnan(mean)) return "n/a";
  const double sd = number_at(entry, "sd");
  return std::isnan(sd) ? fixed(mean, decimals) : fixed(mean, decimals) + " ± " + fixed(sd, decimals);
}

std::string estimate_text(const Json* entry, int decimals, bool as_percent) {
  const auto format = [&](double v) { return as_percent ? percent(v, decimals) : fixed(v, decimals); };
  const double value = number_at(entry, "value");
  if (std::isnan(value)) return "n/a";
  const double low = number_at(entry, "ci_low");
  const double high = number_at(entry, "ci_high");
  if (std::isnan(low) || std::isnan(high)) return format(value);
  return fmt::format("{} ({} to {})", format(value), format(low), format(high));
}

std::string significance_mark(double p_value, std::size_t groups_tested) {
  if (std::isnan(p_value)) return "";
  if (groups_tested > 0 && p_value < kAlpha / static_cast<double>(groups_tested)) return "**";
  if (p_value < kAlpha) return "*";
  return "";
}

std::string slug(std::string_view name) {
  std::string out;
  for (const char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "item" : out;
}

std::string attack_label(const std::string& name) {
  if (name == "lira_online") return "LiRA online";
  if (name == "lira_offline") return "LiRA offline";
  if (name == "rmia_online") return "RMIA online";
  if (name == "rmia_offline") return "RMIA offline";
  if (name == "loss") return "Loss attack";
  return name;
}

}  // namespace privaudit::report
