#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/config/config_error.hpp"
#include "pipelines/kinds/kind_declaration.hpp"

namespace dp::pipelines {

/// A kind declaration that cannot be used. The message names the file, the line and the key
/// ("kinds/orders.toml:12: columns[2].type: unknown type ..."); start-up stops with exit code 2.
struct KindFileError : config::ConfigError {
  using config::ConfigError::ConfigError;
};

/// Parses and validates one kind declaration (docs/file-kinds.md is the vocabulary). `source`
/// names it in messages and in --kinds. Throws KindFileError.
KindDeclaration parse_kind(std::string_view toml_text, const std::string& source);

/// parse_kind for a file on disk; the path is the source.
KindDeclaration parse_kind_file(const std::filesystem::path& path);

/// The type a TOML `type` value names (`integer`, `numeric(14,2)`, `text[]`...); false when it
/// names none. Sets precision and scale for `numeric(p,s)`.
bool parse_column_type(std::string_view text, table::ColumnModel& column);

}  // namespace dp::pipelines
