#pragma once

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
/// columns in order, primary key (file_id, line_no). Idempotent (IF NOT EXISTS).
std::string create_table_sql(std::string_view schema, const TableModel& model);

/// The binary COPY statement matching create_table_sql's column order, which is the order
/// CopyRowWriter rows are written in (lineage first).
std::string copy_statement(std::string_view schema, const TableModel& model);

}  // namespace dp::table
