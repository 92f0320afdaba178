#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <pqxx/connection>

namespace dp::db {

/// How long to keep trying while the server is unreachable, so the service can start before its
/// database (docker-compose) without the user scripting waits.
struct RetryPolicy {
  std::chrono::milliseconds first_delay{250};
  std::chrono::milliseconds max_delay{std::chrono::seconds(30)};
  /// Give up after this long; zero retries forever (watch mode).
  std::chrono::milliseconds give_up_after{std::chrono::minutes(2)};
  /// Checked before each wait: returning true stops retrying (shutdown requested).
  std::function<bool()> should_stop;
};

/// A connection failure that retrying cannot fix (wrong password, missing database or role).
struct FatalConnectError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Whether a libpq connection error message means "retrying will not help".
bool is_permanent_connect_failure(const std::string& message);

/// Connects with exponential backoff, logging each failed attempt under `display_name` (the
/// conninfo with its password masked). Throws FatalConnectError at once for permanent
/// failures, and after `give_up_after` otherwise.
std::unique_ptr<pqxx::connection> connect_with_retry(const std::string& conninfo,
                                                     const std::string& display_name,
                                                     const RetryPolicy& policy);

/// Creates `database` on the server behind `admin_conninfo` unless it exists (embedded mode).
void ensure_database(const std::string& admin_conninfo, const std::string& database);

}  // namespace dp::db
