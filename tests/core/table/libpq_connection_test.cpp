// LibpqConnection and the error classification, against a real PostgreSQL.
#include "core/db/libpq_connection.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <pqxx/pqxx>

#include "core/db/pg_error.hpp"
#include "tests/support/test_database.hpp"

using dp::db::ErrorClass;
using dp::db::LibpqConnection;
using dp::db::LibpqTransaction;
using dp::db::PgError;

namespace {

ErrorClass connect_failure(const std::string& conninfo) {
  try {
    LibpqConnection connection(conninfo);
  } catch (const PgError& error) {
    const std::string message = error.what();
    CAPTURE(message);
    return error.error_class();
  }
  FAIL("connecting should have failed: " << conninfo);
  return ErrorClass::kFailFile;
}

}  // namespace

TEST_CASE("the classification rule maps SQLSTATE classes to retry, fail-file and fatal") {
  using dp::db::classify_error;
  for (const char* retry : {"08006", "08001", "40001", "40P01", "57P01", "57P02", "57P03", "53300",
                            "53100", "57014", "55P03"}) {
    CAPTURE(retry);
    CHECK(classify_error(retry, false) == ErrorClass::kRetry);
  }
  for (const char* fatal : {"28P01", "28000", "3D000", "3F000", "42P01", "42501"}) {
    CAPTURE(fatal);
    CHECK(classify_error(fatal, false) == ErrorClass::kFatal);
    CHECK(classify_error(fatal, true) == ErrorClass::kFatal);
  }
  for (const char* data : {"22P02", "22003", "22P03", "23505", "23502", "23503", "XX000"}) {
    CAPTURE(data);
    CHECK(classify_error(data, false) == ErrorClass::kFailFile);
  }
  CHECK(classify_error("", true, "server closed the connection unexpectedly") ==
        ErrorClass::kRetry);
  CHECK(classify_error("", true, "FATAL:  password authentication failed for user \"x\"") ==
        ErrorClass::kFatal);
  CHECK(classify_error("", false, "some client-side problem") == ErrorClass::kFailFile);
  CHECK(std::string(dp::db::to_string(ErrorClass::kFailFile)) == "fail-file");
}

TEST_CASE("connection failures are fatal when retrying cannot help, retryable otherwise") {
  dp::test::TestDatabase database;
  CHECK(connect_failure("host=/nonexistent-socket-dir port=1 dbname=x connect_timeout=2") ==
        ErrorClass::kRetry);
  CHECK(connect_failure("this is not a conninfo") == ErrorClass::kFatal);
  CHECK(connect_failure(database.conninfo() + "_missing") == ErrorClass::kFatal);
  CHECK(connect_failure(database.conninfo() + " user=no_such_role") == ErrorClass::kFatal);
}

TEST_CASE("exec and exec_params return rows as text, with NULLs and affected rows") {
  dp::test::TestDatabase database;
  LibpqConnection connection(database.conninfo());
  CHECK(connection.is_open());
  CHECK(connection.socket() >= 0);
  connection.exec("CREATE TABLE notes (id int, body text)");
  const auto inserted =
      connection.exec_params("INSERT INTO notes VALUES ($1, $2), ($3, $4)",
                             {std::string("1"), std::string("it's \"quoted\"; DROP TABLE notes"),
                              std::string("2"), std::nullopt});
  CHECK(inserted.affected_rows() == 2);
  const auto result = connection.exec("SELECT id, body FROM notes ORDER BY id");
  REQUIRE(result.rows() == 2);
  CHECK(result.columns() == 2);
  CHECK(result.column_name(1) == "body");
  CHECK(result.get(0, 1) == "it's \"quoted\"; DROP TABLE notes");
  CHECK(result.value(1, 1) == std::nullopt);
  CHECK(result.is_null(1, 1));
  CHECK(result.value(1, 0) == "2");
  try {
    connection.exec_params("SELECT $1::int", {std::string("nope")});
    FAIL("the cast should have failed");
  } catch (const PgError& error) {
    CHECK(error.sqlstate() == "22P02");
    CHECK(error.error_class() == ErrorClass::kFailFile);
  }
  CHECK(connection.is_open());
}

