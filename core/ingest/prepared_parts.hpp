#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/db/libpq_connection.hpp"

namespace dp::ingest {

/// The prepared transaction of part `part` of the load of `file_id` in the database of OID
/// `database` (names are unique per server, file ids only per database): the resolver finds a
/// dead load's parts by this name, built from numbers only, so it is safe as SQL text.
std::string prepared_part_name(std::uint32_t database, std::int64_t file_id, std::size_t part);

/// The OID of the connection's database, the first number of its parts' names.
std::uint32_t database_oid(db::LibpqConnection& connection);

/// Takes (or releases) the session lock that marks the load of `file_id` as alive. The loader
/// holds it on the connection whose commit decides the load, from before the first part is
/// prepared until the last one is committed or rolled back; it dies with that backend, after
/// any commit the backend was running, so a resolver that gets it knows the decision is final.
void lock_live_load(db::LibpqConnection& connection, std::int64_t file_id);
void unlock_live_load(db::LibpqConnection& connection, std::int64_t file_id);
/// Takes that lock only if no live load holds it; true when taken (release with unlock).
bool try_lock_live_load(db::LibpqConnection& connection, std::int64_t file_id);
/// Whether the ledger holds a committed `loaded` row for `file_id`: read under that lock, the
/// final decision of a stopped load.
bool ledger_says_loaded(db::LibpqConnection& connection, std::int64_t file_id);

/// What resolve_prepared_parts did.
struct ResolvedParts {
  std::uint64_t committed = 0;
  std::uint64_t rolled_back = 0;
  /// Parts of loads still alive (their session lock is held): left to their loader.
  std::uint64_t left_to_live_loads = 0;
  /// Part tables of loads that stopped without a `loaded` ledger row, dropped.
  std::uint64_t dropped_part_tables = 0;
};

/// Ends the prepared parts that dead parallel loads left in this database, as the ledger
/// decided: COMMIT PREPARED when the file's ledger row is committed as loaded, ROLLBACK
/// PREPARED otherwise (the deciding transaction rolled back, so no ledger row exists). Run at
/// start-up by every mode that loads or reads staging; then drops the part tables those loads
/// left (drop_abandoned_part_tables). Needs no transaction open on
/// `connection`; throws db::PgError when the database refuses.
ResolvedParts resolve_prepared_parts(db::LibpqConnection& connection);

}  // namespace dp::ingest
