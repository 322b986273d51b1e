//===- CommandLine.h - Parsing tools' command lines -------------*- C++ -*-===//
//
// llvm::cl as TileCast's tools use it, with two differences a user expects
// and llvm::cl does not give: an option given twice is an error (llvm::cl
// keeps the last, so `--target=v100 --target=t4` silently means t4), and so
// is an integer option's value written as an octal, hexadecimal or binary
// integer (llvm::cl reads `--batch=010` as 8 and `--batch=0x10` as 16).
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_COMMANDLINE_H
#define TILECAST_SUPPORT_COMMANDLINE_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::tilecast {

/// cl::ParseCommandLineOptions, with an error (exit 1) for an option of a
/// single value given more than once.
void parseToolCommandLine(int argc, char **argv, StringRef overview);

/// Whether `value` is an integer llvm::cl would not read as decimal: a
/// leading zero followed by digits, or a 0x / 0b / 0o prefix.
bool isNonDecimalInteger(StringRef value);

/// llvm::cl's parser of integer options, refusing values that
/// isNonDecimalInteger (`010`, `0x10`, `0b1`) instead of reading them in
/// another radix. Options of other types (file names such as `-o 0123`)
/// take such values as they are.
template <typename T> class DecimalParser : public llvm::cl::basic_parser<T> {
public:
  DecimalParser(llvm::cl::Option &option)
      : llvm::cl::basic_parser<T>(option), parser(option) {}

  bool parse(llvm::cl::Option &option, StringRef argName, StringRef arg,
             T &value) {
    if (isNonDecimalInteger(arg))
      return option.error("'" + arg +
                          "' is not a decimal integer (write it without a "
                          "leading zero or a radix prefix)");
    return parser.parse(option, argName, arg, value);
  }

  StringRef getValueName() const override { return parser.getValueName(); }

  /// llvm::cl prints an option's value (--print-options) through the
  /// parser of its type, which it reaches through this conversion.
  operator const llvm::cl::parser<T> &() const { return parser; }

private:
  /// llvm::cl's own parser of T (final), which reads the decimal values.
  llvm::cl::parser<T> parser;
};

/// An integer option, and a list of them, read as decimal (DecimalParser).
template <typename T>
using DecimalOpt = llvm::cl::opt<T, false, DecimalParser<T>>;
template <typename T>
using DecimalList = llvm::cl::list<T, bool, DecimalParser<T>>;

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_COMMANDLINE_H
