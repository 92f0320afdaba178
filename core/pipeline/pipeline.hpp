#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv/csv_row.hpp"
#include "core/csv/row_error.hpp"
#include "core/table/table_model.hpp"

namespace dp::table {
class CopyRowWriter;
}

namespace dp::pipeline {

/// How a kind's files are written; the CSV reader is configured from it.
struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
  /// Whether the first record is a header (support-desk extracts have none).
  bool has_header = true;
};

/// What a converter may know about the file it converts (e.g. a year in the file name).
struct FileContext {
  /// Path of the file as it lies in imports/ (or as given to --ingest).
  std::filesystem::path path;
  /// The file name as dropped, without a trailing `.gz`.
  std::string logical_name;
};

/// How to treat header columns no model column asks for.
enum class ExtraColumns { kIgnore, kFail };

/// Raised by make_converter when a file cannot be loaded at all (e.g. a required column is
/// missing from its header): it fails the file, never the service.
struct FileRejected : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Turns one CSV record into one staging tuple; one instance per file, so it may keep state.
class RowConverter {
 public:
  virtual ~RowConverter() = default;
  /// Writes the row's model columns (not the lineage columns) to `out`, or says why the row is
  /// rejected; on error nothing of the row may have been written to `out`.
  virtual std::optional<csv::RowError> convert(const csv::CsvRow& row,
                                               table::CopyRowWriter& out) = 0;
  /// Warnings about the file as a whole found while building the converter (extra columns).
  virtual std::vector<std::string> warnings() const { return {}; }
};

/// A file kind: how to recognise its files, read them, and where their rows go. Core knows only
/// this interface; each kind lives in pipelines/<kind>/ and is listed in register_all.cpp.
class Pipeline {
 public:
  virtual ~Pipeline() = default;
  /// Stable kind name used in the ledger, metrics and settings (e.g. "partner_feed").
  virtual std::string_view name() const = 0;
  /// Case-insensitive globs matched against the file name (without `.gz`).
  virtual std::vector<std::string> file_patterns() const = 0;
  /// Leading header names (case-insensitive, trimmed) that identify the kind when the file name
  /// does not; empty when the kind cannot be told by its header.
  virtual std::vector<std::string> header_signature() const { return {}; }
  virtual CsvDialect dialect() const { return {}; }
  /// The staging table this kind loads into, declared once in models/.
  virtual const table::TableModel& staging_model() const = 0;
  /// Builds the per-file converter from the header (nullptr for headerless dialects).
  /// Throws FileRejected when the file cannot be loaded at all.
  virtual std::unique_ptr<RowConverter> make_converter(const FileContext& file,
                                                       const std::vector<std::string>* header,
                                                       ExtraColumns extra_columns) const = 0;
};

}  // namespace dp::pipeline
