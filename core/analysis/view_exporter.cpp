#include "core/analysis/view_exporter.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "core/analysis/analysis_error.hpp"

namespace dp::analysis {
namespace fs = std::filesystem;

fs::path export_path(const fs::path& folder, const std::string& view) {
  if (view.empty() || view.front() == '.' || view.find('/') != std::string::npos ||
      view.find('\0') != std::string::npos) {
    throw AnalysisError(fmt::format(
        "view analysis.\"{}\" cannot be exported: its name is not a plain file name", view));
  }
  return folder / (view + ".csv");
}

std::uint64_t copy_view_csv(db::LibpqConnection& connection, const std::string& view,
                            files::AtomicFileWriter& writer) {
  PGconn* conn = connection.native_handle();
  char* quoted = PQescapeIdentifier(conn, view.data(), view.size());
  if (quoted == nullptr) {
    throw connection.make_error(nullptr);
  }
  // COPY takes no parameters; the view's name is quoted by libpq as an identifier.
  const auto sql = fmt::format(
      "COPY (SELECT * FROM analysis.{}) TO STDOUT (FORMAT csv, HEADER, ENCODING 'UTF8')", quoted);
  PQfreemem(quoted);
  PGresult* started = PQexec(conn, sql.c_str());
  if (PQresultStatus(started) != PGRES_COPY_OUT) {
    auto error = connection.make_error(started);
    PQclear(started);
    throw error;
  }
  PQclear(started);
  char* chunk = nullptr;
  int length = 0;
  try {
    while ((length = PQgetCopyData(conn, &chunk, 0)) > 0) {
      writer.append(std::string_view(chunk, static_cast<std::size_t>(length)));
      PQfreemem(chunk);
      chunk = nullptr;
    }
  } catch (...) {
    // A write failed: drain the COPY so the connection stays usable for the rollback.
    PQfreemem(chunk);
    while ((length = PQgetCopyData(conn, &chunk, 0)) > 0) {
      PQfreemem(chunk);
    }
    while (PGresult* rest = PQgetResult(conn)) {
      PQclear(rest);
    }
    throw;
  }
  PGresult* finished = PQgetResult(conn);
  const bool ok = PQresultStatus(finished) == PGRES_COMMAND_OK;
  std::uint64_t rows = 0;
  if (ok) {
    rows = std::strtoull(PQcmdTuples(finished), nullptr, 10);
  }
  auto error = ok ? db::PgError("", "", false) : connection.make_error(finished);
  PQclear(finished);
  while (PGresult* rest = PQgetResult(conn)) {
    PQclear(rest);
  }
  if (!ok) {
    throw error;
  }
  return rows;
}

}  // namespace dp::analysis
