#include "core/db/session_options.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <libpq-fe.h>

namespace dp::db {
namespace {

/// A key=value conninfo value in single quotes, backslash and quote escaped.
std::string quoted(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\\' || c == '\'') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

/// application_name holds at most 63 bytes.
std::string application_name(const std::string& replica_id) {
  auto name = "dataprocessor " + replica_id;
  name.resize(std::min<std::size_t>(name.size(), 63));
  return name;
}

}  // namespace

std::string with_session_options(const std::string& conninfo, const SessionOptions& options) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &error);
  if (parsed == nullptr) {
    PQfreemem(error);
    return conninfo;
  }
  std::map<std::string, std::string> values;
  for (const PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) {
      values[option->keyword] = option->val;
    }
  }
  PQconninfoFree(parsed);

  const auto timeout = std::max<long long>(options.dead_peer_timeout.count(), 3);
  // Idle time, then four probes: silence for idle + 4 * interval = the timeout.
  const auto idle = std::max<long long>(timeout / 3, 1);
  const auto interval = std::max<long long>((timeout - idle) / 4, 1);
  const std::map<std::string, std::string> client = {
      {"keepalives", "1"},
      {"keepalives_idle", std::to_string(idle)},
      {"keepalives_interval", std::to_string(interval)},
      {"keepalives_count", "4"},
      {"tcp_user_timeout", std::to_string(timeout * 1000)},
      {"application_name", application_name(options.replica_id)}};
  for (const auto& [key, value] : client) {
    values.try_emplace(key, value);
  }
  // Server side: the backend gives up on a silent client as fast, and checks the client while
  // a long statement runs, so a lost node's session (and its locks) end within the timeout.
  auto server = fmt::format(
      "-c tcp_keepalives_idle={} -c tcp_keepalives_interval={} -c tcp_keepalives_count=4 "
      "-c tcp_user_timeout={} -c client_connection_check_interval={}",
      idle, interval, timeout * 1000, std::max<long long>(timeout / 3, 1) * 1000);
  if (!options.replica_id.empty()) {
    server += " -c dp.replica_id=" + options.replica_id;
  }
  auto& given = values["options"];
  given = given.empty() ? server : server + " " + given;

  std::string out;
  for (const auto& [key, value] : values) {
    out += (out.empty() ? "" : " ") + key + "=" + quoted(value);
  }
  return out;
}

}  // namespace dp::db
