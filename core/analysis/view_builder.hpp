#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/db/libpq_connection.hpp"

namespace dp::analysis {

/// Where the view files are and which schemas their unqualified names resolve to.
struct ViewBuildOptions {
  /// sql/analysis: one folder per subject, each with `NNN_name.sql` files.
  std::filesystem::path views_dir;
  std::string dw_schema = "datawarehouse";
  std::string staging_schema = "staging";
};

/// What a build did: the files applied (in order) and the views schema `analysis` now holds.
struct ViewBuildResult {
  std::vector<std::filesystem::path> files;
  std::vector<std::string> views;
};

/// Every `.sql` file under `views_dir` (recursively), ordered by path relative to it — subject
/// folders alphabetically, files by their number — the order they are applied in. Throws
/// AnalysisError when the folder is missing or holds no view file.
std::vector<std::filesystem::path> list_view_files(const std::filesystem::path& views_dir);

/// `"dw", "staging", ingest, public` with both names quoted as identifiers: the search_path the
/// view files are written for (the same as the warehouse steps).
std::string view_search_path(db::LibpqConnection& connection, const std::string& dw_schema,
                             const std::string& staging_schema);

/// Rebuilds schema `analysis` from the files in one transaction: the views it holds are
/// dropped (so a renamed or removed view does not linger, and a view may change its columns),
/// then each file runs in order with the search_path above. Any failure rolls everything back —
/// the previous views stay — and throws AnalysisError naming the file, the line and the
/// database's message.
ViewBuildResult build_analysis_views(db::LibpqConnection& connection,
                                     const ViewBuildOptions& options);

/// Names of the views (and materialized views) in schema `analysis`, sorted.
std::vector<std::string> list_analysis_views(db::LibpqConnection& connection);

}  // namespace dp::analysis
