#include "core/warehouse/part_table_statistics.hpp"

#include <spdlog/spdlog.h>

namespace dp::warehouse {
namespace {

/// Part tables never analyzed (by hand or by autovacuum) whose file the ledger has loaded; a
/// load still running is left alone (its rows are not visible to a sample yet).
constexpr const char* kNeverAnalyzed =
    "SELECT format('%I.%I', t.schemaname, t.relname) FROM pg_stat_user_tables t "
    "WHERE t.schemaname = $1 AND t.last_analyze IS NULL AND t.last_autoanalyze IS NULL "
    "AND t.relname ~ '^f[0-9]{1,18}_p[0-9]{1,4}_' AND EXISTS (SELECT 1 FROM ingest.files f "
    "WHERE f.file_id = substring(t.relname from '^f([0-9]{1,18})_p')::bigint "
    "AND f.status = 'loaded') ORDER BY t.relname";

}  // namespace

std::size_t analyze_new_part_tables(pqxx::connection& connection,
                                    const std::string& staging_schema) {
  pqxx::nontransaction work(connection);
  const auto tables = work.exec_params(kNeverAnalyzed, staging_schema + "_parts");
  for (const auto& row : tables) {
    work.exec0("ANALYZE " + row[0].as<std::string>());
  }
  if (!tables.empty()) {
    spdlog::info("analyzed {} new part table(s) of big files", tables.size());
  }
  return static_cast<std::size_t>(tables.size());
}

}  // namespace dp::warehouse
