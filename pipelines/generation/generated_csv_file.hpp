#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/generation/bad_row_plan.hpp"

namespace dp::pipelines::gen {

/// What every generator needs to know about the request it serves.
struct GeneratorContext {
  /// Folder the files go to (created when missing).
  std::filesystem::path out;
  std::uint64_t seed = 1;
  /// Whether a progress line may be drawn on stderr (it is only when stderr is a terminal).
  bool show_progress = false;
};

/// A file a generator wrote, for the caller's summary and for tests.
struct GeneratedFile {
  std::filesystem::path path;
  /// Data rows, header not counted.
  std::uint64_t rows = 0;
  /// Rows spoiled on purpose, each listed in bad_rows_manifest.
  std::uint64_t bad_rows = 0;
  /// `NAME.bad-rows.txt` beside the file; empty when nothing was spoiled.
  std::filesystem::path bad_rows_manifest;
};

/// How the sample files of a kind are written.
struct CsvFileStyle {
  /// Every field in double quotes (the support-desk extracts), else quotes only where needed.
  bool quote_all = false;
  /// CRLF line ends (support desk, habit dumps), else LF.
  bool crlf = false;
  /// Field delimiter and quote character (a declared kind's dialect).
  char delimiter = ',';
  char quote = '"';
};

/// A generated CSV file written in constant memory: rows go through a 1 MiB buffer into a
/// hidden temporary name (`.NAME.PID.tmp`, which the watcher never touches) and the file is
/// fsynced and renamed into place by commit(), so nobody ever sees half a file. Spoils the rows
/// its BadRowPlan names and writes the manifest that lists them.
class GeneratedCsvFile {
 public:
  /// Opens the temporary file; `planned_rows` (0 when unknown) is for the progress line, and
  /// `plan` picks the rows to spoil with `spoilers` (taken in turn).
  GeneratedCsvFile(const GeneratorContext& context, std::string file_name, CsvFileStyle style,
                   std::uint64_t planned_rows, BadRowPlan plan = {},
                   std::span<const Spoiler> spoilers = {});
  ~GeneratedCsvFile();
  GeneratedCsvFile(const GeneratedCsvFile&) = delete;
  GeneratedCsvFile& operator=(const GeneratedCsvFile&) = delete;

  /// Writes the header line (not counted as a row).
  void write_header(std::span<const std::string_view> names);
  /// Writes one data row; when the plan names this row, `fields` is spoiled first (so it may
  /// come back changed).
  void write_row(std::vector<std::string>& fields);
  /// Data rows written so far.
  std::uint64_t rows() const { return rows_; }
  /// Flushes, fsyncs and renames the file into place (after writing its manifest, so that a
  /// reader who sees the file also finds the manifest). Throws std::runtime_error on I/O errors.
  GeneratedFile commit();

 private:
  void append_field(std::string_view field);
  void end_line();
  void flush();
  void report_progress(bool final);

  GeneratorContext context_;
  std::string file_name_;
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  CsvFileStyle style_;
  std::uint64_t planned_rows_;
  BadRowPlan plan_;
  std::span<const Spoiler> spoilers_;
  std::vector<BadRowRecord> spoiled_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t rows_ = 0;
  std::uint64_t line_ = 1;
  bool progress_ = false;
  std::chrono::steady_clock::time_point last_progress_;
};

}  // namespace dp::pipelines::gen
