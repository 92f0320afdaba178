// Fuzz target over the CSV reader and tokenizer: any bytes, three ways of cutting them into
// reads, the same records and errors every time, and each record consistent with the input.
// It asserts no policy for bad records (e.g. an unterminated quote): only that the outcome does
// not depend on read sizes, that nothing crashes, leaks or is undefined, and the invariants below.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"
#include "core/csv/utf8.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace dp::fuzz {
namespace {

/// Hands out reads of a repeating pattern of sizes, so records are cut at uneven places.
class ChoppedSource final : public csv::ByteSource {
 public:
  ChoppedSource(std::string bytes, std::vector<std::size_t> sizes)
      : inner_(std::move(bytes)), sizes_(std::move(sizes)) {}
  std::size_t read(char* out, std::size_t max_bytes) override {
    const std::size_t size = sizes_[next_++ % sizes_.size()];
    return inner_.read(out, std::min(max_bytes, size));
  }
  std::uint64_t bytes_consumed() const override { return inner_.bytes_consumed(); }
  std::uint64_t total_bytes() const override { return inner_.total_bytes(); }

 private:
  csv::MemorySource inner_;
  std::vector<std::size_t> sizes_;
  std::size_t next_ = 0;
};

/// One outcome of CsvReader::next (or the exception that ended the reading), owned.
struct Item {
  csv::ReadStatus status = csv::ReadStatus::kEnd;
  std::vector<std::string> fields;
  std::uint64_t line = 0;
  std::uint64_t byte_offset = 0;
  std::string raw;
  csv::RowErrorKind error_kind = csv::RowErrorKind::kCustom;
  std::string message;
  bool threw = false;

