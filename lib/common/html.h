// Text escaping for the library's own pages and tables, HTML and
// Markdown (not public API).
#ifndef MARAC_LIB_COMMON_HTML_H_
#define MARAC_LIB_COMMON_HTML_H_

#include <string>
#include <string_view>

namespace marac {

// `text` safe inside an element or a quoted attribute.
inline std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// `text` safe inside a Markdown table cell: no pipe ends the cell and no
// line break ends the row.
inline std::string MarkdownCell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace marac

#endif  // MARAC_LIB_COMMON_HTML_H_
