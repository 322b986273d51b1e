//===- InputFile.h - Reading bounded input files ----------------*- C++ -*-===//
//
// The files TileCast's tools read (specs, configs, model files, measurements,
// and tilecast-predict's IR) go through readInputFile, so that a file that
// never ends (/dev/zero, a pipe left open) is refused at a size limit instead
// of filling memory, and IR text whose nesting would overflow the parser's
// stack is refused before parsing (by tilecast-predict and tilecast-opt).
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_INPUTFILE_H
#define TILECAST_SUPPORT_INPUTFILE_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/ErrorOr.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace mlir::tilecast {

/// Largest JSON or CSV input: about 90x the largest file of the NeuSight
/// data (kernels/train/bmm/Tesla_P100-PCIE-16GB.csv, 2.8 MB).
inline constexpr uint64_t kMaxDataFileBytes = uint64_t(256) << 20;
/// Largest IR input: the imported GPT-3 2.7B training step is 95 KB of
/// text; a module with weights written as constants can be far larger.
inline constexpr uint64_t kMaxIRFileBytes = uint64_t(1) << 30;

/// Deepest bracket nesting of IR text that TileCast parses. Upstream's parser
/// recurses at least once per level: about 5000 nested modules overflowed
/// tilecast-predict's 8 MiB stack (measured on 2026-11-23), 3000 did not.
/// Real IR nests tens of levels.
inline constexpr unsigned kMaxIRNestingDepth = 1000;

/// Most arithmetic operators ('+', '-' but not '->', '*') in one expression
/// of IR text: within the current element (since the last ',') of every
/// parenthesis and square bracket open around it, added up over them. The
/// affine expression parser recurses per operator and per nested pair: an
/// affine map of 100000 terms overflowed tilecast-predict's 8 MiB stack
/// (2026-11-24) and of 60000 did not; a chain of 10000 unary minuses
/// overflowed it and of 3000 did not, and so did ten nested pairs of 999
/// minuses each (2026-12-05). Real affine expressions have a few operators.
inline constexpr unsigned kMaxIRExpressionOperators = 1000;

/// Checks that the brackets ('{', '(', '[' and the angle brackets of types and
/// attributes, '<', which '<=' is not) of the IR text in `buffer`, outside
/// string literals and comments, nest at most kMaxIRNestingDepth deep;
/// otherwise emits an error in `context` at the first bracket past the limit.
/// The closing '>' of '->' and '>=' closes nothing. Expressions have at most
/// kMaxIRExpressionOperators operators ('+', '-', '*', 'floordiv', 'ceildiv'
/// and 'mod'; '-' in value, block, alias and symbol names is none). MLIR
/// bytecode is not checked (it is not text).
LogicalResult verifyIRNestingDepth(const llvm::MemoryBuffer &buffer,
                                   MLIRContext *context);

/// Checks that MLIR's bytecode reader survives reading the MLIR bytecode in
/// `buffer` with `context`'s dialects: MLIR 22's reader aborts on some
/// corrupt files (a double free, a vector grown past its limit) and
/// recurses without limit through the nesting of attributes stored as text,
/// so that an abort would end the tool (or a Python interpreter) instead of
/// an error. The buffer is read in a child process first, and a reader that
/// did not return there is an error in `context` at the file. Whether the
/// bytecode is valid is left to the real read, which reports why not. Where
/// no child can be made or waited for (fork refused, SIGCHLD ignored, a
/// child that hangs), the check is skipped. Text is not checked here (see
/// verifyIRNestingDepth).
LogicalResult verifyBytecodeReadable(const llvm::MemoryBuffer &buffer,
                                     MLIRContext *context);

/// The checks TileCast's tools make on IR input before parsing it:
/// verifyIRNestingDepth for text, verifyBytecodeReadable for bytecode.
LogicalResult verifyIRInput(const llvm::MemoryBuffer &buffer,
                            MLIRContext *context);

/// Reads the whole file at `path` ("-" is stdin). A file of more than
/// `maxBytes` bytes is refused with std::errc::file_too_large: a regular
/// file by its size, before reading; a device or pipe after reading at most
/// `maxBytes` + 1 bytes of it.
llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(StringRef path, uint64_t maxBytes = kMaxDataFileBytes);

/// The reason a readInputFile(..., `maxBytes`) failed, for a diagnostic:
/// the size limit for a file that passed it, else the system's message.
std::string getReadErrorMessage(std::error_code error,
                                uint64_t maxBytes = kMaxDataFileBytes);

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_INPUTFILE_H