  bool operator==(const Item&) const = default;
};

struct Reading {
  std::vector<Item> items;
  std::size_t largest_buffer = 0;
};

Reading read_all(std::unique_ptr<csv::ByteSource> source, const csv::CsvReaderOptions& options,
                 bool compare_messages) {
  Reading reading;
  csv::CsvReader reader(std::move(source), options);
  csv::CsvRow row;
  csv::RowError error;
  for (;;) {
    Item item;
    try {
      item.status = reader.next(row, error);
    } catch (const csv::InputError& failure) {
      item.threw = true;
      item.message = failure.what();
    } catch (const std::runtime_error& failure) {
      // A reader may end a file with an exception (a policy of its own); it must do so the same
      // way whatever the read sizes.
      item.threw = true;
      item.message = failure.what();
    }
    reading.largest_buffer = std::max(reading.largest_buffer, reader.buffer_capacity_for_test());
    if (item.threw) {
      reading.items.push_back(std::move(item));
      return reading;
    }
    if (item.status == csv::ReadStatus::kEnd) {
      return reading;
    }
    if (item.status == csv::ReadStatus::kRow) {
      item.fields.assign(row.fields.begin(), row.fields.end());
      item.line = row.line;
      item.byte_offset = row.byte_offset;
      item.raw = std::string(row.raw);
    } else {
      item.error_kind = error.kind;
      item.line = error.line;
      item.byte_offset = error.byte_offset;
      // A record that outgrew the limit is reported with a wording and an excerpt that depend
      // on how much of it was in the buffer: compare those only when no limit is in play.
      if (compare_messages) {
        item.message = error.message + "|" + error.raw_line;
      }
      require(!error.message.empty(), "a row error has no message");
      require(error.raw_line.size() <= 4096, "a row error keeps an unbounded raw line");
    }
    reading.items.push_back(std::move(item));
  }
}

void check_consistent_with_input(const std::vector<Item>& items, std::string_view input,
                                 const csv::CsvReaderOptions& options) {
  std::uint64_t previous_line = 0;
  std::uint64_t previous_offset = 0;
  bool first = true;
  for (const Item& item : items) {
    if (item.threw) {
      continue;
    }
    require(item.line >= 1, "line numbers are 1-based");
    require(first || item.line > previous_line, "line numbers increase");
    require(first || item.byte_offset > previous_offset, "byte offsets increase");
    require(item.byte_offset <= input.size(), "byte offset beyond the input");
    first = false;
    previous_line = item.line;
    previous_offset = item.byte_offset;
    if (item.status != csv::ReadStatus::kRow) {
      continue;
    }
    require(!item.raw.empty(), "a row with no bytes (blank lines are skipped)");
    require(item.raw.size() <= options.max_record_bytes, "a row longer than max_record_bytes");
    require(input.substr(item.byte_offset, item.raw.size()) == item.raw,
            "a row's raw text is not the input at its offset");
    require(!item.fields.empty(), "a row without fields");
    std::size_t field_bytes = 0;
    for (const std::string& field : item.fields) {
      require(csv::find_invalid_text(field) == csv::kNoUtf8Error,
              "a field holds invalid UTF-8 or NUL");
      field_bytes += field.size();
    }
    require(field_bytes <= item.raw.size(), "fields hold more bytes than the record");
    if (item.raw.find(options.quote) == std::string::npos) {
      std::string joined;
      for (std::size_t i = 0; i < item.fields.size(); ++i) {
        joined += (i == 0 ? "" : std::string(1, options.delimiter)) + item.fields[i];
      }
      require(joined == item.raw, "an unquoted record is not its fields joined by the delimiter");
    }
  }
}

/// Writes every row again with each field quoted and reads it back: the same fields must come
/// out, which checks unquoting against quoting.
void check_round_trip(const std::vector<Item>& items, const csv::CsvReaderOptions& options) {
  std::string csv_text;
  std::vector<const Item*> rows;
  for (const Item& item : items) {
    if (item.status != csv::ReadStatus::kRow || item.threw) {
      continue;
    }
    rows.push_back(&item);
    for (std::size_t i = 0; i < item.fields.size(); ++i) {
      if (i > 0) {
        csv_text += options.delimiter;
      }
      csv_text += options.quote;
      for (const char c : item.fields[i]) {
        csv_text += c;
        if (c == options.quote) {
          csv_text += c;
        }
      }
      csv_text += options.quote;
    }
    csv_text += '\n';
  }
  csv::CsvReaderOptions again;
  again.delimiter = options.delimiter;
  again.quote = options.quote;
  again.read_chunk_bytes = csv_text.size() + 1;
  const Reading reread =
      read_all(std::make_unique<csv::MemorySource>(std::move(csv_text)), again, true);
  require(reread.items.size() == rows.size(), "re-quoted rows read back as another count");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    require(reread.items[i].status == csv::ReadStatus::kRow, "a re-quoted row reads as an error");
    require(reread.items[i].fields == rows[i]->fields, "a re-quoted row reads back different");
  }
}

}  // namespace
}  // namespace dp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dp;
  fuzz::InputBytes input(data, size);
  const std::uint8_t config = input.take_byte();
  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  static constexpr std::size_t kLimits[] = {16 * 1024 * 1024, 256, 64, 8};
  // Either fixed small reads (the buffer's own chunking) or reads of uneven sizes (a source that
  // returns less than asked), each against the whole input in one read.
  static constexpr std::size_t kChunks[] = {1, 2, 3, 5, 8, 13, 64, 0};
  csv::CsvReaderOptions options;
  options.delimiter = kDelimiters[config & 3];
  options.quote = (config & 4) != 0 ? '\'' : '"';
  options.max_record_bytes = kLimits[(config >> 3) & 3];
  const bool no_limit = options.max_record_bytes == kLimits[0];
  const std::string bytes(input.rest());
  // The whole input in one read (the default chunk of 256 KiB would do the same, but zeroing
  // its buffer for every input would cost most of the fuzzer's time).
  options.read_chunk_bytes = bytes.size() + 1;

  const fuzz::Reading whole =
      fuzz::read_all(std::make_unique<csv::MemorySource>(bytes), options, no_limit);

  const std::size_t chunk = kChunks[(config >> 5) & 7];
  if (chunk > 0) {
    csv::CsvReaderOptions small_reads = options;
    small_reads.read_chunk_bytes = chunk;
    const fuzz::Reading chunked =
        fuzz::read_all(std::make_unique<csv::MemorySource>(bytes), small_reads, no_limit);
    fuzz::require(chunked.items == whole.items, "reading in small chunks changes the outcome");
    fuzz::require(chunked.largest_buffer <= small_reads.max_record_bytes + 1 + 2 * chunk,
                  "the buffer outgrew max_record_bytes + 1 + two chunks");
  } else {
    const fuzz::Reading uneven = fuzz::read_all(
        std::make_unique<fuzz::ChoppedSource>(bytes, std::vector<std::size_t>{1, 7, 2, 31, 3}),
        options, no_limit);
    fuzz::require(uneven.items == whole.items, "reads of uneven sizes change the outcome");
  }

  fuzz::check_consistent_with_input(whole.items, bytes, options);
  fuzz::check_round_trip(whole.items, options);
  return 0;
}
