//===- CommandLine.cpp - Command-line parsing of TileCast's tools ---------===//

#include "tilecast/Support/CommandLine.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;
namespace cl = llvm::cl;

void tilecast::parseToolCommandLine(int argc, char **argv, StringRef overview) {
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
      llvm::errs() << llvm::sys::path::filename(argv[0]) << ": error: option '"
                   << (option->ArgStr.size() > 1 ? "--" : "-") << option->ArgStr
                   << "' is given " << option->getNumOccurrences()
                   << " times; give it once\n";
      repeated = true;
    }
  }
  if (repeated)
    std::exit(1);
}
