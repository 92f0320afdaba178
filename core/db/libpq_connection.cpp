#include "core/db/libpq_connection.hpp"

#include "core/log/logging.hpp"

#include <charconv>
#include <utility>

#include <spdlog/spdlog.h>

namespace dp::db {
namespace {

/// libpq messages end with a newline and continue on tab-indented lines; logs and reject
/// reports want one line.
std::string trim_message(std::string_view message) {
  std::string line;
  line.reserve(message.size());
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] != '\n') {
      line += message[i];
      continue;
    }
    while (i + 1 < message.size() && message[i + 1] == '\t') {
      ++i;
    }
    line += ' ';
  }
  while (!line.empty() && line.back() == ' ') {
    line.pop_back();
  }
  return line;
}

/// Server notices (e.g. "relation already exists, skipping") go to the debug log instead of
/// libpq's default, stderr.
void log_notice(void*, const char* message) {
  spdlog::debug("postgres notice: {}", trim_message(message == nullptr ? "" : message));
}

}  // namespace

PgResult::~PgResult() {
  PQclear(result_);
}

PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int PgResult::rows() const {
  return result_ == nullptr ? 0 : PQntuples(result_);
}

int PgResult::columns() const {
  return result_ == nullptr ? 0 : PQnfields(result_);
}

std::string PgResult::column_name(int column) const {
  const char* name = PQfname(result_, column);
  return name == nullptr ? std::string() : std::string(name);
}

bool PgResult::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

std::string_view PgResult::get(int row, int column) const {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::optional<std::string> PgResult::value(int row, int column) const {
  if (is_null(row, column)) {
    return std::nullopt;
  }
  return std::string(get(row, column));
}

std::uint64_t PgResult::affected_rows() const {
  const char* text = result_ == nullptr ? nullptr : PQcmdTuples(result_);
  std::uint64_t count = 0;
  if (text != nullptr) {
    std::from_chars(text, text + std::char_traits<char>::length(text), count);
  }
  return count;
}

LibpqConnection::LibpqConnection(const std::string& conninfo) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (options == nullptr) {
    const std::string message =
        parse_error == nullptr ? "out of memory" : trim_message(parse_error);
    PQfreemem(parse_error);
    throw PgError("invalid connection string: " + message, {}, false, ErrorClass::kFatal);
  }
  PQconninfoFree(options);
  conn_ = PQconnectdb(conninfo.c_str());
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    const std::string message =
        conn_ == nullptr ? "out of memory" : trim_message(PQerrorMessage(conn_));
    close();
    throw PgError("cannot connect: " + message, {}, true);
  }
  PQsetNoticeProcessor(conn_, log_notice, nullptr);
  if (PQsetClientEncoding(conn_, "UTF8") != 0) {
    const PgError error = make_error(nullptr);
    close();
    throw error;
  }
  cancel_ = PQgetCancel(conn_);
}

LibpqConnection::~LibpqConnection() {
  close();
}

LibpqConnection::LibpqConnection(LibpqConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)), cancel_(std::exchange(other.cancel_, nullptr)) {}

LibpqConnection& LibpqConnection::operator=(LibpqConnection&& other) noexcept {
  if (this != &other) {
    close();
    conn_ = std::exchange(other.conn_, nullptr);
    cancel_ = std::exchange(other.cancel_, nullptr);
  }
  return *this;
}

void LibpqConnection::close() noexcept {
  if (cancel_ != nullptr) {
    PQfreeCancel(cancel_);
    cancel_ = nullptr;
  }
  if (conn_ != nullptr) {
    PQfinish(conn_);
    conn_ = nullptr;
  }
}

PgError LibpqConnection::make_error(const PGresult* result) const {
  const bool lost = conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD;
  if (result == nullptr) {
    const std::string message =
        conn_ == nullptr ? "connection is closed" : trim_message(PQerrorMessage(conn_));
    return PgError(message.empty() ? "connection lost" : message, {}, lost);
  }
  const auto field = [&](int code) {
    const char* text = PQresultErrorField(result, code);
    return text == nullptr ? std::string() : std::string(text);
  };
  std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) {
    message = trim_message(PQresultErrorMessage(result));
  }
  if (message.empty() && conn_ != nullptr) {
    message = trim_message(PQerrorMessage(conn_));
  }
  if (const std::string detail = field(PG_DIAG_MESSAGE_DETAIL); !detail.empty()) {
    message += " (" + detail + ")";
  }
  if (const std::string context = field(PG_DIAG_CONTEXT); !context.empty()) {
    message += " [" + context + "]";
  }
  return PgError(message, field(PG_DIAG_SQLSTATE), lost);
}

PgResult LibpqConnection::checked(PGresult* raw) {
  if (raw == nullptr) {
    throw make_error(nullptr);
  }
  PgResult result(raw);
  switch (PQresultStatus(raw)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
      return result;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
      // A COPY started through exec would leave the connection stuck in COPY mode.
      PQputCopyEnd(conn_, "COPY must go through CopySink");
      while (PGresult* rest = PQgetResult(conn_)) {
        PQclear(rest);
      }
      throw PgError("COPY statements must be run through CopySink", {}, false,
                    ErrorClass::kFailFile);
    default:
      throw make_error(raw);
  }
}

PgResult LibpqConnection::exec(const std::string& sql) {
  if (conn_ == nullptr) {
    throw make_error(nullptr);
  }
  log::log_sql(sql);
  return checked(PQexec(conn_, sql.c_str()));
}

PgResult LibpqConnection::exec_params(const std::string& sql,
                                      const std::vector<std::optional<std::string>>& params) {
  if (conn_ == nullptr) {
    throw make_error(nullptr);
  }
  log::log_sql(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) {
    values.push_back(param ? param->c_str() : nullptr);
  }
  return checked(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0));
}

bool LibpqConnection::cancel() noexcept {
  if (cancel_ == nullptr) {
    return false;
  }
  char error[256] = {};
  return PQcancel(cancel_, error, sizeof error) == 1;
}

void LibpqConnection::commit() {
  const PgResult result = exec("COMMIT");
  // COMMIT of a failed transaction "succeeds" with the tag ROLLBACK: never report that as done.
  if (std::string_view(PQcmdStatus(result.native_handle())) == "ROLLBACK") {
    throw PgError("COMMIT rolled back: an earlier statement of the transaction failed", "25P02",
                  false);
  }
}

int LibpqConnection::socket() const {
  return conn_ == nullptr ? -1 : PQsocket(conn_);
}

bool LibpqConnection::is_open() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

bool LibpqConnection::in_transaction() const {
  if (conn_ == nullptr) {
    return false;
  }
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

int LibpqConnection::backend_pid() const {
  return conn_ == nullptr ? 0 : PQbackendPID(conn_);
}

LibpqTransaction::LibpqTransaction(LibpqConnection& connection) : connection_(connection) {
  connection_.begin();
}

LibpqTransaction::~LibpqTransaction() {
  if (!open_) {
    return;
  }
  try {
    if (connection_.is_open() && connection_.in_transaction()) {
      connection_.rollback();
    }
  } catch (const std::exception& error) {
    spdlog::warn("rollback failed: {}", error.what());
  } catch (...) {
    spdlog::warn("rollback failed");
  }
}

void LibpqTransaction::commit() {
  open_ = false;
  connection_.commit();
}

void LibpqTransaction::rollback() {
  open_ = false;
  connection_.rollback();
}

}  // namespace dp::db
