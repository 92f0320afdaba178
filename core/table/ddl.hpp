#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/table/table_model.hpp"

namespace dp::table {

/// Quotes an SQL identifier (doubling embedded quotes), so that names from models and settings
/// can never be read as SQL.
std::string quote_identifier(std::string_view name);

/// The PostgreSQL type of a staging column, e.g. `numeric(12,2)` or `timestamptz`.
std::string sql_type(const ColumnModel& column);

/// The staging table's DDL, derived from the model alone: lineage columns first, the model's
/// columns in order. No key and no per-row index: (file_id, line_no) is unique by construction
/// (the ledger loads a file once) and a B-tree on it more than doubled the cost of a load.
/// Idempotent (IF NOT EXISTS).
std::string create_table_sql(std::string_view schema, const TableModel& model);

/// Name of the staging table's BRIN index on file_id (`<table>_file_id_brin`, as migration
/// V008 names it for tables created before it).
std::string file_index_name(const TableModel& model);

/// The BRIN index on file_id by which the warehouse and trial supersession find a file's rows:
/// file ids grow in append order, so a few bytes per 128 pages cover the table. Appending is
/// not free: PostgreSQL 15 visits the index for every row (perf: 1.0 s of the 3.5 s CPU time
/// of a 4M-row load), which is why a big file's rows go into part tables indexed once loaded
/// (core/ingest/part_tables.hpp). Idempotent (IF NOT EXISTS).
std::string create_file_index_sql(std::string_view schema, const TableModel& model);

/// The schema of the part tables of big files (core/ingest/part_tables.hpp): the staging
/// schema's name with `_parts` appended. The one rule for the loader, the schemas that
/// dev=true drops, and the warehouse's statistics step.
std::string part_tables_schema(std::string_view staging_schema);

/// A part table's name, `f<file id>_p<part>_<staging table>`, cut to PostgreSQL's 63 bytes of a
/// name (the numbers first, so the cut never makes two names equal; never inside a UTF-8
/// sequence).
std::string part_table_name(std::int64_t file_id, std::size_t part, std::string_view staging_table);

/// PostgreSQL regular expressions over part_table_name's names: one that matches them, one
/// whose capture is the file id (`substring(name from ...)`).
inline constexpr const char* kPartTableNameRegex = "^f[0-9]{1,18}_p[0-9]{1,4}_";
inline constexpr const char* kPartTableFileIdRegex = "^f([0-9]{1,18})_p";

/// The binary COPY statement matching create_table_sql's column order, which is the order
/// CopyRowWriter rows are written in (lineage first).
std::string copy_statement(std::string_view schema, const TableModel& model);
/// The same COPY into another table of the same columns whose file_id column defaults to the
/// file's id (a part table of a big file): the rows start at line_no, 12 bytes shorter each.
std::string copy_statement_by_default_file_id(std::string_view schema, std::string_view table,
                                              const TableModel& model);
/// The COPY column list from line_no on, with its closing "FROM STDIN (FORMAT binary)".
std::string copy_columns_from_line_no(const TableModel& model);

}  // namespace dp::table
