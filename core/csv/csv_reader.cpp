#include "core/csv/csv_reader.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/csv/utf8.hpp"

namespace dp::csv {

namespace {

/// A reject keeps this much of the original record: enough to see the problem, small enough
/// that a file of bad 16 MiB records does not become gigabytes of rejects.
constexpr std::size_t kRawLineLimit = 1024;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
static_assert(CsvBuffer::kPadding >= CsvTokenizer::kPadding);

const CsvReaderOptions& validated(const CsvReaderOptions& options) {
  const auto is_line_break = [](char c) { return c == '\n' || c == '\r'; };
  if (options.delimiter == options.quote || is_line_break(options.delimiter) ||
      is_line_break(options.quote)) {
    throw std::invalid_argument("CSV delimiter and quote must differ and must not be CR or LF");
  }
  return options;
}

std::string line_prefix(std::uint64_t line) {
  return "line " + std::to_string(line) + ": ";
}

}  // namespace

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, CsvReaderOptions options)
    : options_(validated(options)),
      source_(std::move(source)),
      // A carried record is at most max_record_bytes + 1 (a CR that may precede its LF) before
      // it is skipped, and a full chunk is read after it.
      buffer_(*source_, options_.read_chunk_bytes,
              options_.max_record_bytes + 1 + std::max<std::size_t>(options_.read_chunk_bytes, 1),
              options_.first_byte_offset),
      tokenizer_(options_.delimiter, options_.quote),
      next_line_(options_.first_line) {}

void CsvReader::start() {
  started_ = true;
  if (!options_.drop_bom) {
    return;
  }
  while (buffer_.size() < kUtf8Bom.size() && buffer_.refill()) {
  }
  if (std::string_view(buffer_.begin(), std::min(buffer_.size(), kUtf8Bom.size())) == kUtf8Bom) {
    buffer_.consume_to(buffer_.begin() + kUtf8Bom.size());
  }
}

void CsvReader::set_error(RowError& error, RowErrorKind kind, std::uint64_t line,
                          std::uint64_t offset, std::string_view raw, std::string message) const {
  error.kind = kind;
  error.line = line;
  error.byte_offset = offset;
  error.column.clear();
  error.value.clear();
  error.raw_line.assign(truncate_utf8(raw, kRawLineLimit));
  error.message = std::move(message);
}

ReadStatus CsvReader::next(CsvRow& row, RowError& error) {
  if (broken_) {
    return ReadStatus::kEnd;
  }
  if (!started_) {
    start();
  }
  for (;;) {
    if (buffer_.size() == 0 && !buffer_.refill()) {
      return ReadStatus::kEnd;
    }
    if (read_plain_record(row, error)) {
      return row_status_;
    }
    tokenizer_.start_record();
    // The buffer begins at the record; after a refill the scan resumes this far into it.
    std::size_t scanned = 0;
    const char* terminator = nullptr;
    for (;;) {
      terminator = tokenizer_.find_record_end(buffer_.begin() + scanned, buffer_.end());
      if (terminator != nullptr) {
        break;
      }
      scanned = buffer_.size();
      if (scanned > options_.max_record_bytes + 1) {
        if (std::uint64_t lines = 0; quote_open_at_limit(lines)) {
          return broken_quote(error, next_line_, buffer_.offset_of(buffer_.begin()),
                              std::string_view(buffer_.begin(), options_.max_record_bytes + 2),
                              1 + lines, "within max_record_bytes");
        }
        return skip_long_record(error);
      }
      if (!buffer_.refill()) {
        break;  // the last record has no line terminator
      }
    }
    const char* const record_begin = buffer_.begin();
    // A record whose end came in the same read as its start is judged like one that arrived in
    // small reads: by the quote state at the limit, not by where its quotes happen to close.
    if (terminator != nullptr &&
        static_cast<std::size_t>(terminator - record_begin) > options_.max_record_bytes + 1) {
      if (std::uint64_t lines = 0; quote_open_at_limit(lines)) {
        return broken_quote(error, next_line_, buffer_.offset_of(record_begin),
                            std::string_view(record_begin, options_.max_record_bytes + 2),
                            1 + lines, "within max_record_bytes");
      }
    }
    const char* record_end = terminator != nullptr ? terminator : buffer_.end();
    buffer_.consume_to(terminator != nullptr ? terminator + 1 : record_end);
    const std::uint64_t line = next_line_;
    const std::uint64_t offset = buffer_.offset_of(record_begin);
    if (terminator == nullptr && tokenizer_.state() == TokenizerState::kQuoted) {
      // The open field runs to the end: its LFs are lines it swallowed, plus a last line
      // without a terminator.
      const bool ends_with_line_feed = record_end > record_begin && record_end[-1] == '\n';
      const std::string_view held(record_begin,
                                  static_cast<std::size_t>(record_end - record_begin));
      return broken_quote(error, line, offset, held,
                          tokenizer_.quoted_newlines() + (ends_with_line_feed ? 0 : 1),
                          "before the end of the file");
    }
    next_line_ += 1 + tokenizer_.quoted_newlines();
    if (record_end > record_begin && record_end[-1] == '\r') {
      --record_end;
    }
    const std::string_view raw(record_begin, static_cast<std::size_t>(record_end - record_begin));

    if (raw.empty()) {
      continue;  // blank line
    }
    if (raw.size() > options_.max_record_bytes) {
      set_error(error, RowErrorKind::kLineTooLong, line, offset, raw,
                line_prefix(line) + "record of " + std::to_string(raw.size()) +
                    " bytes exceeds the limit of " + std::to_string(options_.max_record_bytes) +
                    " bytes");
      return ReadStatus::kError;
    }
    if (!check_text(raw, line, offset, error)) {
      return ReadStatus::kError;
    }
    tokenizer_.split(raw, tokenizer_.saw_quote(), fields_, scratch_);
    row.fields = fields_.view();
    row.line = line;
    row.byte_offset = offset;
    row.raw = raw;
    return ReadStatus::kRow;
  }
}

