#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/pipeline/pipeline_registry.hpp"
#include "pipelines/generation/generated_csv_file.hpp"

namespace dp::pipelines {

/// What `dataprocessor --generate KIND --rows N --out DIR [--seed S] [--bad-rows R]` asks for;
/// main.cpp copies cmd::GenerateOptions into it and calls run_generator.
struct GenerateRequest {
  /// A declared kind (built-in or from kinds_dir) or a subject that writes a consistent set of
  /// files (`course_traffic`, `support_desk`, `job_titles`, `habits`).
  std::string kind;
  /// Data rows of the kind's file; for a subject, of its main file (see docs/file-kinds.md).
  std::uint64_t rows = 0;
  std::filesystem::path out;
  /// Same seed, same bytes.
  std::uint64_t seed = 1;
  /// Rows spoiled on purpose, listed with line numbers in `NAME.bad-rows.txt`.
  std::uint64_t bad_rows = 0;
  /// Draw a progress line on stderr when stderr is a terminal.
  bool show_progress = true;
  /// The kinds in force (built-in and kinds_dir); null: the built-in kinds.
  const pipeline::PipelineRegistry* kinds = nullptr;
};

using gen::GeneratedFile;

/// A request that cannot be served (unknown kind, more bad rows than rows): exit code 2.
struct GenerateUsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// Writes the files of a request and says what was written. Throws GenerateUsageError for a
/// bad request and std::runtime_error when a file cannot be written (no partial file is left:
/// each file appears under its name only when complete).
std::vector<GeneratedFile> generate_files(const GenerateRequest& request);

/// generate_files for main(): prints one line per file on stdout, errors on stderr, and returns
/// the exit code (0 done, 1 I/O failure, 2 bad request).
int run_generator(const GenerateRequest& request);

/// Every name --generate accepts: the declared kinds of `kinds` (null: the built-in ones; each
/// has a generator, hand-tuned or generate_declared), then the subjects.
std::vector<std::string> generator_names(const pipeline::PipelineRegistry* kinds = nullptr);

}  // namespace dp::pipelines
