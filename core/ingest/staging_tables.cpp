#include "core/ingest/staging_tables.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/table/ddl.hpp"

namespace dp::ingest {

namespace {

/// One column as the catalog has it: name and type in the spelling sql_type() uses.
struct ExistingColumn {
  std::string name;
  std::string type;
};

/// What the staging schema holds: relation names (tables and indexes) and each table's columns.
struct StagingCatalog {
  std::set<std::string> relations;
  std::map<std::string, std::vector<ExistingColumn>> columns;
};

/// format_type() spells two types longer than the DDL does.
std::string ddl_spelling(std::string type) {
  if (type == "timestamp without time zone") {
    return "timestamp";
  }
  if (type == "timestamp with time zone") {
    return "timestamptz";
  }
  return type;
}

/// The whole schema in one catalog query: every relation, and the columns of its tables.
StagingCatalog read_catalog(db::LibpqConnection& connection, const std::string& schema) {
  const auto result = connection.exec_params(
      "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
      "AND c.relkind IN ('r', 'p') "
      "WHERE n.nspname = $1 ORDER BY c.relname, a.attnum",
      {schema});
  StagingCatalog catalog;
  for (int row = 0; row < result.rows(); ++row) {
    const std::string relation = result.value(row, 0).value_or("");
    catalog.relations.insert(relation);
    if (const auto column = result.value(row, 1)) {
      catalog.columns[relation].push_back(
          {*column, ddl_spelling(result.value(row, 2).value_or(""))});
    }
  }
  return catalog;
}

/// How a kind's existing table differs from its model.
struct TableDifference {
  std::vector<const table::ColumnModel*> to_add;
  /// Human-readable reasons the service will not fix by itself.
  std::vector<std::string> refused;
};

bool is_lineage(std::string_view name) {
  return name == table::kFileIdColumn || name == table::kLineNoColumn;
}

TableDifference compare(const std::string& schema, const pipeline::Pipeline& kind,
                        const std::vector<ExistingColumn>& existing) {
  const table::TableModel& model = kind.staging_model();
  const std::string qualified = schema + "." + model.table;
  TableDifference difference;
  for (const table::ColumnModel& column : model.columns) {
    const auto found = std::find_if(existing.begin(), existing.end(),
                                    [&](const ExistingColumn& e) { return e.name == column.name; });
    if (found == existing.end()) {
      difference.to_add.push_back(&column);
    } else if (found->type != table::sql_type(column)) {
      difference.refused.push_back(
          "column " + column.name + " of " + qualified + " is " + found->type + " but kind " +
          std::string(kind.name()) + " now declares it " + table::sql_type(column) +
          ": the service does not convert loaded rows; convert it yourself (ALTER TABLE " +
          qualified + " ALTER COLUMN " + column.name + " TYPE " + table::sql_type(column) +
          " USING ...), or declare the old type again, or give the kind a new table");
    }
  }
  for (const ExistingColumn& column : existing) {
    if (is_lineage(column.name)) {
      continue;
    }
    const bool declared =
        std::any_of(model.columns.begin(), model.columns.end(),
                    [&](const table::ColumnModel& c) { return c.name == column.name; });
    if (!declared) {
      difference.refused.push_back(
          qualified + " has column " + column.name + " (" + column.type + ") that kind " +
          std::string(kind.name()) +
          " no longer declares: the service never drops loaded data; declare the column again, "
          "or save what you need and drop it yourself (ALTER TABLE " +
          qualified + " DROP COLUMN " + column.name + ")");
    }
  }
  return difference;
}

bool fits(const StagingCatalog& catalog, const std::string& schema,
          const pipeline::PipelineRegistry& registry) {
  for (const auto& kind : registry.all()) {
    const auto& model = kind->staging_model();
    if (!catalog.relations.contains(model.table) ||
        !catalog.relations.contains(table::file_index_name(model))) {
      return false;
    }
    const auto columns = catalog.columns.find(model.table);
    const auto difference =
        compare(schema, *kind,
                columns == catalog.columns.end() ? std::vector<ExistingColumn>{} : columns->second);
    if (!difference.to_add.empty() || !difference.refused.empty()) {
      return false;
    }
  }
  return true;
}

}  // namespace

void lock_staging_ddl(db::LibpqConnection& connection) {
  connection.exec("SELECT pg_advisory_xact_lock(4477265)");
}

void ensure_staging_tables(db::LibpqConnection& connection,
                           const pipeline::PipelineRegistry& registry,
                           const std::string& staging_schema) {
  // The usual start: every table, column and index fits, and one catalog query says so. DDL
  // (even CREATE INDEX IF NOT EXISTS) would take a SHARE lock and wait for loads running
  // elsewhere.
  if (fits(read_catalog(connection, staging_schema), staging_schema, registry)) {
    return;
  }
  db::LibpqTransaction transaction(connection);
  // Two starters may change the same table at once; the lock makes the second wait.
  lock_staging_ddl(connection);
  const auto catalog = read_catalog(connection, staging_schema);
  std::vector<std::string> refused;
  for (const auto& kind : registry.all()) {
    const auto& model = kind->staging_model();
    if (!catalog.relations.contains(model.table)) {
      connection.exec(table::create_table_sql(staging_schema, model));
    } else {
      const auto difference = compare(staging_schema, *kind, catalog.columns.at(model.table));
      refused.insert(refused.end(), difference.refused.begin(), difference.refused.end());
      for (const table::ColumnModel* column : difference.to_add) {
        // Nullable whatever the model says: the rows loaded before have no value; the
        // converter enforces `required` on every row loaded from now on.
        const std::string statement = "ALTER TABLE " + table::quote_identifier(staging_schema) +
                                      "." + table::quote_identifier(model.table) + " ADD COLUMN " +
                                      table::quote_identifier(column->name) + " " +
                                      table::sql_type(*column);
        connection.exec(statement);
        connection.exec_params(
            "INSERT INTO ingest.staging_schema_changes (staging_schema, table_name, kind, "
            "kind_source, column_name, column_type, statement) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {staging_schema, model.table, std::string(kind->name()), kind->source(), column->name,
             table::sql_type(*column), statement});
        spdlog::info("staging: {}", statement);
      }
    }
    if (!catalog.relations.contains(table::file_index_name(model))) {
      connection.exec(table::create_file_index_sql(staging_schema, model));
    }
  }
  if (!refused.empty()) {
    std::string message = "the staging tables do not fit the kinds (nothing was changed):";
    for (const std::string& reason : refused) {
      message += "\n  " + reason;
    }
    throw StagingSchemaError(message);
  }
  transaction.commit();
}

}  // namespace dp::ingest
