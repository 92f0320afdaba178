#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/db/libpq_connection.hpp"
#include "core/fs/atomic_file_writer.hpp"

namespace dp::analysis {

/// A view exported to CSV: which file, how many data rows.
struct ExportedView {
  std::string view;
  std::filesystem::path path;
  std::uint64_t rows = 0;
};

/// `<folder>/<view>.csv`, refusing a view name that is not a plain file name (empty, starting
/// with a dot, or holding `/`): a view must never write outside the exports folder. Throws
/// AnalysisError.
std::filesystem::path export_path(const std::filesystem::path& folder, const std::string& view);

/// Streams `SELECT * FROM analysis.<view>` as CSV (RFC 4180, header row, UTF-8) into `writer`
/// through COPY TO STDOUT, so memory stays flat whatever the view's size. The caller commits
/// the writer (export_path, AtomicFileWriter) once everything it exports together succeeded.
/// Returns the number of data rows; throws db::PgError.
std::uint64_t copy_view_csv(db::LibpqConnection& connection, const std::string& view,
                            files::AtomicFileWriter& writer);

}  // namespace dp::analysis
