//===- InputFile.cpp - Reading input files of bounded size ----------------===//

#include "tilecast/Support/InputFile.h"

#include "mlir/Bytecode/BytecodeReader.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace mlir;
using namespace mlir::tilecast;

namespace fs = llvm::sys::fs;

/// Reads `file` to its end, refusing more than `maxBytes` bytes. Chunks are
/// kept apart until the end, so that the bytes are copied once, into a
/// buffer of their exact size.
static llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
readBounded(fs::file_t file, StringRef bufferName, uint64_t maxBytes) {
  constexpr size_t kChunkBytes = size_t(1) << 20;
  std::vector<std::vector<char>> chunks;
  uint64_t total = 0;
  while (true) {
    // Never ask for more than one byte past the limit.
    size_t want = static_cast<size_t>(
        std::min<uint64_t>(kChunkBytes, maxBytes + 1 - total));
    std::vector<char> chunk(want);
    llvm::Expected<size_t> read =
        fs::readNativeFile(file, MutableArrayRef(chunk.data(), want));
    if (!read)
      return llvm::errorToErrorCode(read.takeError());
    if (*read == 0)
      break;
    chunk.resize(*read);
    total += *read;
    chunks.push_back(std::move(chunk));
    if (total > maxBytes)
      return std::make_error_code(std::errc::file_too_large);
  }
  std::unique_ptr<llvm::WritableMemoryBuffer> buffer =
      llvm::WritableMemoryBuffer::getNewUninitMemBuffer(total, bufferName);
  if (!buffer)
    return std::make_error_code(std::errc::not_enough_memory);
  char *out = buffer->getBufferStart();
  for (const std::vector<char> &chunk : chunks)
    out = std::copy(chunk.begin(), chunk.end(), out);
  return std::unique_ptr<llvm::MemoryBuffer>(std::move(buffer));
}

llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
tilecast::readInputFile(StringRef path, uint64_t maxBytes) {
  if (path == "-")
    return readBounded(fs::getStdinHandle(), "<stdin>", maxBytes);
  // A regular file's size is known: refuse it without reading.
  fs::file_status status;
  if (!fs::status(path, status) && fs::is_regular_file(status) &&
      status.getSize() > maxBytes)
    return std::make_error_code(std::errc::file_too_large);
  llvm::Expected<fs::file_t> file = fs::openNativeFileForRead(path);
  if (!file)
    return llvm::errorToErrorCode(file.takeError());
  auto result = readBounded(*file, path, maxBytes);
  fs::closeFile(*file);
  return result;
}

std::string tilecast::getReadErrorMessage(std::error_code error,
                                          uint64_t maxBytes) {
  if (error == std::errc::file_too_large) {
    constexpr uint64_t kMiB = uint64_t(1) << 20;
    std::string limit = maxBytes % kMiB == 0
                            ? std::to_string(maxBytes / kMiB) + " MiB"
                            : std::to_string(maxBytes) + " bytes";
    return "larger than the " + limit + " an input file may have";
  }
  return error.message();
}

LogicalResult tilecast::verifyIRNestingDepth(const llvm::MemoryBuffer &buffer,
                                             MLIRContext *context) {
  // Bytecode is not text: its data bytes are not brackets (an f32 weight's
  // top byte may be '<'), and its reader does not recurse on them.
  if (isBytecode(buffer.getMemBufferRef()))
    return success();
  StringRef text = buffer.getBuffer();
  unsigned depth = 0, line = 1, column = 0;
  // The open brackets (innermost last) and the arithmetic operators seen in
  // the current element (since the last ',') of each; operatorsOnPath adds
  // those of the open parentheses and square brackets up, the expression
  // nesting the affine parser recurses through.
  SmallVector<char> open;
  SmallVector<unsigned> operators;
  unsigned operatorsOnPath = 0;
  auto inExpression = [&] {
    return !open.empty() && (open.back() == '(' || open.back() == '[');
  };
  auto isNameChar = [](char c) {
    return llvm::isAlnum(c) || c == '_' || c == '$' || c == '.' || c == '-';
  };
  auto countOperator = [&]() -> LogicalResult {
    ++operators.back();
    if (++operatorsOnPath <= kMaxIRExpressionOperators)
      return success();
    InFlightDiagnostic diag =
        emitError(FileLineColLoc::get(context, buffer.getBufferIdentifier(),
                                      line, column))
        << "an expression of more than " << kMaxIRExpressionOperators
        << " arithmetic operators";
    diag.attachNote() << "TileCast refuses such IR rather than overflow "
                         "the affine expression parser's stack";
    return failure();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
    } else if (c == '/' && text.substr(i).starts_with("//")) {
      // A comment: skip to the end of the line (its newline is read next).
      size_t end = text.find('\n', i);
      column += (end == StringRef::npos ? text.size() : end) - i - 1;
      i = (end == StringRef::npos ? text.size() : end) - 1;
    } else if (c == '"') {
      // A string literal: skip to its closing quote, past escapes.
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i) {
        ++column;
        if (text[i] == '\\')
          ++i, ++column;
      }
      ++column;
      if (i < text.size() && text[i] == '\n')
        ++line, column = 0;
    } else if (c == '%' || c == '^' || c == '#' || c == '@') {
      // A value, block, alias or symbol name, whose '-'s are no operators.
      while (i + 1 < text.size() && isNameChar(text[i + 1]))
        ++i, ++column;
    } else if (c == ',' && inExpression()) {
      operatorsOnPath -= operators.back();
      operators.back() = 0;
    } else if (llvm::isAlpha(c) || c == '_') {
      // A keyword or bare identifier; in an expression, the affine
      // operators 'floordiv', 'ceildiv' and 'mod' nest like '*'.
      size_t end = i + 1;
      while (end < text.size() &&
             (llvm::isAlnum(text[end]) || text[end] == '_' ||
              text[end] == '$' || text[end] == '.'))
        ++end;
      StringRef word = text.slice(i, end);
      if (inExpression() &&
          (word == "floordiv" || word == "ceildiv" || word == "mod") &&
          failed(countOperator()))
        return failure();
      column += end - i - 1;
      i = end - 1;
    } else if ((c == '+' || c == '*' ||
                (c == '-' && !text.substr(i + 1).starts_with(">"))) &&
               inExpression()) {
      if (failed(countOperator()))
        return failure();
    } else if (c == '{' || c == '(' || c == '[' ||
               (c == '<' && !text.substr(i + 1).starts_with("="))) {
      open.push_back(c);
      operators.push_back(0);
      if (++depth > kMaxIRNestingDepth) {
        InFlightDiagnostic diag =
            emitError(FileLineColLoc::get(
                context, buffer.getBufferIdentifier(), line, column))
            << "brackets nested deeper than " << kMaxIRNestingDepth
            << " levels";
        diag.attachNote() << "TileCast refuses such IR rather than overflow "
                             "the parser's stack";
        return failure();
      }
    } else if ((c == '}' || c == ')' || c == ']' ||
                (c == '>' && !text.substr(0, i).ends_with("-") &&
                 !text.substr(i + 1).starts_with("="))) &&
               depth > 0) {
      --depth;
      operatorsOnPath -= operators.pop_back_val();
      open.pop_back();
    }
  }
  return success();
}

