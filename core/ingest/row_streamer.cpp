#include "core/ingest/row_streamer.hpp"

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "core/csv/csv_reader.hpp"
#include "core/db/copy_sink.hpp"
#include "core/ingest/file_loader.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/ddl.hpp"

namespace dp::ingest {
namespace {

using Clock = std::chrono::steady_clock;

// Records read between two looks at the cancel flag and the progress clock: a few
// microseconds of work each, so shutdown never waits on a COPY flush that may not come.
constexpr std::uint64_t kRecordsPerCheck = 256;

// Ends the COPY stream, when there is one (--check sends nothing).
void abort_copy(std::optional<db::CopySink>& sink, const char* reason) {
  if (sink) {
    sink->abort(reason);
  }
}

}  // namespace

csv::CsvReaderOptions reader_options_for(const pipeline::Pipeline& pipeline,
                                         const LoadOptions& options) {
  const auto dialect = pipeline.dialect();
  csv::CsvReaderOptions reader_options;
  reader_options.delimiter = dialect.delimiter;
  reader_options.quote = dialect.quote;
  reader_options.max_record_bytes = options.max_record_bytes;
  return reader_options;
}

StreamResult RowStreamer::stream(std::unique_ptr<csv::ByteSource> input,
                                 const std::filesystem::path& path, std::int64_t file_id,
                                 const StreamStart& start) {
  const auto dialect = pipeline_.dialect();
  auto reader_options = reader_options_for(pipeline_, options_);
  reader_options.first_line = start.first_line;
  reader_options.first_byte_offset = start.first_byte_offset;
  reader_options.drop_bom = !start.later_part;
  csv::CsvReader reader(std::move(input), reader_options);

  std::optional<std::vector<std::string>> header;
  if (dialect.has_header && !start.later_part) {
    csv::RowError header_error;
    header = reader.read_header(&header_error);
    if (!header) {
      throw FileFailure(header_error.message.empty() ? "the file is empty: no header row"
                                                     : "bad header: " + header_error.message);
    }
  }
  const pipeline::FileContext context{path, logical_file_name(path)};
  const std::vector<std::string>* columns = header ? &*header : start.header;
  auto converter = pipeline_.make_converter(context, columns, options_.extra_columns);

  StreamResult result;
  result.warnings = converter->warnings();
  const auto& model = pipeline_.staging_model();
  // A part table's file_id defaults to the file's id: the server fills it in for every row,
  // which costs less than sending and decoding one 8-byte field per row.
  const bool file_id_by_default = !start.copy_table.empty();
  const auto field_count =
      static_cast<std::int16_t>((file_id_by_default ? 1 : 2) + model.columns.size());

  // --check (dry_run) is a reader: the rows are validated and counted, never sent.
  std::optional<db::CopySink> sink;
  if (!options_.dry_run) {
    sink.emplace(connection_);
    sink->begin(file_id_by_default ? table::copy_statement_by_default_file_id(
                                         start.copy_schema, start.copy_table, model)
                                   : table::copy_statement(options_.staging_schema, model));
  }
  // Returns true when the policy says to stop at this reject; past max_rejects the file fails
  // at once, which also bounds the reject spool.
  const auto reject = [&](const csv::RowError& error) {
    rejects_.add(error);
    if (options_.on_error == OnRowError::kContinue && rejects_.count() > options_.max_rejects) {
      abort_copy(sink, "too many rejects");
      throw FileFailure(fmt::format(
          "more than max_rejects ({}) rows rejected; stopped reading at line {} without loading "
          "anything",
          options_.max_rejects, error.line));
    }
    return options_.on_error == OnRowError::kSkipFile;
  };

  table::CopyRowWriter writer;
  csv::CsvRow row;
  csv::RowError error;
  std::uint64_t data_rows = 0;
  const auto started = Clock::now();
  auto next_progress = started + options_.progress_interval;

  const std::uint64_t first_data_line = reader.next_line();
  for (;;) {
    if (options_.row_limit && data_rows >= *options_.row_limit) {
      break;
    }
    // Checked per batch of records, rejected ones included, so that shutdown is honoured
    // within a second even when nothing reaches the COPY stream.
    if (data_rows % kRecordsPerCheck == 0) {
      if (options_.cancel != nullptr && options_.cancel->load()) {
        abort_copy(sink, "the service is stopping");
        throw LoadCancelled("load of " + path.filename().string() + " cancelled by shutdown");
      }
      if (options_.on_progress && Clock::now() >= next_progress) {
        options_.on_progress({path.filename().string(), writer.rows(), reader.bytes_consumed(),
                              reader.total_bytes(),
                              std::chrono::duration<double>(Clock::now() - started).count()});
        next_progress = Clock::now() + options_.progress_interval;
      }
    }
    const auto status = reader.next(row, error);
    if (status == csv::ReadStatus::kEnd) {
      break;
    }
    ++data_rows;
    if (status == csv::ReadStatus::kError) {
      result.rejected_lines += reader.next_line() - error.line;
      if (reader.broken()) {
        rejects_.add(error);
        abort_copy(sink, "broken quoting");
        throw FileFailure(error.message);
      }
      if (reject(error)) {
        result.stopped_at_first_reject = true;
        break;
      }
      continue;
    }
    writer.begin_row(field_count);
    if (!file_id_by_default) {
      writer.put_int64(file_id);
    }
    writer.put_int64(static_cast<std::int64_t>(row.line));
    if (auto row_error = converter->convert(row, writer)) {
      writer.abandon_row();
      result.rejected_lines += reader.next_line() - row.line;
      if (reject(*row_error)) {
        result.stopped_at_first_reject = true;
        break;
      }
      continue;
    }
    writer.end_row();
    if (writer.complete_bytes().size() >= db::CopySink::kMaxMessageBytes) {
      if (sink) {
        sink->write(writer.complete_bytes());
      }
      writer.consume_complete();
    }
  }
  result.data_lines = reader.next_line() - first_data_line;
  if (result.stopped_at_first_reject) {
    abort_copy(sink, "file rejected");
    return result;
  }
  if (!sink) {
    result.rows_loaded = writer.rows();
    return result;
  }
  sink->write(writer.complete_bytes());
  writer.consume_complete();
  result.rows_loaded = sink->finish();
  return result;
}

}  // namespace dp::ingest
