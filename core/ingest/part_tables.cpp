#include "core/ingest/part_tables.hpp"

#include <map>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/ingest/prepared_parts.hpp"
#include "core/ingest/staging_tables.hpp"
#include "core/table/ddl.hpp"
#include "core/table/table_model.hpp"

namespace dp::ingest {
namespace {

/// Dropping an inheritance child takes an ACCESS EXCLUSIVE lock on its parent too, which waits
/// for every load into the staging table and, while it waits, makes every reader of it wait
/// behind it: a drop gives up after this and is left for the next start. An empty part table
/// left meanwhile costs nothing but its name.
constexpr const char* kDropLockTimeout = "SET LOCAL lock_timeout = '100ms'";

/// Part tables of every staging schema, with their file id, by name (table::part_table_name in
/// a `..._parts` schema, inheriting from some table); $1 and $2 are the name's expressions.
constexpr const char* kListPartTables =
    "SELECT n.nspname, c.relname, substring(c.relname from $2)::bigint "
    "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname LIKE '%\\_parts' AND c.relname ~ $1 ORDER BY 3, 1, 2";

/// Drops one table in a transaction of its own; false (logged) when it cannot now.
bool drop_table(db::LibpqConnection& connection, const std::string& qualified) {
  try {
    db::LibpqTransaction transaction(connection);
    connection.exec(kDropLockTimeout);
    connection.exec("DROP TABLE IF EXISTS " + qualified);
    transaction.commit();
    return true;
  } catch (const std::exception& error) {
    spdlog::info("cannot drop the empty part table {} now ({}); the next start drops it", qualified,
                 error.what());
    return false;
  }
}

}  // namespace

std::string PartTables::schema() const {
  return table::part_tables_schema(staging_schema);
}

std::string PartTables::table(std::size_t part) const {
  return table::part_table_name(file_id, part, staging_table);
}

std::string PartTables::qualified(std::size_t part) const {
  return table::quote_identifier(schema()) + "." + table::quote_identifier(table(part));
}

void create_part_tables(db::LibpqConnection& connection, const PartTables& tables) {
  db::LibpqTransaction transaction(connection);
  // Two loads never race on CREATE SCHEMA, and no part table appears mid staging change.
  lock_staging_ddl(connection);
  connection.exec("CREATE SCHEMA IF NOT EXISTS " + table::quote_identifier(tables.schema()));
  const std::string parent = table::quote_identifier(tables.staging_schema) + "." +
                             table::quote_identifier(tables.staging_table);
  for (std::size_t part = 0; part < tables.parts; ++part) {
    connection.exec("CREATE TABLE " + tables.qualified(part) + " () INHERITS (" + parent + ")");
    // The rows are copied without their file id, which is the same on every row.
    connection.exec("ALTER TABLE " + tables.qualified(part) + " ALTER COLUMN " +
                    table::quote_identifier(table::kFileIdColumn) + " SET DEFAULT " +
                    std::to_string(tables.file_id));
  }
  transaction.commit();
}

void index_part_table(db::LibpqConnection& connection, const PartTables& tables, std::size_t part) {
  connection.exec("CREATE INDEX ON " + tables.qualified(part) + " USING brin (" +
                  table::quote_identifier(table::kFileIdColumn) + ")");
}

void drop_part_tables(const std::string& conninfo, const PartTables& tables) noexcept {
  try {
    db::LibpqConnection connection(conninfo);
    for (std::size_t part = 0; part < tables.parts; ++part) {
      drop_table(connection, tables.qualified(part));
    }
  } catch (const std::exception& error) {
    spdlog::warn("file id {}: cannot drop its part tables now ({}); the next start drops them",
                 tables.file_id, error.what());
  }
}

std::size_t drop_abandoned_part_tables(db::LibpqConnection& connection) {
  const auto listed = connection.exec_params(
      kListPartTables, {table::kPartTableNameRegex, table::kPartTableFileIdRegex});
  std::map<std::int64_t, std::vector<std::string>> by_file;
  for (int row = 0; row < listed.rows(); ++row) {
    by_file[std::stoll(std::string(listed.get(row, 2)))].push_back(
        table::quote_identifier(listed.get(row, 0)) + "." +
        table::quote_identifier(listed.get(row, 1)));
  }
  std::size_t dropped = 0;
  for (const auto& [file_id, names] : by_file) {
    if (!try_lock_live_load(connection, file_id)) {
      continue;  // Its loader is alive.
    }
    try {
      // Read under the lock: a loader that held it until now has decided.
      if (!ledger_says_loaded(connection, file_id)) {
        for (const auto& name : names) {
          if (drop_table(connection, name)) {
            ++dropped;
            spdlog::warn("file id {}: dropped the part table {} of a load that stopped", file_id,
                         name);
          }
        }
      }
    } catch (...) {
      unlock_live_load(connection, file_id);
      throw;
    }
    unlock_live_load(connection, file_id);
  }
  return dropped;
}

}  // namespace dp::ingest
