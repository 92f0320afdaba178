#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace dp::csv {

/// One CSV record as the reader hands it on: fields already unquoted, plus where it came from,
/// so that converters can report a rejected row with its position and original text.
struct CsvRow {
  /// Field values, unquoted and unescaped; valid until the reader's next call.
  std::span<const std::string_view> fields;
  /// 1-based line number of the record's first line, counting the header line.
  std::uint64_t line = 0;
  /// Byte offset of the record's first byte in the (decompressed) input.
  std::uint64_t byte_offset = 0;
  /// The record's original bytes without its line terminator; valid until the next call.
  std::string_view raw;
};

}  // namespace dp::csv
