#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/db/libpq_connection.hpp"

namespace dp::ingest {

/// Where the rows of a big file go: one table per part, an inheritance child of the kind's
/// staging table, so every query of `staging.<table>` reads them as its own rows. A part table
/// has no index while its part streams and gets its BRIN index on file_id right after, in the
/// part's own transaction: maintaining the staging table's BRIN index row by row cost 1.0 s of
/// the 3.5 s CPU time of a 4M-row load (perf), building the parts' indexes afterwards 0.38 s,
/// the parts side by side (docs/architecture.md, "Part tables").
struct PartTables {
  /// The staging table the parts inherit from, and its schema.
  std::string staging_schema;
  std::string staging_table;
  std::int64_t file_id = 0;
  std::size_t parts = 0;

  /// The schema of the part tables (table::part_tables_schema of the staging schema).
  std::string schema() const;
  /// The part table of part `part` (table::part_table_name).
  std::string table(std::size_t part) const;
  /// `schema.table(part)`, quoted for SQL.
  std::string qualified(std::size_t part) const;
};

/// Creates the (empty) part tables, file_id defaulting to the file's id (the parts' COPY leaves
/// it out), and commits them on `connection`, which must have no
/// transaction open: the parts stream on other connections, which must see them. Empty part
/// tables left by a load that stops are dropped by drop_part_tables or, after a crash, by
/// drop_abandoned_part_tables.
void create_part_tables(db::LibpqConnection& connection, const PartTables& tables);

/// Builds the BRIN index on file_id of one part table, once its rows are in, inside the
/// transaction that copied them.
void index_part_table(db::LibpqConnection& connection, const PartTables& tables, std::size_t part);

/// Drops the part tables of a load that did not commit (they are empty once its transactions
/// ended). Waits at most 100 ms for locks (a drop locks the staging table), and logs instead of
/// throwing: what is left is dropped at the next start.
void drop_part_tables(const std::string& conninfo, const PartTables& tables) noexcept;

/// Drops the part tables whose load is over without a `loaded` ledger row (a process killed
/// mid-load, a drop that timed out), skipping loads still alive (their session lock is held).
/// Run at start-up after the prepared parts are resolved. Returns how many were dropped.
std::size_t drop_abandoned_part_tables(db::LibpqConnection& connection);

}  // namespace dp::ingest
