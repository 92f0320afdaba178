#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/csv/block_scanner.hpp"
#include "core/csv/field_list.hpp"

namespace dp::csv {

/// A record found by the hot path.
struct PlainRecord {
  /// The LF that ends the record.
  const char* line_feed = nullptr;
  /// The record without its terminator (LF or CRLF).
  std::string_view raw;
  /// A byte >= 0x80 or NUL is present: find_invalid_text must check the record.
  bool has_suspect_bytes = false;
};

/// Where the RFC 4180 state machine stands after the last byte it saw; kept between calls so
/// that finding a record's end can resume after the buffer was refilled.
enum class TokenizerState : std::uint8_t {
  /// At the first byte of a field (record start or just after a delimiter).
  kFieldStart,
  /// Inside a field that did not start with a quote: a quote here is plain data.
  kUnquoted,
  /// Inside a quoted field: delimiters, CR and LF are data.
  kQuoted,
  /// Just after a quote inside a quoted field: a second quote is an escaped quote, anything else
  /// closes the field.
  kQuoteInQuoted,
};

/// RFC 4180 tokenizing. The hot path, scan_plain, handles a complete record without quotes in
/// one pass. Everything else takes two steps: find_record_end walks the bytes of a record as
/// they arrive (resumable, no output), then split cuts the complete record into unquoted
/// fields. Keeping the walk free of output lets it resume across refills and lets an over-long
/// record be skipped without holding it.
///
/// Every input is read in 16-byte blocks, so kPadding bytes past its end must be readable (the
/// chunk buffer keeps that slack); they are never taken as data.
///
/// Rules: LF ends a record outside quotes and a CR right before it belongs to the terminator;
/// a lone CR in an unquoted field is data; `""` inside quotes is one quote. Two lenient rules,
/// as Python's csv module has them: a quote inside an unquoted field is data (`ab"c`), and
/// bytes after a closing quote are appended to the field (`"ab"c` is `abc`).
class CsvTokenizer {
 public:
  /// Delimiter and quote must differ and must not be CR or LF.
  CsvTokenizer(char delimiter, char quote) noexcept
      : delimiter_(delimiter), quote_(quote), scanner_(delimiter, quote) {}

  /// Forgets the previous record's state before scanning a new one.
  void start_record() noexcept {
    state_ = TokenizerState::kFieldStart;
    saw_quote_ = false;
    quoted_newlines_ = 0;
  }

  /// Scans [from, end) for the LF that ends the current record; returns it, or nullptr when the
  /// record continues past `end` (call again with the following bytes).
  const char* find_record_end(const char* from, const char* end) noexcept;

  /// Where the scan stopped; kQuoted at the end of the input means an unterminated quote.
  TokenizerState state() const noexcept { return state_; }
  /// Whether the scanned record holds a quote character at all (else split takes a fast path).
  bool saw_quote() const noexcept { return saw_quote_; }
  /// LFs inside quoted fields of the scanned record: the record spans that many extra lines.
  std::uint64_t quoted_newlines() const noexcept { return quoted_newlines_; }

  /// Bytes that must be readable past the end of any input given to the tokenizer.
  static constexpr std::size_t kPadding = BlockScanner::kBlockBytes;

  /// The hot path, for a complete record without quotes (nearly every record of our feeds):
  /// one pass of 16-byte blocks from `begin` finds the LF, the delimiters, any quote and any
  /// byte that needs a UTF-8 check. Returns false, with nothing decided, when a quote comes
  /// before the LF or no LF comes before `end`; the general path then takes over. Otherwise
  /// `fields` and `record` describe the record ending at record.line_feed.
  bool scan_plain(const char* begin, const char* end, FieldList& fields, PlainRecord& record) const;

  /// Cuts a complete record (terminator removed) into fields. Without quotes (`has_quote`
  /// false) the fields point into `record`; otherwise they are unquoted into `scratch`, which
  /// is sized to the record first so that the views never dangle.
  void split(std::string_view record, bool has_quote, FieldList& fields,
             std::string& scratch) const;

 private:
  void split_quoted(std::string_view record, FieldList& fields, std::string& scratch) const;

  char delimiter_;
  char quote_;
  BlockScanner scanner_;
  TokenizerState state_ = TokenizerState::kFieldStart;
  bool saw_quote_ = false;
  std::uint64_t quoted_newlines_ = 0;
};

}  // namespace dp::csv