TEST_CASE("an uncommitted transaction rolls back when its guard is destroyed") {
  dp::test::TestDatabase database;
  LibpqConnection connection(database.conninfo());
  connection.exec("CREATE TABLE t (v int)");
  {
    LibpqTransaction transaction(connection);
    connection.exec("INSERT INTO t VALUES (1)");
    CHECK(connection.in_transaction());
  }
  CHECK_FALSE(connection.in_transaction());
  CHECK(connection.exec("SELECT count(*) FROM t").get(0, 0) == "0");
  {
    LibpqTransaction transaction(connection);
    connection.exec("INSERT INTO t VALUES (2)");
    transaction.commit();
  }
  CHECK(connection.exec("SELECT count(*) FROM t").get(0, 0) == "1");
  {
    LibpqTransaction transaction(connection);
    CHECK_THROWS_AS(connection.exec("INSERT INTO t VALUES ('x')"), PgError);
    // COMMIT of a failed transaction is answered with ROLLBACK and must not pass as success.
    CHECK_THROWS_AS(transaction.commit(), PgError);
  }
  CHECK_FALSE(connection.in_transaction());
  CHECK(connection.exec("SELECT count(*) FROM t").get(0, 0) == "1");
}

TEST_CASE("cancel from another thread stops a running statement with a retryable error") {
  dp::test::TestDatabase database;
  LibpqConnection connection(database.conninfo());
  const auto started = std::chrono::steady_clock::now();
  auto canceller = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return connection.cancel();
  });
  try {
    connection.exec("SELECT pg_sleep(30)");
    FAIL("the statement should have been cancelled");
  } catch (const PgError& error) {
    CHECK(error.sqlstate() == "57014");
    CHECK(error.error_class() == ErrorClass::kRetry);
  }
  CHECK(canceller.get());
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(connection.exec("SELECT 1").get(0, 0) == "1");
}

TEST_CASE("a terminated backend is a lost connection and retryable") {
  dp::test::TestDatabase database;
  LibpqConnection connection(database.conninfo());
  LibpqConnection admin(database.conninfo());
  admin.exec_params("SELECT pg_terminate_backend($1::int)",
                    {std::to_string(connection.backend_pid())});
  try {
    connection.exec("SELECT 1");
    FAIL("the connection should be gone");
  } catch (const PgError& error) {
    const std::string message = error.what();
    CAPTURE(message);
    CHECK(error.connection_lost());
    CHECK(error.error_class() == ErrorClass::kRetry);
  }
  CHECK_FALSE(connection.is_open());
}

TEST_CASE("libpqxx exceptions are classified by the same rule") {
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  pqxx::nontransaction work(connection);
  work.exec0("CREATE TABLE u (id int PRIMARY KEY)");
  work.exec0("INSERT INTO u VALUES (1)");
  try {
    work.exec0("INSERT INTO u VALUES (1)");
    FAIL("duplicate key expected");
  } catch (const std::exception& error) {
    CHECK(dp::db::classify_exception(error) == ErrorClass::kFailFile);
    CHECK(dp::db::classify_exception(std::current_exception()) == ErrorClass::kFailFile);
  }
  try {
    work.exec0("SELECT * FROM no_such_table");
    FAIL("undefined table expected");
  } catch (const std::exception& error) {
    CHECK(dp::db::classify_exception(error) == ErrorClass::kFatal);
  }
  try {
    pqxx::connection unreachable("host=/nonexistent-socket-dir port=1 dbname=x");
    FAIL("connection should have failed");
  } catch (const pqxx::broken_connection& error) {
    CHECK(dp::db::classify_exception(error) == ErrorClass::kRetry);
  }
  CHECK(dp::db::classify_exception(std::runtime_error("anything else")) == ErrorClass::kFailFile);
  const PgError own("lost", "", true);
  CHECK(dp::db::classify_exception(own) == ErrorClass::kRetry);
}
