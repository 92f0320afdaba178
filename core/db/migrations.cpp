#include "core/db/migrations.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

#include "core/log/logging.hpp"
#include "core/table/ddl.hpp"
#include "core/util/sha256.hpp"

namespace dp::db {
namespace fs = std::filesystem;
namespace {

// Serializes concurrent starters; the number spells "DPMI" (DataProcessor migrations).
constexpr long long kMigrationLockKey = 0x44504D49;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw MigrationError("cannot read migration " + path.string());
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void ensure_bookkeeping(pqxx::connection& connection) {
  pqxx::nontransaction work(connection);
  work.exec0("CREATE SCHEMA IF NOT EXISTS ingest");
  work.exec0(
      "CREATE TABLE IF NOT EXISTS ingest.schema_migrations ("
      " version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
}

std::map<int, std::string> applied_checksums(pqxx::connection& connection) {
  pqxx::nontransaction work(connection);
  std::map<int, std::string> applied;
  const auto exists = work.exec1("SELECT to_regclass('ingest.schema_migrations') IS NOT NULL");
  if (!exists[0].as<bool>()) {
    return applied;
  }
  for (const auto& row : work.exec("SELECT version, checksum FROM ingest.schema_migrations")) {
    applied[row[0].as<int>()] = row[1].as<std::string>();
  }
  return applied;
}

class AdvisoryLock {
 public:
  explicit AdvisoryLock(pqxx::connection& connection) : connection_(connection) {
    pqxx::nontransaction(connection_).exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }
  ~AdvisoryLock() {
    try {
      pqxx::nontransaction(connection_)
          .exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    } catch (const std::exception& error) {
      spdlog::warn("could not release the migration lock: {}", error.what());
    }
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  pqxx::connection& connection_;
};

void check_unchanged(const MigrationFile& file, const std::string& recorded) {
  if (recorded != file.checksum) {
    throw MigrationError("migration " + file.path.filename().string() +
                         " was changed after it was applied (checksum " + recorded.substr(0, 12) +
                         " recorded, file now " + file.checksum.substr(0, 12) +
                         "); add a new migration instead of editing an applied one");
  }
}

void drop_schemas(pqxx::connection& connection, const MigrationOptions& options) {
  spdlog::warn("dev=true: DROPPING schemas {} and all their data before migrating",
               fmt::format("{}", fmt::join(service_schemas(options), ", ")));
  pqxx::work work(connection);
  for (const auto& schema : service_schemas(options)) {
    work.exec0("DROP SCHEMA IF EXISTS " + connection.quote_name(schema) + " CASCADE");
  }
  work.commit();
}

}  // namespace

std::vector<std::string> service_schemas(const MigrationOptions& options) {
  // The part tables of big files (core/ingest/part_tables.hpp) have a schema of their own.
  return {"analysis", options.dw_schema, options.staging_schema,
          table::part_tables_schema(options.staging_schema), "ingest"};
}

std::string service_search_path(pqxx::connection& connection, const MigrationOptions& options) {
  return connection.quote_name(options.dw_schema) + ", " +
         connection.quote_name(options.staging_schema) + ", ingest, public";
}

std::vector<MigrationFile> list_migrations(const fs::path& dir) {
  static const std::regex kName(R"(V(\d+)__([A-Za-z0-9_]+)\.sql)");
  std::vector<MigrationFile> files;
  if (!fs::is_directory(dir)) {
    throw MigrationError("migrations folder " + dir.string() + " does not exist (setting sql_dir)");
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto file_name = entry.path().filename().string();
    if (entry.path().extension() != ".sql") {
      continue;
    }
    std::smatch match;
    if (!std::regex_match(file_name, match, kName)) {
      throw MigrationError("migration file name " + file_name +
                           " does not follow V<number>__<name>.sql");
    }
    files.push_back({std::stoi(match[1].str()), match[2].str(), entry.path(),
                     util::sha256_hex(read_file(entry.path()))});
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < files.size(); ++i) {
    if (files[i].version == files[i - 1].version) {
      throw MigrationError("two migrations share version " + std::to_string(files[i].version) +
                           ": " + files[i - 1].path.filename().string() + " and " +
                           files[i].path.filename().string());
    }
  }
  return files;
}

MigrationResult apply_migrations(pqxx::connection& connection, const MigrationOptions& options) {
  const auto files = list_migrations(options.dir);
  AdvisoryLock lock(connection);
  if (options.recreate) {
    drop_schemas(connection, options);
  }
  ensure_bookkeeping(connection);
  const auto applied = applied_checksums(connection);
  const auto search_path = service_search_path(connection, options);

  MigrationResult result;
  for (const auto& file : files) {
    if (const auto found = applied.find(file.version); found != applied.end()) {
      check_unchanged(file, found->second);
      ++result.already_applied;
      continue;
    }
    spdlog::info("applying migration {}", file.path.filename().string());
    try {
      pqxx::work work(connection);
      work.exec_params("SELECT set_config('search_path', $1, true)", search_path);
      work.exec_params("SELECT set_config('dp.staging_schema', $1, true)", options.staging_schema);
      work.exec_params("SELECT set_config('dp.dw_schema', $1, true)", options.dw_schema);
      const auto statements = read_file(file.path);
      log::log_sql(statements);
      work.exec(statements);
      work.exec_params(
          "INSERT INTO ingest.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
          file.version, file.name, file.checksum);
      work.commit();
    } catch (const pqxx::sql_error& error) {
      throw MigrationError("migration " + file.path.filename().string() +
                           " failed: " + error.what());
    }
    result.applied.push_back(file.path.filename().string());
  }
  return result;
}

bool migrations_current(pqxx::connection& connection, const MigrationOptions& options) {
  const auto applied = applied_checksums(connection);
  for (const auto& file : list_migrations(options.dir)) {
    const auto found = applied.find(file.version);
    if (found == applied.end() || found->second != file.checksum) {
      return false;
    }
  }
  return true;
}

}  // namespace dp::db
