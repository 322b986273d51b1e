//===- Number.cpp - Strict parsing of numbers in text inputs --------------===//

#include "tilecast/Support/Number.h"

#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <cstdlib>
#include <string>

using namespace mlir;

std::optional<double> tilecast::parseDecimal(StringRef text) {
  StringRef rest = text;
  rest.consume_front("+") || rest.consume_front("-");
  auto takeDigits = [&] {
    size_t n = 0;
    while (n < rest.size() && llvm::isDigit(rest[n]))
      ++n;
    rest = rest.drop_front(n);
    return n;
  };
  size_t mantissaDigits = takeDigits();
  if (rest.consume_front("."))
    mantissaDigits += takeDigits();
  if (mantissaDigits == 0)
    return std::nullopt;
  if (rest.consume_front("e") || rest.consume_front("E")) {
    rest.consume_front("+") || rest.consume_front("-");
    if (takeDigits() == 0)
      return std::nullopt;
  }
  if (!rest.empty())
    return std::nullopt;
  // The form is checked; strtod reads it (overflow gives inf, refused).
  std::string copy = text.str();
  double value = std::strtod(copy.c_str(), nullptr);
  if (!std::isfinite(value))
    return std::nullopt;
  return value;
}
