#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/infer/dialect_sniffer.hpp"
#include "core/table/table_model.hpp"

namespace dp::infer {

/// A file the sniffer cannot draft a kind for (empty, not UTF-8, a broken quote); the message
/// names the file and says what to do.
class InferError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What `--infer FILE [--name KIND] [--rows N]` asks for.
struct InferOptions {
  /// Kind name of the draft; derived from the file name when empty.
  std::string name;
  /// Data records sampled from the start of the file (DuckDB's default sample size).
  std::uint64_t rows = 20480;
};

/// One drafted column: the staging column (name, type, NOT NULL, header name it comes from,
/// numeric precision and scale) and its 1-based field position.
struct DraftColumn {
  table::ColumnModel model;
  std::size_t position = 0;
};

/// A kind declaration drafted from the start of a file, in the terms of the kind contract
/// (docs/file-kinds.md): rendered as TOML by render_kind_toml.
struct KindDraft {
  std::string name;
  std::string file_name;
  std::string pattern;
  Dialect dialect;
  bool header = false;
  /// The header's names as written (trimmed); empty without a header.
  std::vector<std::string> header_names;
  /// The leading non-empty header names: the draft's header_signature.
  std::vector<std::string> signature;
  std::vector<DraftColumn> columns;
  /// Data records the types were inferred from (the header not counted).
  std::uint64_t sampled_rows = 0;
  /// Whether the sample reached the end of the file.
  bool whole_file = false;
  /// Sampled records with another number of fields than the draft's (they would be rejected).
  std::uint64_t odd_records = 0;
};

/// Reads the start of `file` (plain or gzip) and drafts a kind that loads it: dialect, header,
/// per column the narrowest type every sampled value fits (checked with the loader's own
/// conversion) and whether it may be empty. Throws InferError when no draft is possible.
KindDraft draft_kind(const std::filesystem::path& file, const InferOptions& options);

/// The same for bytes already in memory (`truncated`: they are only the start of the file).
KindDraft draft_kind_from_bytes(const std::string& file_name, std::string bytes, bool truncated,
                                const InferOptions& options);

/// The draft as a kind declaration file: the contract's keys only, with comments saying what the
/// sniffer saw (line ending, sample size, encoding).
std::string render_kind_toml(const KindDraft& draft);

/// Whether `name` can name a kind: [a-z][a-z0-9_]*.
bool is_valid_kind_name(const std::string& name);

}  // namespace dp::infer
