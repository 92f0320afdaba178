#pragma once

#include <cstdint>
#include <string>

namespace dp::csv {

/// What went wrong with a row; rejects are grouped and counted by it.
enum class RowErrorKind {
  kTooFewColumns,
  kTooManyColumns,
  kBadValue,
  kMissingValue,
  kInvalidUtf8,
  kUnterminatedQuote,
  kLineTooLong,
  kCustom,
};

/// A bad row as a value (never an exception): the reject record is built from it.
struct RowError {
  RowErrorKind kind = RowErrorKind::kCustom;
  /// 1-based line number, counting the header.
  std::uint64_t line = 0;
  std::uint64_t byte_offset = 0;
  /// Column name (or 1-based position for headerless files); empty when the row as a whole is bad.
  std::string column;
  /// The offending value, when one field is to blame.
  std::string value;
  /// The record's original text (truncated to a sane length by whoever stores it).
  std::string raw_line;
  /// A sentence saying what happened, e.g. "expected 4 columns, found 3".
  std::string message;
};

/// Short stable name of an error kind for the rejects table and reports.
const char* to_string(RowErrorKind kind);

}  // namespace dp::csv
