#include "core/table/ddl.hpp"

#include <algorithm>

namespace dp::table {

std::string quote_identifier(std::string_view name) {
  std::string quoted;
  quoted.reserve(name.size() + 2);
  quoted += '"';
  for (const char c : name) {
    if (c == '"') {
      quoted += '"';
    }
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string sql_type(const ColumnModel& column) {
  switch (column.type) {
    case ColumnType::kText:
      return "text";
    case ColumnType::kInt32:
      return "integer";
    case ColumnType::kInt64:
      return "bigint";
    case ColumnType::kNumeric:
      if (column.numeric_precision > 0) {
        return "numeric(" + std::to_string(column.numeric_precision) + "," +
               std::to_string(column.numeric_scale) + ")";
      }
      return "numeric";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kTimestamp:
      return "timestamp";
    case ColumnType::kTimestampTz:
      return "timestamptz";
    case ColumnType::kTextArray:
      return "text[]";
  }
  return "text";
}

std::string create_table_sql(std::string_view schema, const TableModel& model) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + quote_identifier(schema) + "." +
                    quote_identifier(model.table) + " (" + quote_identifier(kFileIdColumn) +
                    " bigint NOT NULL, " + quote_identifier(kLineNoColumn) + " bigint NOT NULL";
  for (const ColumnModel& column : model.columns) {
    sql += ", " + quote_identifier(column.name) + " " + sql_type(column);
    if (!column.nullable) {
      sql += " NOT NULL";
    }
  }
  sql += ")";
  return sql;
}

std::string file_index_name(const TableModel& model) {
  return model.table + "_file_id_brin";
}

std::string create_file_index_sql(std::string_view schema, const TableModel& model) {
  return "CREATE INDEX IF NOT EXISTS " + quote_identifier(file_index_name(model)) + " ON " +
         quote_identifier(schema) + "." + quote_identifier(model.table) + " USING brin (" +
         quote_identifier(kFileIdColumn) + ") WITH (autosummarize = on)";
}

std::string part_tables_schema(std::string_view staging_schema) {
  return std::string(staging_schema) + "_parts";
}

std::string part_table_name(std::int64_t file_id, std::size_t part,
                            std::string_view staging_table) {
  // PostgreSQL's longest name, in bytes (NAMEDATALEN - 1).
  constexpr std::size_t kMaxNameBytes = 63;
  std::string name = "f" + std::to_string(file_id) + "_p" + std::to_string(part) + "_";
  std::size_t keep = std::min(staging_table.size(), kMaxNameBytes - name.size());
  // Back up over UTF-8 continuation bytes.
  while (keep > 0 && keep < staging_table.size() &&
         (static_cast<unsigned char>(staging_table[keep]) & 0xC0) == 0x80) {
    --keep;
  }
  return name + std::string(staging_table.substr(0, keep));
}

std::string copy_statement(std::string_view schema, const TableModel& model) {
  return "COPY " + quote_identifier(schema) + "." + quote_identifier(model.table) + " (" +
         quote_identifier(kFileIdColumn) + ", " + copy_columns_from_line_no(model);
}

std::string copy_statement_by_default_file_id(std::string_view schema, std::string_view table,
                                              const TableModel& model) {
  return "COPY " + quote_identifier(schema) + "." + quote_identifier(table) + " (" +
         copy_columns_from_line_no(model);
}

std::string copy_columns_from_line_no(const TableModel& model) {
  std::string sql = quote_identifier(kLineNoColumn);
  for (const ColumnModel& column : model.columns) {
    sql += ", " + quote_identifier(column.name);
  }
  sql += ") FROM STDIN (FORMAT binary)";
  return sql;
}

}  // namespace dp::table
