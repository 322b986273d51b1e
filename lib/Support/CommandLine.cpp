//===- CommandLine.cpp - Command-line parsing of TileCast's tools ---------===//

#include "tilecast/Support/CommandLine.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;
namespace cl = llvm::cl;

bool tilecast::isNonDecimalInteger(StringRef value) {
  value.consume_front("+") || value.consume_front("-");
  if (value.size() < 2 || value[0] != '0')
    return false;
  StringRef rest = value.drop_front();
  if (llvm::all_of(rest, llvm::isDigit))
    return true;
  if (!rest.consume_front_insensitive("x") &&
      !rest.consume_front_insensitive("b") &&
      !rest.consume_front_insensitive("o"))
    return false;
  return !rest.empty() && llvm::all_of(rest, llvm::isHexDigit);
}

void tilecast::parseToolCommandLine(int argc, char **argv, StringRef overview) {
  StringRef tool = llvm::sys::path::filename(argv[0]);
  cl::ParseCommandLineOptions(argc, argv, overview);
  llvm::SmallPtrSet<cl::Option *, 32> seen;
  bool repeated = false;
  for (cl::SubCommand *subcommand : cl::getRegisteredSubcommands()) {
    for (auto &entry : cl::getRegisteredOptions(*subcommand)) {
      cl::Option *option = entry.second;
      // Lists (ZeroOrMore, OneOrMore) take several values by design.
      bool singleValued = option->getNumOccurrencesFlag() == cl::Optional ||
                          option->getNumOccurrencesFlag() == cl::Required;
      if (!seen.insert(option).second || !singleValued ||
          option->getNumOccurrences() <= 1)
        continue;
      llvm::errs() << tool << ": error: option '"
                   << (option->ArgStr.size() > 1 ? "--" : "-") << option->ArgStr
                   << "' is given " << option->getNumOccurrences()
                   << " times; give it once\n";
      repeated = true;
    }
  }
  if (repeated)
    std::exit(1);
}
