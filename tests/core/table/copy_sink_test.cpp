// CopySink against a real PostgreSQL: large streams, server-side failures, aborts, lost links.
#include "core/db/copy_sink.hpp"

#include <doctest/doctest.h>

#include <string>

#include "core/db/libpq_connection.hpp"
#include "core/table/copy_row_writer.hpp"
#include "tests/support/test_database.hpp"

using dp::db::CopySink;
using dp::db::ErrorClass;
using dp::db::LibpqConnection;
using dp::db::PgError;
using dp::table::CopyRowWriter;

namespace {

constexpr const char* kCopy = "COPY items (id, label) FROM STDIN (FORMAT binary)";

void write_items(CopyRowWriter& writer, int first, int count, bool null_label_at_end = false) {
  for (int id = first; id < first + count; ++id) {
    writer.begin_row(2);
    writer.put_int64(id);
    if (null_label_at_end && id == first + count - 1) {
      writer.put_null();
    } else {
      writer.put_text("label number " + std::to_string(id));
    }
    writer.end_row();
  }
}

std::string count_items(LibpqConnection& connection) {
  return std::string(connection.exec("SELECT count(*) FROM items").get(0, 0));
}

struct ItemsDatabase {
  ItemsDatabase() : connection(database.conninfo()) {
    connection.exec("CREATE TABLE items (id bigint PRIMARY KEY, label text NOT NULL)");
  }
  dp::test::TestDatabase database;
  LibpqConnection connection;
};

}  // namespace

TEST_CASE("a large stream arrives whole, sent in messages of at most 64 KiB") {
  ItemsDatabase db;
  CopyRowWriter writer;
  write_items(writer, 1, 200'000);
  REQUIRE(writer.complete_bytes().size() > 40 * CopySink::kMaxMessageBytes);
  CopySink sink(db.connection);
  sink.begin(kCopy);
  CHECK(sink.active());
  sink.write(writer.complete_bytes());  // one call, many messages
  CHECK(sink.finish() == 200'000);
  CHECK_FALSE(sink.active());
  CHECK(sink.bytes_sent() == writer.complete_bytes().size() + 19 + 2);
  CHECK(count_items(db.connection) == "200000");
  CHECK(std::string(db.connection.exec("SELECT label FROM items WHERE id = 123456").get(0, 0)) ==
        "label number 123456");
}

TEST_CASE("a server-side failure surfaces at finish with its SQLSTATE and fails the file") {
  ItemsDatabase db;
  CopyRowWriter writer;
  write_items(writer, 1, 1000, /*null_label_at_end=*/true);
  dp::db::LibpqTransaction transaction(db.connection);
  CopySink sink(db.connection);
  sink.begin(kCopy);
  sink.write(writer.complete_bytes());
  try {
    sink.finish();
    FAIL("finish should have thrown");
  } catch (const PgError& error) {
    CHECK(error.sqlstate() == "23502");
    CHECK(error.error_class() == ErrorClass::kFailFile);
    CHECK_FALSE(error.connection_lost());
    CHECK(std::string(error.what()).find("label") != std::string::npos);
    CHECK(std::string(error.what()).find("COPY items, line 1000") != std::string::npos);
  }
  CHECK_FALSE(sink.active());
  transaction.rollback();
  CHECK(count_items(db.connection) == "0");
}

TEST_CASE("a duplicate key is a data error of the file, and the connection stays usable") {
  ItemsDatabase db;
  CopyRowWriter writer;
  write_items(writer, 1, 10);
  write_items(writer, 5, 1);
  CopySink sink(db.connection);
  sink.begin(kCopy);
  sink.write(writer.complete_bytes());
  CHECK_THROWS_AS(sink.finish(), PgError);
  CHECK(db.connection.is_open());
  CHECK(count_items(db.connection) == "0");
}

TEST_CASE("begin fails for a table the schema lacks, which is fatal") {
  ItemsDatabase db;
  CopySink sink(db.connection);
  try {
    sink.begin("COPY missing_table (id) FROM STDIN (FORMAT binary)");
    FAIL("begin should have thrown");
  } catch (const PgError& error) {
    CHECK(error.sqlstate() == "42P01");
    CHECK(error.error_class() == ErrorClass::kFatal);
  }
  CHECK_FALSE(sink.active());
  CHECK_THROWS_AS(sink.begin("SELECT 1"), PgError);
  CHECK_FALSE(sink.active());
  CHECK(count_items(db.connection) == "0");
}

TEST_CASE("abort and an abandoned sink leave no rows and a usable connection") {
  ItemsDatabase db;
  CopyRowWriter writer;
  write_items(writer, 1, 100);
  {
    CopySink sink(db.connection);
    sink.begin(kCopy);
    sink.write(writer.complete_bytes());
    sink.abort("shutting down");
    CHECK_FALSE(sink.active());
  }
  CHECK(count_items(db.connection) == "0");
  {
    CopySink sink(db.connection);
    sink.begin(kCopy);
    sink.write(writer.complete_bytes());
  }  // destroyed mid-COPY
  CHECK(count_items(db.connection) == "0");
  CopySink sink(db.connection);
  sink.begin(kCopy);
  sink.write(writer.complete_bytes());
  CHECK(sink.finish() == 100);
  CHECK(count_items(db.connection) == "100");
}

TEST_CASE("a COPY whose backend is terminated fails with a retryable error") {
  ItemsDatabase db;
  CopyRowWriter writer;
  write_items(writer, 1, 1000);
  CopySink sink(db.connection);
  sink.begin(kCopy);
  sink.write(writer.complete_bytes());
  LibpqConnection admin(db.database.conninfo());
  admin.exec_params("SELECT pg_terminate_backend($1::int)",
                    {std::to_string(db.connection.backend_pid())});
  try {
    // The server may go away between writes; enough data makes libpq notice before finish.
    for (int i = 0; i < 200; ++i) {
      sink.write(writer.complete_bytes());
    }
    sink.finish();
    FAIL("the COPY should have failed");
  } catch (const PgError& error) {
    const std::string message = error.what();
    CAPTURE(message);
    CHECK(error.error_class() == ErrorClass::kRetry);
  }
  CHECK_FALSE(db.connection.is_open());
}
