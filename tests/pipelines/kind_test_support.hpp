#pragma once
// Header-only helpers shared by the tests of pipelines/ (each tests/pipelines/<folder> is its own
// executable, so shared code lives here, included, rather than in a library).

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"
#include "core/db/copy_sink.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/pipeline/pipeline_registry.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/ddl.hpp"
#include "pipelines/register_all.hpp"
#include "tests/support/test_database.hpp"

namespace dp::test {

/// The registry the service builds, with every kind of this build.
inline const pipeline::PipelineRegistry& all_kinds() {
  static const pipeline::PipelineRegistry registry = [] {
    pipeline::PipelineRegistry built;
    pipelines::register_all_pipelines(built);
    return built;
  }();
  return registry;
}

/// The kind named `name`; fails the test run loudly when it is not registered.
inline const pipeline::Pipeline& kind(std::string_view name) {
  const pipeline::Pipeline* found = all_kinds().find(name);
  if (found == nullptr) {
    throw std::logic_error("no kind named " + std::string(name));
  }
  return *found;
}

/// A file of the repository's samples/ (the real files of every subject), the ground truth
/// for formats.
inline std::filesystem::path sample_file(std::string_view relative) {
  return std::filesystem::path(DP_SAMPLES_DIR) / relative;
}

/// A fixture of this repository's tests/data.
inline std::filesystem::path fixture(std::string_view relative) {
  return std::filesystem::path(DP_TEST_DATA_DIR) / relative;
}

/// What reading a file through the real reader and a kind's converter produced.
struct ConvertedFile {
  /// Rows the converter accepted.
  std::uint64_t rows = 0;
  /// Reader and converter rejects, in file order.
  std::vector<csv::RowError> rejects;
  /// The accepted tuples in binary COPY format (lineage file_id, line_no = source line),
  /// without the stream header and trailer (CopySink adds those).
  std::string copy_data;
  std::vector<std::string> warnings;

  /// Line numbers of the rejects, for comparing with a bad-rows manifest.
  std::set<std::uint64_t> reject_lines() const {
    std::set<std::uint64_t> lines;
    for (const csv::RowError& error : rejects) {
      lines.insert(error.line);
    }
    return lines;
  }
  /// "line N: message" for every reject, for readable test failures.
  std::string describe_rejects(std::size_t limit = 5) const {
    std::string text;
    for (std::size_t i = 0; i < rejects.size() && i < limit; ++i) {
      text += "line " + std::to_string(rejects[i].line) + ": " + rejects[i].message + "\n";
    }
    return text;
  }
};

/// Reads `path` as the file loader does (the kind's dialect, header, FileContext with the
/// name without `.gz`, one converter per file) into a CopyRowWriter. `keep_copy_data` false
/// discards the tuples as they complete, for large generated files; `file_id` is the lineage
/// id written on every tuple (distinct ids let several files share a table).
inline ConvertedFile convert_file(const std::filesystem::path& path,
                                  const pipeline::Pipeline& pipeline, bool keep_copy_data = true,
                                  std::int64_t file_id = 1) {
  const pipeline::CsvDialect dialect = pipeline.dialect();
  csv::CsvReaderOptions options;
  options.delimiter = dialect.delimiter;
  options.quote = dialect.quote;
  csv::CsvReader reader(csv::open_input(path.string()), options);
  std::optional<std::vector<std::string>> header;
  if (dialect.has_header) {
    header = reader.read_header();
    if (!header) {
      throw std::runtime_error(path.string() + ": no header");
    }
  }
  std::string logical = path.filename().string();
  if (logical.size() > 3 && logical.ends_with(".gz")) {
    logical.resize(logical.size() - 3);
  }
  const pipeline::FileContext context{path, logical};
  auto converter = pipeline.make_converter(context, header ? &*header : nullptr,
                                           pipeline::ExtraColumns::kIgnore);
  ConvertedFile result;
  result.warnings = converter->warnings();
  const auto field_count = static_cast<std::int16_t>(2 + pipeline.staging_model().columns.size());
  table::CopyRowWriter writer;
  csv::CsvRow row;
  csv::RowError error;
  for (;;) {
    const csv::ReadStatus status = reader.next(row, error);
    if (status == csv::ReadStatus::kEnd) {
      break;
    }
    if (status == csv::ReadStatus::kError) {
      result.rejects.push_back(error);
      continue;
    }
    writer.begin_row(field_count);
    writer.put_int64(file_id);
    writer.put_int64(static_cast<std::int64_t>(row.line));
    if (auto row_error = converter->convert(row, writer)) {
      writer.abandon_row();
      result.rejects.push_back(std::move(*row_error));
      continue;
    }
    writer.end_row();
    if (!keep_copy_data && writer.complete_bytes().size() > (1 << 20)) {
      writer.consume_complete();
    }
  }
  result.rows = writer.rows();
  if (keep_copy_data) {
    result.copy_data = std::string(writer.complete_bytes());
  }
  return result;
}

/// convert_file by kind name.
inline ConvertedFile convert_file(const std::filesystem::path& path, std::string_view kind_name,
                                  bool keep_copy_data = true) {
  return convert_file(path, kind(kind_name), keep_copy_data);
}

/// Creates the kind's staging table (DDL derived from its model) in schema `staging` of `db`
/// and COPYs the converted tuples into it, as the loader does; returns the rows the server
/// copied. Lets a test read converted values back with SQL from the real server.
inline std::uint64_t load_into(const TestDatabase& db, const pipeline::Pipeline& pipeline,
                               const ConvertedFile& converted) {
  db::LibpqConnection connection(db.conninfo());
  connection.exec("CREATE SCHEMA IF NOT EXISTS staging");
  connection.exec(table::create_table_sql("staging", pipeline.staging_model()));
  db::CopySink sink(connection);
  sink.begin(table::copy_statement("staging", pipeline.staging_model()));
  sink.write(converted.copy_data);
  return sink.finish();
}

/// The line numbers a generator's `NAME.bad-rows.txt` lists (comment lines skipped).
inline std::set<std::uint64_t> manifest_lines(const std::filesystem::path& manifest) {
  std::ifstream in(manifest);
  std::set<std::uint64_t> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') {
      lines.insert(std::stoull(line.substr(0, line.find('\t'))));
    }
  }
  return lines;
}

/// A whole file's bytes.
inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

/// A file's lines without terminators (CRLF or LF).
inline std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace dp::test