/// Exit codes of the child of verifyBytecodeReadable: the reader returned,
/// with the module or with an error. Any other end (a signal, a fatal
/// error's exit) is a reader that did not return.
static constexpr int kBytecodeRead = 0;
static constexpr int kBytecodeRefused = 2;
/// How long verifyBytecodeReadable waits for its child: reading the largest
/// input (kMaxIRFileBytes) takes seconds. A child of a multithreaded host
/// (the C API's) may hang on a lock another thread held at the fork; it is
/// killed then, and the bytecode read unchecked.
static constexpr std::chrono::seconds kBytecodeCheckTimeout(120);

/// Waits for `child` until `timeout`: its wait status, or nullopt if it
/// cannot be waited for (SIGCHLD ignored: the system reaps it) or did not
/// end in time (it is killed then).
static std::optional<int> waitForChild(pid_t child,
                                       std::chrono::seconds timeout) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point deadline = Clock::now() + timeout;
  std::chrono::microseconds pause(50);
  while (true) {
    int status = 0;
    pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child)
      return status;
    if (done < 0 && errno != EINTR)
      return std::nullopt;
    if (Clock::now() > deadline) {
      ::kill(child, SIGKILL);
      while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
      }
      return std::nullopt;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min<std::chrono::microseconds>(pause * 2,
                                                std::chrono::milliseconds(10));
  }
}

LogicalResult tilecast::verifyBytecodeReadable(const llvm::MemoryBuffer &buffer,
                                               MLIRContext *context) {
  if (!isBytecode(buffer.getMemBufferRef()))
    return success();
  // Without a child to read in (no process to spare, a sandbox that forbids
  // fork), the bytecode is read as it is.
  pid_t child = ::fork();
  if (child < 0)
    return success();
  if (child == 0) {
    // The child: the default action for the signals a crash raises (not the
    // host's handlers: LLVM's would remove the parent's files registered for
    // removal on a crash, a Python interpreter's would print its traceback),
    // no output (an abort's messages included), a context of the same
    // dialects on this one thread, and an exit code that says whether the
    // reader returned.
    for (int crashSignal : {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP})
      std::signal(crashSignal, SIG_DFL);
    int devNull = ::open("/dev/null", O_WRONLY);
    if (devNull >= 0) {
      ::dup2(devNull, STDOUT_FILENO);
      ::dup2(devNull, STDERR_FILENO);
    }
    MLIRContext reader(context->getDialectRegistry(),
                       MLIRContext::Threading::DISABLED);
    reader.allowUnregisteredDialects(context->allowsUnregisteredDialects());
    reader.getDiagEngine().registerHandler(
        [](Diagnostic &) { return success(); });
    Block block;
    ParserConfig config(&reader);
    bool read =
        succeeded(readBytecodeFile(buffer.getMemBufferRef(), &block, config));
    std::_Exit(read ? kBytecodeRead : kBytecodeRefused);
  }
  std::optional<int> status = waitForChild(child, kBytecodeCheckTimeout);
  if (!status ||
      (WIFEXITED(*status) && (WEXITSTATUS(*status) == kBytecodeRead ||
                              WEXITSTATUS(*status) == kBytecodeRefused)))
    return success();
  InFlightDiagnostic diag = emitError(FileLineColLoc::get(
                                context, buffer.getBufferIdentifier(), 0, 0))
                            << "corrupt MLIR bytecode: MLIR's reader ";
  if (WIFSIGNALED(*status))
    diag << "crashed on it (" << ::strsignal(WTERMSIG(*status)) << ")";
  else
    diag << "stopped on it with a fatal error";
  diag.attachNote() << "TileCast reads bytecode in a child process first, so "
                       "that such a file is an error, not a crash";
  return failure();
}

LogicalResult tilecast::verifyIRInput(const llvm::MemoryBuffer &buffer,
                                      MLIRContext *context) {
  if (isBytecode(buffer.getMemBufferRef()))
    return verifyBytecodeReadable(buffer, context);
  return verifyIRNestingDepth(buffer, context);
}
