#include "core/db/connect.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

namespace dp::db {

bool is_permanent_connect_failure(const std::string& message) {
  static constexpr std::array kPermanent = {"password authentication failed",
                                            "no password supplied",
                                            "does not exist",
                                            "Peer authentication failed",
                                            "pg_hba.conf",
                                            "permission denied",
                                            "invalid connection option",
                                            "invalid URI",
                                            "missing \"=\"",
                                            "SSL is not enabled",
                                            "certificate"};
  return std::any_of(kPermanent.begin(), kPermanent.end(),
                     [&](const char* needle) { return message.find(needle) != std::string::npos; });
}

std::unique_ptr<pqxx::connection> connect_with_retry(const std::string& conninfo,
                                                     const std::string& display_name,
                                                     const RetryPolicy& policy) {
  const auto started = std::chrono::steady_clock::now();
  auto delay = policy.first_delay;
  for (int attempt = 1;; ++attempt) {
    std::string failure;
    try {
      return std::make_unique<pqxx::connection>(conninfo);
    } catch (const pqxx::broken_connection& error) {
      failure = error.what();
    } catch (const pqxx::sql_error& error) {
      failure = error.what();
    } catch (const std::invalid_argument& error) {
      failure = error.what();
    }
    while (!failure.empty() && (failure.back() == '\n' || failure.back() == ' ')) {
      failure.pop_back();
    }
    const auto& target = display_name;
    if (is_permanent_connect_failure(failure)) {
      throw FatalConnectError("cannot connect to " + target + ": " + failure);
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (policy.give_up_after.count() > 0 && elapsed >= policy.give_up_after) {
      throw FatalConnectError("database " + target + " still unreachable after " +
                              std::to_string(attempt) + " attempts: " + failure);
    }
    spdlog::warn("database {} unreachable (attempt {}): {}; retrying in {} ms", target, attempt,
                 failure, delay.count());
    const auto wake = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < wake) {
      if (policy.should_stop && policy.should_stop()) {
        throw FatalConnectError("stopped while waiting for database " + target);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    delay = std::min(delay * 2, policy.max_delay);
  }
}

void ensure_database(const std::string& admin_conninfo, const std::string& database) {
  pqxx::connection connection(admin_conninfo);
  pqxx::nontransaction work(connection);
  const auto exists = work.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", database);
  if (exists.empty()) {
    try {
      work.exec0("CREATE DATABASE " + connection.quote_name(database));
      spdlog::info("created database {}", database);
    } catch (const pqxx::sql_error& error) {
      // Two commands on a fresh embedded cluster (an --ingest and a watcher) may both find it
      // missing; the one that loses the race finds it made by the other.
      if (work.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", database).empty()) {
        throw;
      }
    }
  }
}

}  // namespace dp::db
