#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/db/libpq_connection.hpp"
#include "core/ingest/load_types.hpp"
#include "core/watch/file_stat.hpp"

namespace dp::ingest {

/// The identity of a file as every replica sharing imports/ sees it: name, inode, size, mtime
/// and ctime, but not the device number, which differs between mount namespaces (containers)
/// and NFS clients mounting one share. Text (the name escaped as the ledger stores names), so the
/// ledger can store it and the server hash it.
std::string shared_file_identity(const std::filesystem::path& path, const watch::FileStat& stat);

/// One replica's claim on one file in imports/: a PostgreSQL session advisory lock keyed by the
/// file's shared identity, taken with pg_try_advisory_lock on the connection that loads the file
/// and held until the file is moved aside. Another replica's claim makes this one fail at once,
/// before anything is read; a replica that dies loses its claims with its connection (the
/// server ends the session). While held, the session setting dp.file_identity names the file,
/// so that the ledger rows written meanwhile record it (column default, V009).
class FileClaim {
 public:
  /// Tries to claim `path` as it is now (lstat) on the worker's connection slot. Not held when
  /// another replica holds it or when the file is gone. The claim lives as long as the session
  /// it was taken on: when the worker drops or replaces that connection, the claim is gone with
  /// it and nothing is released twice. Throws db::PgError when the database cannot be asked.
  FileClaim(std::unique_ptr<db::LibpqConnection>& connection, const std::filesystem::path& path);
  /// Releases the claim; never throws (a lost connection has released it already).
  ~FileClaim();
  FileClaim(const FileClaim&) = delete;
  FileClaim& operator=(const FileClaim&) = delete;

  /// Whether this replica holds the file now.
  bool held() const { return held_; }
  /// The identity claimed (empty when the file was gone).
  const std::string& identity() const { return identity_; }
  /// The file as it was when claimed: a load must open this very file (compare its fstat).
  const std::optional<watch::FileStat>& stat() const { return stat_; }
  /// Whether `opened` is still the file that was claimed (the device number aside, which a
  /// path lookup and a descriptor agree on anyway).
  bool covers(const watch::FileStat& opened) const;

  /// The outcome already committed for this very file (by any replica, before a crash or a
  /// failed move), rebuilt from the ledger, so the holder only moves it aside instead of hashing
  /// it again and recording a duplicate.
  std::optional<LoadOutcome> committed_outcome() const;

 private:
  /// Whether the session the claim was taken on is still the worker's connection.
  db::LibpqConnection* session() const;

  std::unique_ptr<db::LibpqConnection>& slot_;
  db::LibpqConnection* connection_;
  std::filesystem::path path_;
  std::optional<watch::FileStat> stat_;
  std::string identity_;
  bool held_ = false;
};

}  // namespace dp::ingest
