#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/csv/csv_reader.hpp"
#include "core/db/migrations.hpp"
#include "tests/support/test_database.hpp"

namespace dp::test {

namespace fs = std::filesystem;

/// A row of text values as the database returns them; nullopt is NULL.
using TextRow = std::vector<std::optional<std::string>>;

/// The repository's analysis view files.
inline fs::path source_views_dir() {
  return fs::path(DP_SOURCE_DIR) / "sql" / "analysis";
}

/// A query's rows as text in UTC and ISO date style (how the exports print them), in the
/// order the query gives.
inline std::vector<TextRow> query_rows(const std::string& conninfo, const std::string& sql) {
  pqxx::connection connection(conninfo);
  pqxx::work work(connection);
  work.exec("SET LOCAL TimeZone = 'UTC'");
  work.exec("SET LOCAL DateStyle = 'ISO, YMD'");
  std::vector<TextRow> out;
  for (const auto& row : work.exec(sql)) {
    TextRow values;
    for (const auto& field : row) {
      values.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
    }
    out.push_back(std::move(values));
  }
  return out;
}

/// A fresh database with the project's migrations applied: schemas, ledger and the empty
/// warehouse tables the analysis views read.
class WarehouseDatabase {
 public:
  explicit WarehouseDatabase(std::string dw_schema = "datawarehouse",
                             std::string staging_schema = "staging")
      : dw_schema_(std::move(dw_schema)), staging_schema_(std::move(staging_schema)) {
    pqxx::connection connection(database_.conninfo());
    db::MigrationOptions options;
    options.dir = fs::path(DP_SOURCE_DIR) / "sql" / "migrations";
    options.dw_schema = dw_schema_;
    options.staging_schema = staging_schema_;
    db::apply_migrations(connection, options);
  }

  const std::string& conninfo() const { return database_.conninfo(); }
  const std::string& dw_schema() const { return dw_schema_; }
  const std::string& staging_schema() const { return staging_schema_; }

  /// Runs SQL with the warehouse schema first on the search_path (test data setup).
  void exec(const std::string& sql) const {
    pqxx::connection connection(database_.conninfo());
    pqxx::work work(connection);
    work.exec("SET LOCAL search_path = " + connection.quote_name(dw_schema_) + ", ingest, public");
    work.exec(sql);
    work.commit();
  }

  /// A query's rows as text (UTC, ISO dates), in the order the query gives.
  std::vector<TextRow> rows(const std::string& sql) const;

  std::string scalar(const std::string& sql) const { return database_.scalar(sql); }

 private:
  TestDatabase database_;
  std::string dw_schema_;
  std::string staging_schema_;
};

/// A CSV file read back with the project's reader: every record's fields as strings; fails the
/// test on a malformed record.
inline std::vector<std::vector<std::string>> read_csv_file(const fs::path& path) {
  csv::CsvReader reader(csv::open_input(path.string()));
  std::vector<std::vector<std::string>> out;
  csv::CsvRow row;
  csv::RowError error;
  for (;;) {
    const auto status = reader.next(row, error);
    if (status == csv::ReadStatus::kEnd) {
      break;
    }
    REQUIRE_MESSAGE(status == csv::ReadStatus::kRow, error.message);
    out.emplace_back(row.fields.begin(), row.fields.end());
  }
  return out;
}

inline std::string read_text_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline std::vector<TextRow> WarehouseDatabase::rows(const std::string& sql) const {
  return query_rows(database_.conninfo(), sql);
}

}  // namespace dp::test
