#include "core/db/copy_sink.hpp"

#include <optional>

#include <spdlog/spdlog.h>

#include "core/table/copy_row_writer.hpp"

namespace dp::db {

CopySink::~CopySink() {
  if (active_) {
    abort("COPY abandoned by the loader");
  }
}

void CopySink::begin(const std::string& copy_sql) {
  if (active_) {
    throw PgError("CopySink::begin called while a COPY is in progress", {}, false,
                  ErrorClass::kFailFile);
  }
  PGconn* conn = connection_.native_handle();
  if (conn == nullptr) {
    throw connection_.make_error(nullptr);
  }
  PgResult result(PQexec(conn, copy_sql.c_str()));
  if (result.native_handle() == nullptr) {
    throw connection_.make_error(nullptr);
  }
  if (PQresultStatus(result.native_handle()) != PGRES_COPY_IN) {
    if (PQresultStatus(result.native_handle()) == PGRES_COMMAND_OK ||
        PQresultStatus(result.native_handle()) == PGRES_TUPLES_OK) {
      throw PgError("not a COPY FROM STDIN statement: " + copy_sql, {}, false,
                    ErrorClass::kFailFile);
    }
    throw connection_.make_error(result.native_handle());
  }
  active_ = true;
  bytes_sent_ = 0;
  send(table::CopyRowWriter::stream_header());
}

void CopySink::write(std::string_view bytes) {
  if (!active_) {
    throw PgError("CopySink::write called without a COPY in progress", {}, false,
                  ErrorClass::kFailFile);
  }
  send(bytes);
}

void CopySink::send(std::string_view bytes) {
  PGconn* conn = connection_.native_handle();
  while (!bytes.empty()) {
    const std::size_t size = bytes.size() < kMaxMessageBytes ? bytes.size() : kMaxMessageBytes;
    if (PQputCopyData(conn, bytes.data(), static_cast<int>(size)) != 1) {
      fail_after_send_error();
    }
    bytes_sent_ += size;
    bytes.remove_prefix(size);
  }
}

std::uint64_t CopySink::finish() {
  if (!active_) {
    throw PgError("CopySink::finish called without a COPY in progress", {}, false,
                  ErrorClass::kFailFile);
  }
  send(table::CopyRowWriter::stream_trailer());
  if (PQputCopyEnd(connection_.native_handle(), nullptr) != 1) {
    fail_after_send_error();
  }
  active_ = false;
  return collect_results();
}

void CopySink::abort(std::string_view reason) noexcept {
  if (!active_) {
    return;
  }
  active_ = false;
  PGconn* conn = connection_.native_handle();
  const std::string message(reason);
  if (PQputCopyEnd(conn, message.c_str()) == 1) {
    while (PGresult* result = PQgetResult(conn)) {
      PQclear(result);
    }
  }
}

void CopySink::fail_after_send_error() {
  // The server may have failed the COPY already (its error explains more than libpq's "no
  // COPY in progress"), or the connection is gone.
  active_ = false;
  const PgError send_error = connection_.make_error(nullptr);
  if (!connection_.is_open()) {
    throw send_error;
  }
  collect_results();
  throw send_error;
}

std::uint64_t CopySink::collect_results() {
  PGconn* conn = connection_.native_handle();
  std::optional<PgError> error;
  std::uint64_t rows = 0;
  while (PGresult* raw = PQgetResult(conn)) {
    const PgResult result(raw);
    const ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK) {
      rows = result.affected_rows();
    } else if (status == PGRES_COPY_IN) {
      // Still in COPY mode after an error on our side: end it so the connection is usable.
      PQputCopyEnd(conn, "client error while sending COPY data");
    } else if (!error) {
      error = connection_.make_error(raw);
    }
  }
  if (!error && !connection_.is_open()) {
    error = connection_.make_error(nullptr);
  }
  if (error) {
    throw *error;
  }
  return rows;
}

}  // namespace dp::db
