#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv/csv_buffer.hpp"
#include "core/csv/csv_row.hpp"
#include "core/csv/csv_tokenizer.hpp"
#include "core/csv/input_source.hpp"
#include "core/csv/row_error.hpp"

namespace dp::csv {

/// How to read one file; every field has a default that fits the feeds we load.
struct CsvReaderOptions {
  /// Field separator; the feeds are comma-separated, a few exports use ';' or '\t'.
  char delimiter = ',';
  /// Quote character of RFC 4180; `""` inside quotes is one quote.
  char quote = '"';
  /// A longer record is rejected (kLineTooLong) and skipped without being held: this bounds the
  /// reader's memory to about this plus read_chunk_bytes whatever the input holds.
  std::size_t max_record_bytes = 16 * 1024 * 1024;
  /// Bytes asked of the source per read: large sequential reads; tests shrink it to cut records
  /// at every possible place.
  std::size_t read_chunk_bytes = 256 * 1024;
  /// Line number and input offset of the first byte read: a part of a file read on its own
  /// (parallel COPY) reports the lines and offsets of the whole file.
  std::uint64_t first_line = 1;
  std::uint64_t first_byte_offset = 0;
  /// A UTF-8 BOM is dropped only at the start of a file, never at the start of a later part.
  bool drop_bom = true;
};

/// What one call of CsvReader::next produced.
enum class ReadStatus {
  /// `row` holds the next record.
  kRow,
  /// `error` describes a bad record, which was skipped; reading may go on.
  kError,
  /// The input is exhausted; `row` and `error` are untouched.
  kEnd,
};

/// Streams RFC 4180 records from a ByteSource in constant memory. A bad record (invalid UTF-8,
/// too long) comes back as a RowError value and reading continues with the next record; only
/// I/O and decompression failures throw (InputError). An unterminated quote (a quoted field
/// still open at the end of the input or after max_record_bytes) leaves every later record
/// boundary unknown: it comes back once as a kUnterminatedQuote error, after which the reader
/// reports the end of the input (broken() tells why). Blank lines are skipped but counted, a
/// UTF-8 BOM at the start is dropped.
class CsvReader {
 public:
  using ReadStatus = dp::csv::ReadStatus;

  /// Throws std::invalid_argument when delimiter and quote are equal or are CR/LF.
  explicit CsvReader(std::unique_ptr<ByteSource> source, CsvReaderOptions options = {});
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Reads the next record. The views in `row` stay valid until the next call.
  ReadStatus next(CsvRow& row, RowError& error);

  /// Reads the next (normally the first) record as owned strings, for dispatch by header and
  /// for mapping columns by name. std::nullopt at the end of input or when that record is bad;
  /// the error is stored in `*error` when one is given.
  std::optional<std::vector<std::string>> read_header(RowError* error = nullptr);

  /// Line number where the next record starts: minus a record's first line, how many physical
  /// lines it spanned (reject ratios count lines, so one record swallowing many cannot hide).
  std::uint64_t next_line() const noexcept { return next_line_; }
  /// True once an unterminated quote ended the reading: the caller must fail the whole input.
  bool broken() const noexcept { return broken_; }

  /// Bytes of the underlying file consumed so far (compressed for gzip), for progress reports.
  std::uint64_t bytes_consumed() const { return source_->bytes_consumed(); }
  /// Size of the underlying file (compressed for gzip): the 100 % of progress reports.
  std::uint64_t total_bytes() const { return source_->total_bytes(); }
  /// Current buffer allocation, so tests can check that memory stays bounded.
  std::size_t buffer_capacity_for_test() const noexcept { return buffer_.capacity(); }

 private:
  /// Fills the first bytes and drops a UTF-8 BOM.
  void start();
  /// The fast path for a complete record without quotes; false leaves the record to the
  /// general path untouched, true means it was handled and row_status_ says how.
  bool read_plain_record(CsvRow& row, RowError& error);
  /// Fills `error` and returns false when `raw` holds invalid UTF-8 or a NUL byte.
  bool check_text(std::string_view raw, std::uint64_t line, std::uint64_t offset,
                  RowError& error) const;
  /// Skips the rest of a record that outgrew max_record_bytes, then describes it in `error`.
  ReadStatus skip_long_record(RowError& error);
  /// Whether a quoted field is still open max_record_bytes + 2 bytes into the record at the start
  /// of the buffer (which must hold that many), and how many quoted LFs lie before that point.
  /// Decided on that fixed prefix, so the outcome never depends on how much a read brought in.
  bool quote_open_at_limit(std::uint64_t& quoted_newlines) const;
  /// Describes a quoted field that opened in the record starting at `line` and never closed;
  /// the reader stops there, since no later record boundary can be trusted.
  ReadStatus broken_quote(RowError& error, std::uint64_t line, std::uint64_t offset,
                          std::string_view raw, std::uint64_t lines, const char* where);
  /// Fills `error` for a record-level problem (no column).
  void set_error(RowError& error, RowErrorKind kind, std::uint64_t line, std::uint64_t offset,
                 std::string_view raw, std::string message) const;

  CsvReaderOptions options_;
  std::unique_ptr<ByteSource> source_;
  CsvBuffer buffer_;
  CsvTokenizer tokenizer_;
  FieldList fields_;
  std::string scratch_;
  /// Line number where the next record starts.
  std::uint64_t next_line_;
  /// What read_plain_record produced.
  ReadStatus row_status_ = ReadStatus::kEnd;
  bool started_ = false;
  bool broken_ = false;
};

}  // namespace dp::csv
