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
    // Inside <script>, "</" could end the element: write it as "<\/".
    StringRef rest = StringRef(document).trim();
    for (size_t slash; (slash = rest.find("</")) != StringRef::npos;) {
      os << rest.take_front(slash) << "<\\/";
      rest = rest.drop_front(slash + 2);
    }
    os << rest;
  }
  os << ']' << page.drop_front(marker + kDataMarker.size());
}
