#include "report/markup_checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace privaudit::report::testing {

namespace {

const std::set<std::string> kVoidElements = {"area", "base", "br", "col", "embed", "hr", "img",
                                             "input", "link", "meta", "source", "track", "wbr"};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '-' || c == '.';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Checker {
 public:
  Checker(std::string_view text, MarkupDialect dialect) : text_(text), dialect_(dialect) {}

  std::string run() {
    skip_prolog();
    while (error_.empty() && pos_ < text_.size()) {
      if (text_[pos_] == '<') {
        tag();
      } else {
        text_run();
      }
    }
    if (error_.empty() && !open_.empty()) {
      fail(fmt::format("end of input with <{}> still open", open_.back()));
    }
    if (error_.empty() && roots_ == 0) fail("no root element");
    return error_;
  }

 private:
  void fail(const std::string& message) {
    if (error_.empty()) error_ = fmt::format("offset {}: {}", pos_, message);
  }

  bool starts_with(std::string_view prefix, bool ignore_case = false) const {
    if (text_.size() - pos_ < prefix.size()) return false;
    const std::string_view window = text_.substr(pos_, prefix.size());
    return ignore_case ? lower(window) == lower(prefix) : window == prefix;
  }

  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  void skip_prolog() {
    skip_spaces();
    if (starts_with("<?xml")) {
      const auto end = text_.find("?>", pos_);
      if (end == std::string_view::npos) return fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    skip_spaces();
    if (dialect_ == MarkupDialect::html && starts_with("<!doctype", true)) {
      const auto end = text_.find('>', pos_);
      if (end == std::string_view::npos) return fail("unterminated DOCTYPE");
      pos_ = end + 1;
    }
  }

  // Checks entities and raw '<' in character data up to the next tag.
  void text_run() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '<') {
      if (text_[pos_] == '&') {
        entity();
        if (!error_.empty()) return;
      } else {
        ++pos_;
      }
    }
    const std::string_view run = text_.substr(start, pos_ - start);
    const bool blank = std::all_of(run.begin(), run.end(), is_space);
    if (open_.empty() && !blank) {
      pos_ = start;
      fail("text outside the root element");
    }
  }

  void entity() {
    const auto end = text_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 10) return fail("'&' that does not start an entity");
    const std::string_view name = text_.substr(pos_ + 1, end - pos_ - 1);
    bool valid = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
    if (!valid && name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      valid = !digits.empty() && std::all_of(digits.begin(), digits.end(), [&](char c) {
        return hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : std::isdigit(static_cast<unsigned char>(c)) != 0;
      });
    }
    if (!valid) return fail(fmt::format("unknown entity '&{};'", name));
    pos_ = end + 1;
  }

  std::string name() {
    const std::size_t start = pos_;
    if (pos_ >= text_.size() || !is_name_start(text_[pos_])) return "";
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  void tag() {
    if (starts_with("<!--")) {
      const auto end = text_.find("-->", pos_ + 4);
      if (end == std::string_view::npos) return fail("unterminated comment");
      pos_ = end + 3;
      return;
    }
    if (starts_with("</")) return end_tag();
    start_tag();
  }

  void end_tag() {
    pos_ += 2;
    const std::string tag_name = name();
    skip_spaces();
    if (tag_name.empty() || pos_ >= text_.size() || text_[pos_] != '>') return fail("malformed end tag");
    if (open_.empty()) return fail(fmt::format("end tag </{}> with no open element", tag_name));
    if (!same_name(open_.back(), tag_name)) {
      return fail(fmt::format("end tag </{}> does not match open <{}>", tag_name, open_.back()));
    }
    open_.pop_back();
    ++pos_;
  }

  bool same_name(const std::string& a, const std::string& b) const {
    return dialect_ == MarkupDialect::html ? lower(a) == lower(b) : a == b;
  }

  void start_tag() {
    ++pos_;
    const std::string tag_name = name();
    if (tag_name.empty()) return fail("'<' that does not start a tag");
    if (open_.empty()) {
      if (roots_ > 0) return fail(fmt::format("second root element <{}>", tag_name));
      ++roots_;
    }
    std::set<std::string> attributes;
    bool self_closed = false;
    while (error_.empty()) {
      const std::size_t before_space = pos_;
      skip_spaces();
      if (pos_ >= text_.size()) return fail(fmt::format("unterminated start tag <{}>", tag_name));
      if (text_[pos_] == '>') {
        ++pos_;
        break;
      }
      if (starts_with("/>")) {
        pos_ += 2;
        self_closed = true;
        break;
      }
      if (pos_ == before_space) return fail(fmt::format("missing space between attributes of <{}>", tag_name));
      attribute(tag_name, attributes);
    }
    if (!error_.empty()) return;

    const bool html = dialect_ == MarkupDialect::html;
    if (self_closed || (html && kVoidElements.count(lower(tag_name)) > 0)) return;
    const std::string lowered = lower(tag_name);
    if (html && (lowered == "script" || lowered == "style")) {
      // Raw text: skip to the matching end tag, which end_tag() then checks.
      const auto found = lower(text_.substr(pos_)).find("</" + lowered);
      if (found == std::string::npos) return fail(fmt::format("<{}> without end tag", tag_name));
      pos_ += found;
    }
    open_.push_back(tag_name);
  }

  void attribute(const std::string& tag_name, std::set<std::string>& seen) {
    const std::string attribute_name = name();
    if (attribute_name.empty()) return fail(fmt::format("invalid attribute name in <{}>", tag_name));
    if (!seen.insert(attribute_name).second) {
      return fail(fmt::format("duplicate attribute '{}' in <{}>", attribute_name, tag_name));
    }
    if (pos_ >= text_.size() || text_[pos_] != '=') {
      return fail(fmt::format("attribute '{}' of <{}> has no value", attribute_name, tag_name));
    }
    ++pos_;
    if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'')) {
      return fail(fmt::format("attribute '{}' of <{}> is not quoted", attribute_name, tag_name));
    }
    const char quote = text_[pos_++];
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '<') return fail(fmt::format("raw '<' in attribute '{}'", attribute_name));
      if (text_[pos_] == '&') {
        entity();
        if (!error_.empty()) return;
      } else {
        ++pos_;
      }
    }
    if (pos_ >= text_.size()) return fail(fmt::format("unterminated value of attribute '{}'", attribute_name));
    ++pos_;
  }

  std::string_view text_;
  MarkupDialect dialect_;
  std::size_t pos_ = 0;
  std::vector<std::string> open_;
  int roots_ = 0;
  std::string error_;
};

}  // namespace

std::string check_markup(std::string_view text, MarkupDialect dialect) { return Checker(text, dialect).run(); }

}  // namespace privaudit::report::testing
