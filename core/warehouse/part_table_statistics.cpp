#include "core/warehouse/part_table_statistics.hpp"

#include <spdlog/spdlog.h>

#include "core/table/ddl.hpp"

namespace dp::warehouse {
namespace {

/// Part tables never analyzed (by hand or by autovacuum) whose file the ledger has loaded; a
/// load still running is left alone (its rows are not visible to a sample yet).
/// $2 and $3 are the part table name's expressions (table::kPartTableNameRegex, ...FileIdRegex).
constexpr const char* kNeverAnalyzed =
    "SELECT format('%I.%I', t.schemaname, t.relname) FROM pg_stat_user_tables t "
    "WHERE t.schemaname = $1 AND t.last_analyze IS NULL AND t.last_autoanalyze IS NULL "
    "AND t.relname ~ $2 AND EXISTS (SELECT 1 FROM ingest.files f "
    "WHERE f.file_id = substring(t.relname from $3)::bigint "
    "AND f.status = 'loaded') ORDER BY t.relname";

}  // namespace

std::size_t analyze_new_part_tables(pqxx::connection& connection,
                                    const std::string& staging_schema) {
  pqxx::nontransaction work(connection);
  const auto tables = work.exec_params(kNeverAnalyzed, table::part_tables_schema(staging_schema),
                                       table::kPartTableNameRegex, table::kPartTableFileIdRegex);
  for (const auto& row : tables) {
    work.exec0("ANALYZE " + row[0].as<std::string>());
  }
  if (!tables.empty()) {
    spdlog::info("analyzed {} new part table(s) of big files", tables.size());
  }
  return static_cast<std::size_t>(tables.size());
}

}  // namespace dp::warehouse
