// The page around the sections of an HTML report: head with the Content-Security-Policy, styles
// and print CSS, the header, the section navigation, the footer and the rendered marker. Internal
// to the report module. Both the single-run report (html_report) and the sweep report
// (sweep_report) use it, so the two pages look and print alike.
#pragma once

#include <string>
#include <vector>

namespace privaudit::report::detail {

// One entry of the section navigation: the id of a <section> and its link text.
struct SectionLink {
  std::string id;     // element id, [a-z0-9-]+, inserted as is
  std::string title;  // link text, escaped here
};

// The parts of a page. Fields ending in `_html` are markup that the caller has already escaped.
struct PageParts {
  std::string title;                  // <title> text, escaped here
  std::string heading;                // <h1> text, escaped here
  std::string subtitle_html;          // content of the <p class="subtitle"> under the heading
  std::vector<SectionLink> sections;  // navigation links, in page order
  std::string main_html;              // the sections, placed inside <main>
  std::string footer_html;            // content of the footer paragraph
};

// Assembles the complete self-contained HTML document.
std::string render_page(const PageParts& page);

}  // namespace privaudit::report::detail
