// The options every service connection carries: the replica's name for the ledger and
// pg_stat_activity, and timeouts that end a dead peer's session (and so its claims) in bounded
// time, on the client and on the server.
#include "core/db/session_options.hpp"

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include "core/db/embedded_postgres.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

using dp::db::SessionOptions;
using dp::db::with_session_options;

namespace {

std::string show(pqxx::connection& connection, const std::string& setting) {
  pqxx::nontransaction work(connection);
  return work.exec_params1("SELECT current_setting($1, true)", setting)[0].as<std::string>("");
}

/// A TCP port on the loopback interface that nothing listens on right now.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

TEST_CASE("over TCP the server itself gives up on a silent replica within the timeout") {
  // A lost node sends no FIN: only the backend's own keepalives and user timeout end its session
  // (and so its claims). They come with the session, whatever the server's configuration says.
  dp::test::TempDir dir;
  dp::db::EmbeddedPostgresOptions cluster;
  cluster.root = dir.path();
  cluster.fsync = false;
  cluster.system_user = "dp_pgtest";
  cluster.tcp_port = free_port();
  dp::db::EmbeddedPostgres server(cluster);
  server.start();
  auto conninfo = server.conninfo();
  conninfo.replace(0, conninfo.find(' '), "host=127.0.0.1");
  SessionOptions options;
  options.replica_id = "tcp-replica";
  options.dead_peer_timeout = std::chrono::seconds(30);
  pqxx::connection connection(with_session_options(conninfo, options));
  CHECK(show(connection, "tcp_keepalives_idle") == "10");
  CHECK(show(connection, "tcp_keepalives_interval") == "5");
  CHECK(show(connection, "tcp_keepalives_count") == "4");
  CHECK(show(connection, "tcp_user_timeout") == "30000");
  pqxx::nontransaction work(connection);
  CHECK(work.exec("SELECT inet_server_addr()::text")[0][0].as<std::string>() == "127.0.0.1/32");
}

TEST_CASE("a connection made with the session options names its replica and bounds dead peers") {
  dp::test::TestDatabase database;
  SessionOptions options;
  options.replica_id = "node-a.7";
  options.dead_peer_timeout = std::chrono::seconds(30);
  pqxx::connection connection(with_session_options(database.conninfo(), options));
  CHECK(show(connection, "dp.replica_id") == "node-a.7");
  CHECK(show(connection, "application_name") == "dataprocessor node-a.7");
  CHECK(show(connection, "client_connection_check_interval") == "10s");
  // Client side: libpq's own keepalive and user timeout parameters.
  const auto conninfo = with_session_options(database.conninfo(), options);
  CHECK(conninfo.find("keepalives_idle='10'") != std::string::npos);
  CHECK(conninfo.find("keepalives_interval='5'") != std::string::npos);
  CHECK(conninfo.find("keepalives_count='4'") != std::string::npos);
  CHECK(conninfo.find("tcp_user_timeout='30000'") != std::string::npos);
}

TEST_CASE("what the operator wrote in the connection string wins over the session options") {
  SessionOptions options;
  options.replica_id = "r1";
  const auto uri = with_session_options(
      "postgresql://u@db.example:5433/app?keepalives_idle=99&options=-c%20work_mem%3D8MB", options);
  CHECK(uri.find("host='db.example'") != std::string::npos);
  CHECK(uri.find("port='5433'") != std::string::npos);
  CHECK(uri.find("dbname='app'") != std::string::npos);
  CHECK(uri.find("keepalives_idle='99'") != std::string::npos);
  // The operator's -c comes after the service's, so it wins where both set a parameter.
  CHECK(uri.find("-c dp.replica_id=r1 -c work_mem=8MB'") != std::string::npos);
  CHECK(with_session_options("not a conninfo =", options) == "not a conninfo =");
}

TEST_CASE("a password with quotes and backslashes survives the rewrite") {
  SessionOptions options;
  const auto conninfo = with_session_options(R"(host=h password='a\'b\\c')", options);
  CHECK(conninfo.find(R"(password='a\'b\\c')") != std::string::npos);
}
