#include "core/csv/csv_tokenizer.hpp"

#include <bit>
#include <cstring>

namespace dp::csv {

namespace {

/// Bits of the block bytes that lie before `end` (bytes past it are padding or not ours).
inline std::uint32_t bytes_before(const char* end, const char* block) noexcept {
  const auto left = static_cast<std::size_t>(end - block);
  return left >= BlockScanner::kBlockBytes ? 0xFFFFU : (std::uint32_t{1} << left) - 1;
}

inline std::uint32_t lowest_bit(std::uint32_t bits) noexcept {
  return bits & (0U - bits);
}

}  // namespace

// Measured with callgrind on course-traffic rows (45-byte records, four fields), whole reader:
// memchr for the LF, memchr for a quote, a byte loop for delimiters and a separate UTF-8 pass
// cost ~870 instructions a record; 8-byte words with vector::emplace_back ~590; 16-byte SSE2
// blocks writing through an Appender ~340. memchr per delimiter was no better than a byte
// loop: the fields are too short for its setup to pay off.
bool CsvTokenizer::scan_plain(const char* begin, const char* end, FieldList& fields,
                              PlainRecord& record) const {
  FieldList::Appender out(fields);
  std::uint32_t suspect = 0;
  const char* field_start = begin;
  for (const char* block = begin; block < end; block += BlockScanner::kBlockBytes) {
    const BlockMasks masks = scanner_.scan(block);
    const std::uint32_t in_buffer = bytes_before(end, block);
    const std::uint32_t line_feed = masks.line_feed & in_buffer;
    // Bytes of this record in this block: those before its LF.
    const std::uint32_t in_record = line_feed != 0 ? lowest_bit(line_feed) - 1 : in_buffer;
    if ((masks.quote & in_record) != 0) {
      return false;
    }
    suspect |= masks.suspect & in_record;
    for (std::uint32_t delimiters = masks.delimiter & in_record; delimiters != 0;
         delimiters &= delimiters - 1) {
      const char* at = block + std::countr_zero(delimiters);
      out.add(field_start, static_cast<std::size_t>(at - field_start));
      field_start = at + 1;
    }
    if (line_feed != 0) {
      const char* at = block + std::countr_zero(line_feed);
      // A CR right before the LF belongs to the terminator, even after a delimiter.
      const char* record_end = at > begin && at[-1] == '\r' ? at - 1 : at;
      out.add(field_start, static_cast<std::size_t>(record_end - field_start));
      out.finish();
      record.line_feed = at;
      record.raw = std::string_view(begin, static_cast<std::size_t>(record_end - begin));
      record.has_suspect_bytes = suspect != 0;
      return true;
    }
  }
  return false;
}

const char* CsvTokenizer::find_record_end(const char* from, const char* end) noexcept {
  // Blocks of 16 bytes; inside a block only the quotes and LFs are visited, as bits. Measured
  // on fully quoted course-traffic rows: the memchr-per-quote form with std::count for the
  // quoted LFs cost ~740 instructions a record, this ~320.
  for (const char* block = from; block < end; block += BlockScanner::kBlockBytes) {
    const BlockMasks masks = scanner_.scan(block);
    const std::uint32_t in_input = bytes_before(end, block);
    const std::uint32_t quotes = masks.quote & in_input;
    const std::uint32_t line_feeds = masks.line_feed & in_input;
    std::uint32_t done = 0;  // bytes of this block already walked
    for (;;) {
      if (state_ == TokenizerState::kQuoted) {
        const std::uint32_t closing = quotes & ~done;
        const std::uint32_t inside = closing != 0 ? lowest_bit(closing) - 1 : in_input;
        // Tested first: without -mpopcnt std::popcount is a library call, and LFs inside
        // quotes are rare.
        if (const std::uint32_t inner = line_feeds & inside & ~done; inner != 0) {
          quoted_newlines_ += static_cast<std::uint64_t>(std::popcount(inner));
        }
        if (closing == 0) {
          break;
        }
        state_ = TokenizerState::kQuoteInQuoted;
        done |= (lowest_bit(closing) << 1) - 1;
        continue;
      }
      const std::uint32_t events = (quotes | line_feeds) & ~done;
      if (events == 0) {
        // Only the last byte decides the state: no quote or LF lies in between.
        const std::uint32_t rest = in_input & ~done;
        if (rest != 0) {
          state_ = block[31 - std::countl_zero(rest)] == delimiter_ ? TokenizerState::kFieldStart
                                                                    : TokenizerState::kUnquoted;
        }
        break;
      }
      const std::uint32_t event = lowest_bit(events);
      const char* at = block + std::countr_zero(events);
      if ((line_feeds & event) != 0) {
        return at;
      }
      saw_quote_ = true;
      if ((in_input & ~done & (event - 1)) != 0) {
        state_ = at[-1] == delimiter_ ? TokenizerState::kFieldStart : TokenizerState::kUnquoted;
      }
      // At a field start the quote opens a quoted field; right after a closing quote it is an
      // escaped quote and the field goes on; inside an unquoted field it is data.
      if (state_ != TokenizerState::kUnquoted) {
        state_ = TokenizerState::kQuoted;
      }
      done |= (event << 1) - 1;
    }
  }
  return nullptr;
}

void CsvTokenizer::split(std::string_view record, bool has_quote, FieldList& fields,
                         std::string& scratch) const {
  if (has_quote) {
    split_quoted(record, fields, scratch);
    return;
  }
  FieldList::Appender out(fields);
  const char* p = record.data();
  const char* const end = p + record.size();
  const char* field = p;
  for (; p < end; ++p) {
    if (*p == delimiter_) {
      out.add(field, static_cast<std::size_t>(p - field));
      field = p + 1;
    }
  }
  out.add(field, static_cast<std::size_t>(end - field));
  out.finish();
}

// Visits only the quotes and delimiters (as block bits) and copies the runs between them with
// memcpy. Measured on fully quoted course-traffic rows: the byte-at-a-time switch cost ~620
// instructions a record, this ~350.
void CsvTokenizer::split_quoted(std::string_view record, FieldList& fields,
                                std::string& scratch) const {
  // Unquoting only ever shrinks a field, so a record-sized scratch never reallocates and the
  // views taken into it stay valid.
  if (scratch.size() < record.size()) {
    scratch.resize(record.size());
  }
  char* out = scratch.data();
  const char* field = out;
  FieldList::Appender appender(fields);
  const char* const end = record.data() + record.size();
  const char* run = record.data();  // first byte not yet copied or interpreted
  TokenizerState state = TokenizerState::kFieldStart;
  // Plain bytes are always field content; after them a field start or a closing quote has
  // become an unquoted field (`"ab"c` is `abc`).
  const auto copy_run = [&](const char* until) {
    if (until > run) {
      std::memcpy(out, run, static_cast<std::size_t>(until - run));
      out += until - run;
      if (state == TokenizerState::kFieldStart || state == TokenizerState::kQuoteInQuoted) {
        state = TokenizerState::kUnquoted;
      }
    }
  };
  for (const char* block = record.data(); block < end; block += BlockScanner::kBlockBytes) {
    const BlockMasks masks = scanner_.scan(block);
    for (std::uint32_t events = (masks.quote | masks.delimiter) & bytes_before(end, block);
         events != 0; events &= events - 1) {
      const char* at = block + std::countr_zero(events);
      const bool is_quote = *at == quote_;
      if (!is_quote && state == TokenizerState::kQuoted) {
        continue;  // a delimiter inside quotes is content: it goes with the next run
      }
      copy_run(at);
      run = at + 1;
      if (!is_quote) {
        appender.add(field, static_cast<std::size_t>(out - field));
        field = out;
        state = TokenizerState::kFieldStart;
      } else if (state == TokenizerState::kFieldStart) {
        state = TokenizerState::kQuoted;
      } else if (state == TokenizerState::kQuoted) {
        state = TokenizerState::kQuoteInQuoted;
      } else {
        *out++ = quote_;  // `""` inside quotes, or a quote inside an unquoted field
        if (state == TokenizerState::kQuoteInQuoted) {
          state = TokenizerState::kQuoted;
        }
      }
    }
  }
  copy_run(end);
  appender.add(field, static_cast<std::size_t>(out - field));
  appender.finish();
}

}  // namespace dp::csv
