// Test helper: a small well-formedness checker for the SVG and HTML that this module writes.
// It checks the structure only (tags nest and close, attributes are quoted and unique, every & is
// an entity, no raw < in text), not a schema. It accepts the subset of markup that we generate.
#pragma once

#include <string>
#include <string_view>

namespace privaudit::report::testing {

enum class MarkupDialect {
  xml,   // one root element; every element closed or self-closed
  html,  // optional <!DOCTYPE html>; void elements (meta, br, ...) need no end tag; the content of
         // <script> and <style> is raw text up to its end tag
};

// Returns an empty string for well-formed markup, else the first problem with its byte offset.
std::string check_markup(std::string_view text, MarkupDialect dialect);

}  // namespace privaudit::report::testing
