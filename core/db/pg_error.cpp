#include "core/db/pg_error.hpp"

#include <initializer_list>
#include <pqxx/except>
#include <utility>

#include "core/db/connect.hpp"

namespace dp::db {
namespace {

bool in_class(std::string_view sqlstate, std::string_view error_class) {
  return sqlstate.substr(0, 2) == error_class;
}

bool is_one_of(std::string_view sqlstate, std::initializer_list<std::string_view> codes) {
  for (const std::string_view code : codes) {
    if (sqlstate == code) {
      return true;
    }
  }
  return false;
}

}  // namespace

const char* to_string(ErrorClass error_class) {
  switch (error_class) {
    case ErrorClass::kRetry:
      return "retry";
    case ErrorClass::kFailFile:
      return "fail-file";
    case ErrorClass::kFatal:
      return "fatal";
  }
  return "fail-file";
}

ErrorClass classify_error(std::string_view sqlstate, bool connection_lost,
                          std::string_view message) {
  // Nothing works until an administrator acts: wrong credentials, missing database or schema,
  // SQL the running schema does not understand (a migration was not applied).
  if (in_class(sqlstate, "28") || is_one_of(sqlstate, {"3D000", "3F000", "57P04"}) ||
      in_class(sqlstate, "42")) {
    return ErrorClass::kFatal;
  }
  if (sqlstate.empty() && connection_lost) {
    // libpq reports connection failures as text only; some of them retrying cannot fix.
    return is_permanent_connect_failure(std::string(message)) ? ErrorClass::kFatal
                                                              : ErrorClass::kRetry;
  }
  if (connection_lost) {
    return ErrorClass::kRetry;
  }
  // Transient: connection exceptions, serialization failures and deadlocks, the server
  // shutting down or starting up, a cancelled statement (shutdown or statement timeout),
  // exhausted resources, a lock not available, an I/O error on the server.
  if (in_class(sqlstate, "08") || in_class(sqlstate, "40") || in_class(sqlstate, "53") ||
      in_class(sqlstate, "58") ||
      is_one_of(sqlstate, {"57P01", "57P02", "57P03", "57P05", "57014", "55P03", "55006"})) {
    return ErrorClass::kRetry;
  }
  // Data exceptions (22), integrity violations (23) and everything else end only this unit
  // of work.
  return ErrorClass::kFailFile;
}

PgError::PgError(const std::string& message, std::string sqlstate, bool connection_lost)
    : std::runtime_error(message),
      sqlstate_(std::move(sqlstate)),
      connection_lost_(connection_lost),
      error_class_(classify_error(sqlstate_, connection_lost_, message)) {}

PgError::PgError(const std::string& message, std::string sqlstate, bool connection_lost,
                 ErrorClass error_class)
    : std::runtime_error(message),
      sqlstate_(std::move(sqlstate)),
      connection_lost_(connection_lost),
      error_class_(error_class) {}

ErrorClass classify_exception(const std::exception& error) {
  if (const auto* pg = dynamic_cast<const PgError*>(&error)) {
    return pg->error_class();
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    return classify_error({}, true, error.what());
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    // The commit may or may not have happened; the ledger's content check makes a retry safe.
    return ErrorClass::kRetry;
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    return classify_error(sql->sqlstate(), false, error.what());
  }
  return ErrorClass::kFailFile;
}

ErrorClass classify_exception(const std::exception_ptr& error) {
  try {
    if (error) {
      std::rethrow_exception(error);
    }
  } catch (const std::exception& caught) {
    return classify_exception(caught);
  } catch (...) {
    return ErrorClass::kFailFile;
  }
  return ErrorClass::kFailFile;
}

}  // namespace dp::db
