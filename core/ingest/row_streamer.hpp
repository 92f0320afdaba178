#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/ingest/load_types.hpp"
#include "core/ingest/reject_spool.hpp"
#include "core/pipeline/pipeline.hpp"

namespace dp::ingest {

/// A reason that fails the file as a whole (bad header, too many rejects, unreadable input).
struct FileFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What streaming the rows produced before the commit decision.
struct StreamResult {
  std::uint64_t rows_loaded = 0;
  /// Physical data lines read, and those spanned by rejected records: the reject ratio counts
  /// lines, so one record that swallowed many lines cannot hide behind a count of one.
  std::uint64_t data_lines = 0;
  std::uint64_t rejected_lines = 0;
  std::vector<std::string> warnings;
  bool stopped_at_first_reject = false;
  /// COPY streams that carried the rows (more than one when the file was cut into parts).
  std::size_t copy_streams = 1;
};

/// Where a stream starts: the whole file (the default), or a later part of it read on its own
/// by a parallel COPY, which reports the whole file's lines and offsets and has no header row.
struct StreamStart {
  std::uint64_t first_line = 1;
  std::uint64_t first_byte_offset = 0;
  /// The file's header, for a later part (whose first row is data); nullptr reads the header
  /// from the input when the dialect has one.
  const std::vector<std::string>* header = nullptr;
  bool later_part = false;
  /// The table the rows are copied into when it is not the kind's staging table (a part
  /// table of a big file, same columns, file_id defaulting to the file's id): schema and name,
  /// unquoted; empty for staging.
  std::string copy_schema;
  std::string copy_table;
};

/// How the kind's dialect and the load's limits read a file (from its first byte).
csv::CsvReaderOptions reader_options_for(const pipeline::Pipeline& pipeline,
                                         const LoadOptions& options);

/// Reads the records of one input, converts them with the kind's converter and streams them as
/// one binary COPY into the kind's staging table on `connection` (nothing is sent for --check).
/// Rejects go to `rejects`; a reason that fails the whole file is thrown as FileFailure.
class RowStreamer {
 public:
  RowStreamer(const pipeline::Pipeline& pipeline, const LoadOptions& options,
              db::LibpqConnection& connection, RejectSpool& rejects)
      : pipeline_(pipeline), options_(options), connection_(connection), rejects_(rejects) {}

  /// Streams `input` (the file `path`, or one part of it) as rows of `file_id`.
  StreamResult stream(std::unique_ptr<csv::ByteSource> input, const std::filesystem::path& path,
                      std::int64_t file_id, const StreamStart& start = {});

 private:
  const pipeline::Pipeline& pipeline_;
  const LoadOptions& options_;
  db::LibpqConnection& connection_;
  RejectSpool& rejects_;
};

}  // namespace dp::ingest