ReadStatus CsvReader::broken_quote(RowError& error, std::uint64_t line, std::uint64_t offset,
                                   std::string_view raw, std::uint64_t lines, const char* where) {
  broken_ = true;
  next_line_ = line + lines;
  set_error(error, RowErrorKind::kUnterminatedQuote, line, offset, raw,
            line_prefix(line) +
                "a quoted field opened in the record starting here is never closed " + where +
                "; it swallowed " + std::to_string(lines) + " line" + (lines == 1 ? "" : "s") +
                " (lines " + std::to_string(line) + "-" + std::to_string(line + lines - 1) +
                "), so no later record boundary is known and the whole file fails");
  buffer_.consume_all();
  return ReadStatus::kError;
}

bool CsvReader::quote_open_at_limit(std::uint64_t& quoted_newlines) const {
  CsvTokenizer prefix(options_.delimiter, options_.quote);
  prefix.start_record();
  const char* const begin = buffer_.begin();
  prefix.find_record_end(begin, begin + options_.max_record_bytes + 2);
  quoted_newlines = prefix.quoted_newlines();
  return prefix.state() == TokenizerState::kQuoted;
}

bool CsvReader::check_text(std::string_view raw, std::uint64_t line, std::uint64_t offset,
                           RowError& error) const {
  const std::size_t bad = find_invalid_text(raw);
  if (bad == kNoUtf8Error) {
    return true;
  }
  const char* what = raw[bad] == '\0' ? "NUL byte (not storable as text)" : "invalid UTF-8";
  set_error(error, RowErrorKind::kInvalidUtf8, line, offset, raw,
            line_prefix(line) + what + " at byte " + std::to_string(bad + 1) + " of the record");
  return false;
}

bool CsvReader::read_plain_record(CsvRow& row, RowError& error) {
  const char* const begin = buffer_.begin();
  PlainRecord record;
  if (!tokenizer_.scan_plain(begin, buffer_.end(), fields_, record) || record.raw.empty() ||
      record.raw.size() > options_.max_record_bytes) {
    return false;  // quoted, incomplete, blank or too long: the general path knows what to do
  }
  const std::uint64_t line = next_line_++;
  const std::uint64_t offset = buffer_.offset_of(begin);
  buffer_.consume_to(record.line_feed + 1);
  if (record.has_suspect_bytes && !check_text(record.raw, line, offset, error)) {
    row_status_ = ReadStatus::kError;
    return true;
  }
  row.fields = fields_.view();
  row.line = line;
  row.byte_offset = offset;
  row.raw = record.raw;
  row_status_ = ReadStatus::kRow;
  return true;
}

ReadStatus CsvReader::skip_long_record(RowError& error) {
  const std::uint64_t line = next_line_;
  const std::uint64_t offset = buffer_.offset_of(buffer_.begin());
  // Keep the start of the record for the reject before its bytes are dropped.
  set_error(error, RowErrorKind::kLineTooLong, line, offset,
            std::string_view(buffer_.begin(), std::min(buffer_.size(), kRawLineLimit)), {});
  std::uint64_t skipped = buffer_.size();
  const char* terminator = nullptr;
  for (;;) {
    buffer_.consume_all();
    if (!buffer_.refill()) {
      break;
    }
    terminator = tokenizer_.find_record_end(buffer_.begin(), buffer_.end());
    if (terminator != nullptr) {
      skipped += static_cast<std::uint64_t>(terminator - buffer_.begin());
      buffer_.consume_to(terminator + 1);
      break;
    }
    skipped += buffer_.size();
  }
  next_line_ += 1 + tokenizer_.quoted_newlines();
  if (terminator == nullptr && tokenizer_.state() == TokenizerState::kQuoted) {
    error.kind = RowErrorKind::kUnterminatedQuote;
    error.message = line_prefix(line) + "a quoted field is never closed; the rest of the input (" +
                    std::to_string(skipped) + " bytes) was skipped";
  } else {
    error.message = line_prefix(line) + "record of " + std::to_string(skipped) +
                    " bytes exceeds the limit of " + std::to_string(options_.max_record_bytes) +
                    " bytes; it was skipped";
  }
  return ReadStatus::kError;
}

std::optional<std::vector<std::string>> CsvReader::read_header(RowError* error) {
  CsvRow row;
  RowError local;
  if (next(row, error != nullptr ? *error : local) != ReadStatus::kRow) {
    return std::nullopt;
  }
  return std::vector<std::string>(row.fields.begin(), row.fields.end());
}

}  // namespace dp::csv
