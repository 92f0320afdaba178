#pragma once

#include <chrono>
#include <string>

namespace dp::db {

/// What every connection of one service process tells the server about itself, so that
/// replicas sharing a database can be told apart and a dead one loses its session (and with it
/// its file claims and its warehouse lock) within a known time.
struct SessionOptions {
  /// The replica's name: application_name (pg_stat_activity) and the session setting
  /// dp.replica_id, which the ledger's replica_id column takes as its default.
  std::string replica_id;
  /// A peer that stops answering is given up within about this long, on both ends: libpq's
  /// keepalives and tcp_user_timeout on the client, tcp_keepalives_* and tcp_user_timeout on
  /// the server, client_connection_check_interval for a query in progress.
  std::chrono::seconds dead_peer_timeout{30};
};

/// `conninfo` (URI or key=value) rewritten as key=value with the options above added; what the
/// operator wrote explicitly wins (a keepalives_idle of their own is kept). A conninfo libpq
/// cannot parse is returned unchanged, so that connecting reports its error as before.
std::string with_session_options(const std::string& conninfo, const SessionOptions& options);

}  // namespace dp::db
