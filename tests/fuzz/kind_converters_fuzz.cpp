// Fuzz target over every registered kind's converter, driven the way the file loader drives it:
// the bytes read as that kind's CSV dialect (optionally after the kind's own header, so that the
// fuzzer reaches the rows), each row converted into binary COPY tuples. A rejected row must
// leave nothing behind, an accepted one must be a well-formed tuple of the staging table's width.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"
#include "core/pipeline/pipeline.hpp"
#include "core/pipeline/pipeline_registry.hpp"
#include "core/table/copy_row_writer.hpp"
#include "pipelines/register_all.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace dp::fuzz {
namespace {

const pipeline::PipelineRegistry& registry() {
  static const pipeline::PipelineRegistry kinds = [] {
    pipeline::PipelineRegistry all;
    pipelines::register_all_pipelines(all);
    return all;
  }();
  return kinds;
}

/// A file name the kind's first pattern matches, for converters that read the name.
std::string file_name_for(const pipeline::Pipeline& kind, std::uint8_t config) {
  const auto patterns = kind.file_patterns();
  std::string name = patterns.empty() ? std::string(kind.name()) + ".csv" : patterns.front();
  static constexpr std::string_view kFillers[] = {"2024", "", "_19", "x"};
  const std::string_view filler = kFillers[config % std::size(kFillers)];
  std::string out;
  for (const char c : name) {
    if (c == '*') {
      out += filler;
    } else if (c == '?') {
      out += '1';
    } else {
      out += c;
    }
  }
  return out;
}

/// The header a well-formed file of this kind starts with: its sourced columns in model order,
/// each header name once (two columns may read one field).
std::string canonical_header(const pipeline::Pipeline& kind) {
  std::string header;
  std::vector<std::string> named;
  for (const table::ColumnModel& column : kind.staging_model().columns) {
    if (!column.source.empty() &&
        std::find(named.begin(), named.end(), column.source) == named.end()) {
      named.push_back(column.source);
      header += (header.empty() ? "" : std::string(1, kind.dialect().delimiter)) + column.source;
    }
  }
  return header + "\n";
}

std::uint32_t read_u32(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

/// Walks binary COPY tuples: each announces `fields` fields, each field is NULL (-1) or a length
/// that fits, and the tuples fill the bytes exactly.
std::uint64_t count_tuples(std::string_view bytes, std::size_t fields) {
  std::uint64_t tuples = 0;
  std::size_t at = 0;
  while (at < bytes.size()) {
    require(bytes.size() - at >= 2, "a tuple cut inside its field count");
    const auto count = static_cast<std::size_t>(static_cast<unsigned char>(bytes[at]) << 8 |
                                                static_cast<unsigned char>(bytes[at + 1]));
    require(count == fields, "a tuple of the wrong width");
    at += 2;
    for (std::size_t i = 0; i < count; ++i) {
      require(bytes.size() - at >= 4, "a field cut inside its length");
      const std::uint32_t length = read_u32(bytes, at);
      at += 4;
      if (length == 0xFFFFFFFFU) {
        continue;
      }
      require(length <= bytes.size() - at, "a field longer than the tuple bytes");
      at += length;
    }
    ++tuples;
  }
  return tuples;
}

void convert_as(const pipeline::Pipeline& kind, std::string bytes, std::uint8_t config) {
  const pipeline::CsvDialect dialect = kind.dialect();
  csv::CsvReaderOptions options;
  options.delimiter = dialect.delimiter;
  options.quote = dialect.quote;
  options.read_chunk_bytes = 1 + config % 61;
  csv::CsvReader reader(std::make_unique<csv::MemorySource>(std::move(bytes)), options);

  std::optional<std::vector<std::string>> header;
  try {
    if (dialect.has_header) {
      header = reader.read_header();
      if (!header) {
        return;
      }
    }
    const std::string name = file_name_for(kind, config);
    const pipeline::FileContext context{name, name};
    const auto extra =
        (config & 0x40) != 0 ? pipeline::ExtraColumns::kFail : pipeline::ExtraColumns::kIgnore;
    std::unique_ptr<pipeline::RowConverter> converter;
    try {
      converter = kind.make_converter(context, header ? &*header : nullptr, extra);
    } catch (const pipeline::FileRejected& rejected) {
      require(std::string_view(rejected.what()).size() > 0, "a file rejected without a reason");
      return;
    }
    require(converter != nullptr, "make_converter returned no converter");

    const std::size_t field_count = 2 + kind.staging_model().columns.size();
    table::CopyRowWriter writer;
    csv::CsvRow row;
    csv::RowError error;
    std::uint64_t accepted = 0;
    for (;;) {
      const csv::ReadStatus status = reader.next(row, error);
      if (status == csv::ReadStatus::kEnd) {
        break;
      }
      if (status == csv::ReadStatus::kError) {
        continue;  // a bad record is the reader's reject: nothing to convert
      }
      writer.begin_row(static_cast<std::int16_t>(field_count));
      writer.put_int64(1);
      writer.put_int64(static_cast<std::int64_t>(row.line));
      const std::size_t before = writer.complete_bytes().size();
      if (auto rejected = converter->convert(row, writer)) {
        writer.abandon_row();
        require(writer.complete_bytes().size() == before, "a rejected row left bytes behind");
        require(!rejected->message.empty(), "a rejected row without a message");
        require(rejected->line == row.line, "a reject names another line than its row's");
      } else {
        writer.end_row();  // throws when the converter wrote too few or too many fields
        ++accepted;
      }
    }
    require(writer.rows() == accepted, "the writer counts other rows than were accepted");
    require(count_tuples(writer.complete_bytes(), field_count) == accepted,
            "the COPY bytes hold another number of tuples than were accepted");
  } catch (const csv::InputError&) {
    // A reader policy that ends the file with an InputError is not this target's concern.
  }
}

}  // namespace
}  // namespace dp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dp;
  fuzz::InputBytes input(data, size);
  const std::uint8_t config = input.take_byte();
  const auto& kinds = fuzz::registry().all();
  const pipeline::Pipeline& kind = *kinds[config % kinds.size()];
  std::string bytes(input.rest());
  if ((config & 0x80) != 0 && kind.dialect().has_header) {
    bytes.insert(0, fuzz::canonical_header(kind));
  }
  fuzz::convert_as(kind, std::move(bytes), config);
  return 0;
}
