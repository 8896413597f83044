// The start of the agenda library's printable pages (the agenda views and
// the research list): one style for every page a MARAC circulates.
#ifndef MARAC_LIB_AGENDA_PAGE_H_
#define MARAC_LIB_AGENDA_PAGE_H_

#include <string>
#include <string_view>

#include "lib/common/html.h"

namespace marac {

// "<!DOCTYPE html>..." up to and including "<body>", titled `title`.
inline std::string PageStart(std::string_view title) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
         "charset=\"utf-8\">\n<title>" +
         HtmlEscape(title) +
         "</title>\n<style>\nbody{font-family:serif;margin:1.5cm;color:#000}"
         "table{border-collapse:collapse;width:100%;font-size:9pt}"
         "th,td{border:1px solid #000;padding:3pt;vertical-align:top;"
         "text-align:left}th{background:#eee}h1{font-size:16pt}"
         "h2{font-size:13pt}h3{font-size:11pt;margin-bottom:2pt}"
         ".marking{font-weight:bold;border:2px solid #000;padding:4pt;"
         "text-align:center}"
         ".flag{font-weight:bold}tr{page-break-inside:avoid}"
         "section{page-break-inside:avoid}"
         "@media print{body{margin:0}}\n</style>\n</head>\n<body>\n";
}

}  // namespace marac

#endif  // MARAC_LIB_AGENDA_PAGE_H_
