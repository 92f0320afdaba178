#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

#include "core/db/pg_error.hpp"

namespace dp::db {

/// Owns one PGresult: a query's rows as text, freed when it goes out of scope.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  /// Number of rows returned.
  int rows() const;
  int columns() const;
  std::string column_name(int column) const;
  bool is_null(int row, int column) const;
  /// The value as text (empty for NULL); valid while this result lives.
  std::string_view get(int row, int column) const;
  /// The value as text, or nullopt for NULL.
  std::optional<std::string> value(int row, int column) const;
  /// Rows inserted, updated, deleted or copied by the command (0 when it reports none).
  std::uint64_t affected_rows() const;
  PGresult* native_handle() const { return result_; }

 private:
  PGresult* result_ = nullptr;
};

/// A libpq connection of its own, because libpqxx 6 hides its PGconn and has no way to send
/// binary COPY data; the COPY sink runs on it. Not thread-safe, except cancel().
class LibpqConnection {
 public:
  /// Connects from a URI or key=value conninfo; throws PgError (fatal for a malformed
  /// conninfo or a refused login, retry for an unreachable server). The client encoding is
  /// forced to UTF8 because COPY data is sent as UTF-8.
  explicit LibpqConnection(const std::string& conninfo);
  ~LibpqConnection();
  LibpqConnection(LibpqConnection&& other) noexcept;
  LibpqConnection& operator=(LibpqConnection&& other) noexcept;
  LibpqConnection(const LibpqConnection&) = delete;
  LibpqConnection& operator=(const LibpqConnection&) = delete;

  /// Runs one or more SQL commands without parameters; throws PgError on failure.
  PgResult exec(const std::string& sql);
  /// Runs one command with text parameters ($1, $2, ...; nullopt is NULL), so that values are
  /// never spliced into SQL text.
  PgResult exec_params(const std::string& sql,
                       const std::vector<std::optional<std::string>>& params);

  void begin() { exec("BEGIN"); }
  /// Commits; throws when the server answers ROLLBACK (the transaction had failed).
  void commit();
  void rollback() { exec("ROLLBACK"); }

  /// Asks the server to cancel the running command; safe to call from another thread (the
  /// shutdown path). Returns false when the request could not be sent.
  bool cancel() noexcept;
  /// The socket, for callers that wait on it; -1 when closed.
  int socket() const;
  /// Whether the connection is still usable (not lost).
  bool is_open() const;
  /// Whether a transaction is open (or failed and awaiting ROLLBACK).
  bool in_transaction() const;
  /// The server process id, for pg_terminate_backend / pg_cancel_backend in tests and logs.
  int backend_pid() const;
  /// The raw handle for the COPY sink; stays owned by this object.
  PGconn* native_handle() const { return conn_; }

  /// Builds the PgError for a failed result (or, with result == nullptr, for the connection's
  /// last error): SQLSTATE, message with detail and context, and whether the link is lost.
  PgError make_error(const PGresult* result) const;

 private:
  PgResult checked(PGresult* result);
  void close() noexcept;

  PGconn* conn_ = nullptr;
  PGcancel* cancel_ = nullptr;
};

/// A transaction on a LibpqConnection that rolls back when destroyed uncommitted, so that an
/// exception anywhere in a unit of work leaves nothing behind. The destructor never throws.
class LibpqTransaction {
 public:
  explicit LibpqTransaction(LibpqConnection& connection);
  ~LibpqTransaction();
  LibpqTransaction(const LibpqTransaction&) = delete;
  LibpqTransaction& operator=(const LibpqTransaction&) = delete;

  void commit();
  /// Rolls back now (the destructor then does nothing).
  void rollback();

 private:
  LibpqConnection& connection_;
  bool open_ = true;
};

}  // namespace dp::db
