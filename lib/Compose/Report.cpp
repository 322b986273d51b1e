//===- Report.cpp - Self-contained HTML reports ---------------------------===//

#include "tilecast/Compose/Prediction.h"

using namespace mlir;
using namespace mlir::tilecast;

// kReportTemplate: python/tilecast/report.html, embedded by CMake.
#include "ReportTemplate.inc"

static constexpr StringLiteral kDataMarker = "/*TILECAST_DATA*/null";

void tilecast::printPredictionHtml(ArrayRef<std::string> jsonDocuments,
                                   raw_ostream &os) {
  StringRef page(kReportTemplate);
  size_t marker = page.find(kDataMarker);
  assert(marker != StringRef::npos && "report template lost its data marker");
  os << page.take_front(marker) << '[';
  for (auto [index, document] : llvm::enumerate(jsonDocuments)) {
    if (index)
      os << ',';
    // Inside <script>, "</script>" or "<!--" in a name would end or
    // confuse the element: every '<' is written as the JSON escape \u003c
    // ('<' only appears inside JSON strings).
    for (char c : StringRef(document).trim()) {
      if (c == '<')
        os << "\\u003c";
      else
        os << c;
    }
  }
  os << ']' << page.drop_front(marker + kDataMarker.size());
}
