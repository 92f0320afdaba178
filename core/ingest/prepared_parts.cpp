#include "core/ingest/prepared_parts.hpp"

#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/ingest/part_tables.hpp"

namespace dp::ingest {
namespace {

constexpr const char* kLockKey = "hashtextextended('dataprocessor.parallel_load.' || $1, 0)";

/// The prepared parts of loads in this database, file id and part number from their names.
constexpr const char* kListParts =
    "SELECT split_part(gid, '_', 4)::bigint, split_part(gid, '_', 5)::int "
    "FROM pg_prepared_xacts WHERE database = current_database() "
    "AND gid ~ '^dataprocessor_load_[0-9]{1,10}_[0-9]{1,18}_[0-9]{1,4}$' "
    "AND split_part(gid, '_', 3)::bigint = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1, 2";

struct PreparedPart {
  std::int64_t file_id = 0;
  std::size_t part = 0;
};

std::vector<PreparedPart> list_parts(db::LibpqConnection& connection) {
  const auto result = connection.exec(kListParts);
  std::vector<PreparedPart> parts;
  for (int row = 0; row < result.rows(); ++row) {
    parts.push_back({std::stoll(std::string(result.get(row, 0))),
                     static_cast<std::size_t>(std::stoul(std::string(result.get(row, 1))))});
  }
  return parts;
}

}  // namespace

std::string prepared_part_name(std::uint32_t database, std::int64_t file_id, std::size_t part) {
  return "dataprocessor_load_" + std::to_string(database) + "_" + std::to_string(file_id) + "_" +
         std::to_string(part);
}

std::uint32_t database_oid(db::LibpqConnection& connection) {
  const auto result =
      connection.exec("SELECT oid FROM pg_database WHERE datname = current_database()");
  return static_cast<std::uint32_t>(std::stoul(std::string(result.get(0, 0))));
}

void lock_live_load(db::LibpqConnection& connection, std::int64_t file_id) {
  connection.exec_params(std::string("SELECT pg_advisory_lock(") + kLockKey + ")",
                         {std::to_string(file_id)});
}

void unlock_live_load(db::LibpqConnection& connection, std::int64_t file_id) {
  connection.exec_params(std::string("SELECT pg_advisory_unlock(") + kLockKey + ")",
                         {std::to_string(file_id)});
}

bool try_lock_live_load(db::LibpqConnection& connection, std::int64_t file_id) {
  return connection
             .exec_params(std::string("SELECT pg_try_advisory_lock(") + kLockKey + ")",
                          {std::to_string(file_id)})
             .get(0, 0) == "t";
}

bool ledger_says_loaded(db::LibpqConnection& connection, std::int64_t file_id) {
  return connection
             .exec_params(
                 "SELECT count(*) FROM ingest.files WHERE file_id = $1::bigint AND status = "
                 "'loaded'",
                 {std::to_string(file_id)})
             .get(0, 0) != "0";
}

namespace {

/// The prepared parts half of resolve_prepared_parts.
ResolvedParts resolve_listed_parts(db::LibpqConnection& connection) {
  ResolvedParts resolved;
  const auto parts = list_parts(connection);
  if (parts.empty()) {
    return resolved;
  }
  const auto database = database_oid(connection);
  for (std::size_t i = 0; i < parts.size();) {
    const std::int64_t file_id = parts[i].file_id;
    std::size_t listed = 0;
    while (i < parts.size() && parts[i].file_id == file_id) {
      ++listed;
      ++i;
    }
    const auto id = std::to_string(file_id);
    if (!try_lock_live_load(connection, file_id)) {
      resolved.left_to_live_loads += listed;
      continue;
    }
    try {
      const bool loaded = ledger_says_loaded(connection, file_id);
      // Listed again under the lock: a live loader may have ended its parts meanwhile.
      for (const auto& part : list_parts(connection)) {
        if (part.file_id != file_id) {
          continue;
        }
        const auto name = prepared_part_name(database, file_id, part.part);
        connection.exec((loaded ? "COMMIT PREPARED '" : "ROLLBACK PREPARED '") + name + "'");
        ++(loaded ? resolved.committed : resolved.rolled_back);
        spdlog::warn(
            "file id {}: prepared part {} of a load that stopped {} ({})", file_id, part.part,
            loaded ? "committed" : "rolled back",
            loaded ? "the ledger says the file is loaded" : "the ledger has no loaded row for it");
      }
    } catch (...) {
      unlock_live_load(connection, file_id);
      throw;
    }
    unlock_live_load(connection, file_id);
  }
  return resolved;
}

}  // namespace

ResolvedParts resolve_prepared_parts(db::LibpqConnection& connection) {
  ResolvedParts resolved = resolve_listed_parts(connection);
  resolved.dropped_part_tables = drop_abandoned_part_tables(connection);
  return resolved;
}

}  // namespace dp::ingest
