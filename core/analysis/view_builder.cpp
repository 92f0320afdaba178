#include "core/analysis/view_builder.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "core/analysis/analysis_error.hpp"

namespace dp::analysis {
namespace fs = std::filesystem;
namespace {

/// Serializes concurrent --analysis runs: two rebuilds of the same schema would otherwise trip
/// over each other's dropped views.
constexpr const char* kBuildLock =
    "SELECT pg_advisory_xact_lock(hashtextextended('dataprocessor analysis views', 0))";
constexpr const char* kListViews =
    "SELECT c.relname, c.relkind FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'analysis' AND c.relkind IN ('v', 'm') ORDER BY c.relname";

std::string quote_identifier(db::LibpqConnection& connection, const std::string& name) {
  char* quoted = PQescapeIdentifier(connection.native_handle(), name.data(), name.size());
  if (quoted == nullptr) {
    throw connection.make_error(nullptr);
  }
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw AnalysisError("cannot read " + path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The 1-based line of a 1-based character position (PostgreSQL counts characters, not bytes).
std::size_t line_of(const std::string& sql, long position) {
  std::size_t line = 1;
  long characters = 0;
  for (const char c : sql) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U && ++characters >= position) {
      break;
    }
    if (c == '\n') {
      ++line;
    }
  }
  return line;
}

/// Runs one file's statements; on failure throws AnalysisError with the file, line and error.
void run_file(db::LibpqConnection& connection, const fs::path& file, const std::string& shown) {
  const std::string sql = read_file(file);
  PGresult* result = PQexec(connection.native_handle(), sql.c_str());
  const auto status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    PQclear(result);
    return;
  }
  const auto error = connection.make_error(result);
  const char* position = PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION);
  const std::string where =
      position == nullptr
          ? std::string()
          : fmt::format(" line {}", line_of(sql, std::strtol(position, nullptr, 10)));
  PQclear(result);
  throw AnalysisError(
      fmt::format("analysis view file {}{} failed: {}", shown, where, error.what()));
}

}  // namespace

std::vector<fs::path> list_view_files(const fs::path& views_dir) {
  std::error_code error;
  if (!fs::is_directory(views_dir, error)) {
    throw AnalysisError("the analysis views folder " + views_dir.string() +
                        " does not exist (check sql_dir)");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(views_dir)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file() && entry.path().extension() == ".sql" && name.front() != '.') {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end(), [&](const fs::path& a, const fs::path& b) {
    return a.lexically_relative(views_dir).generic_string() <
           b.lexically_relative(views_dir).generic_string();
  });
  if (files.empty()) {
    throw AnalysisError("no analysis view files (*.sql) under " + views_dir.string());
  }
  return files;
}

std::string view_search_path(db::LibpqConnection& connection, const std::string& dw_schema,
                             const std::string& staging_schema) {
  return quote_identifier(connection, dw_schema) + ", " +
         quote_identifier(connection, staging_schema) + ", ingest, public";
}

std::vector<std::string> list_analysis_views(db::LibpqConnection& connection) {
  std::vector<std::string> views;
  const auto result = connection.exec(kListViews);
  for (int row = 0; row < result.rows(); ++row) {
    views.emplace_back(result.get(row, 0));
  }
  return views;
}

ViewBuildResult build_analysis_views(db::LibpqConnection& connection,
                                     const ViewBuildOptions& options) {
  ViewBuildResult out;
  out.files = list_view_files(options.views_dir);
  db::LibpqTransaction transaction(connection);
  connection.exec(kBuildLock);
  connection.exec_params("SELECT set_config('search_path', $1, true)",
                         {view_search_path(connection, options.dw_schema, options.staging_schema)});
  const auto existing = connection.exec(kListViews);
  for (int row = 0; row < existing.rows(); ++row) {
    const bool materialized = existing.get(row, 1) == "m";
    connection.exec(fmt::format("DROP {}VIEW IF EXISTS analysis.{} CASCADE",
                                materialized ? "MATERIALIZED " : "",
                                quote_identifier(connection, std::string(existing.get(row, 0)))));
  }
  for (const auto& file : out.files) {
    const auto shown = (options.views_dir.filename() / file.lexically_relative(options.views_dir))
                           .generic_string();
    run_file(connection, file, shown);
  }
  out.views = list_analysis_views(connection);
  transaction.commit();
  return out;
}

}  // namespace dp::analysis
