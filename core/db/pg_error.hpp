#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dp::db {

/// What the caller should do about a database error: the one decision every call site needs,
/// made in one place so retry / fail-file / stop stays consistent across the service.
enum class ErrorClass {
  /// Transient (connection lost, server restarting, deadlock, too many connections): roll back
  /// and try the same unit of work again later.
  kRetry,
  /// The unit of work itself is bad (data errors, constraint violations): fail that file.
  kFailFile,
  /// Retrying cannot help and nothing will work (authentication, missing database or schema):
  /// stop with a clear message.
  kFatal,
};

/// Stable lower-case name of a class for logs and messages ("retry", "fail-file", "fatal").
const char* to_string(ErrorClass error_class);

/// The classification rule, from an error's SQLSTATE (empty when the server sent none), whether
/// the connection was lost, and the message (consulted only for connection failures without a
/// SQLSTATE, where libpq reports e.g. a wrong password only as text).
ErrorClass classify_error(std::string_view sqlstate, bool connection_lost,
                          std::string_view message = {});

/// An error from the libpq layer (LibpqConnection, CopySink) with what is needed to act on it.
class PgError : public std::runtime_error {
 public:
  /// Classified by classify_error.
  PgError(const std::string& message, std::string sqlstate, bool connection_lost);
  /// With a class decided by the caller (e.g. an unparsable conninfo is always fatal).
  PgError(const std::string& message, std::string sqlstate, bool connection_lost,
          ErrorClass error_class);

  /// Five-character SQLSTATE, empty when the error did not come from the server.
  const std::string& sqlstate() const { return sqlstate_; }
  /// Whether the connection is unusable after this error.
  bool connection_lost() const { return connection_lost_; }
  ErrorClass error_class() const { return error_class_; }

 private:
  std::string sqlstate_;
  bool connection_lost_ = false;
  ErrorClass error_class_ = ErrorClass::kFailFile;
};

/// Classifies any exception a unit of work may end with: PgError, libpqxx's broken_connection,
/// in_doubt_error and sql_error (by its SQLSTATE); anything else fails the file.
ErrorClass classify_exception(const std::exception& error);

/// As classify_exception, for a `catch (...)` block or a stored std::exception_ptr.
ErrorClass classify_exception(const std::exception_ptr& error);

}  // namespace dp::db
