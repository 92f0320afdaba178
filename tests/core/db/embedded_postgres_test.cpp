#include "core/db/embedded_postgres.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>

#include <pqxx/pqxx>

#include "tests/support/temp_dir.hpp"

namespace {

dp::db::EmbeddedPostgresOptions options_in(const std::filesystem::path& root) {
  dp::db::EmbeddedPostgresOptions options;
  options.root = root;
  options.fsync = false;
  options.system_user = "dp_pgtest";
  return options;
}

std::string query(const std::string& conninfo, const std::string& sql) {
  pqxx::connection connection(conninfo);
  pqxx::nontransaction work(connection);
  return work.exec1(sql)[0].c_str();
}

}  // namespace

TEST_CASE("the embedded cluster starts, keeps its data across restarts, and stops") {
  dp::test::TempDir dir;
  std::string conninfo;
  {
    dp::db::EmbeddedPostgres cluster(options_in(dir.path() / "var"));
    cluster.start();
    CHECK_FALSE(cluster.reused_running_server());
    conninfo = cluster.conninfo();
    CHECK(conninfo.find("host=") != std::string::npos);
    CHECK(cluster.psql_command().rfind(
              "PGPASSFILE=" + cluster.password_file().string() + " psql -h ", 0) == 0);
    pqxx::connection connection(conninfo);
    pqxx::nontransaction(connection)
        .exec0("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
  }
  // The destructor stopped the server: connecting now fails.
  CHECK_THROWS_AS(pqxx::connection{conninfo}, pqxx::broken_connection);

  dp::db::EmbeddedPostgres again(options_in(dir.path() / "var"));
  again.start();
  CHECK(query(again.conninfo(), "SELECT id FROM kept") == "42");
  CHECK(query(again.conninfo(), "SHOW server_encoding") == "UTF8");
  again.stop();
  CHECK_THROWS_AS(pqxx::connection{conninfo}, pqxx::broken_connection);
}

TEST_CASE("a second instance reuses a running cluster and leaves it running") {
  dp::test::TempDir dir;
  dp::db::EmbeddedPostgres owner(options_in(dir.path()));
  owner.start();
  {
    dp::db::EmbeddedPostgres second(options_in(dir.path()));
    second.start();
    CHECK(second.reused_running_server());
  }
  CHECK(query(owner.conninfo(), "SELECT 1") == "1");
}

TEST_CASE("the PostgreSQL binaries are found") {
  const auto bin = dp::db::EmbeddedPostgres::find_bin_dir();
  CHECK(std::filesystem::exists(bin / "initdb"));
  CHECK(std::filesystem::exists(bin / "pg_ctl"));
}

TEST_CASE("a data folder the cluster user cannot reach moves to a system folder") {
  if (geteuid() != 0) {
    return;  // Only root runs the cluster as another user.
  }
  dp::test::TempDir dir;
  const auto private_parent = dir.path() / "private";
  std::filesystem::create_directories(private_parent);
  std::filesystem::permissions(private_parent, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  dp::db::EmbeddedPostgres cluster(options_in(private_parent / "var"));
  cluster.start();
  CHECK(cluster.data_dir().string().rfind("/var/lib/dataprocessor/", 0) == 0);
  CHECK(query(cluster.conninfo(), "SELECT 1") == "1");
  cluster.stop();
  std::filesystem::remove_all(cluster.data_dir().parent_path());
}

namespace {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string role_of(const std::string& conninfo) {
  const auto start = conninfo.find("user=") + 5;
  return conninfo.substr(start, conninfo.find(' ', start) - start);
}

}  // namespace

TEST_CASE("every login needs the generated password, on TCP and on the socket") {
  dp::test::TempDir dir;
  auto options = options_in(dir.path() / "var");
  options.tcp_port = free_port();
  dp::db::EmbeddedPostgres cluster(options);
  cluster.start();
  struct stat info {};
  REQUIRE(::stat(cluster.password_file().c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 0600);
  CHECK(cluster.conninfo().find("passfile=") != std::string::npos);
  CHECK(cluster.conninfo().find("password") == std::string::npos);
  CHECK(query(cluster.conninfo(), "SELECT 1") == "1");

  const auto user = role_of(cluster.conninfo());
  const std::string tcp = "host=127.0.0.1 port=" + std::to_string(options.tcp_port) +
                          " user=" + user + " dbname=postgres connect_timeout=5";
  // passfile=/dev/null: a ~/.pgpass of whoever runs the test must not log in for it.
  CHECK_THROWS_WITH_AS(pqxx::connection{tcp + " passfile=/dev/null"}, doctest::Contains("password"),
                       pqxx::broken_connection);
  CHECK_THROWS_WITH_AS(pqxx::connection{tcp + " password=guessed passfile=/dev/null"},
                       doctest::Contains("password authentication failed"),
                       pqxx::broken_connection);
  const std::string socket = "host=" + cluster.socket_dir().string() +
                             " port=" + std::to_string(options.tcp_port) + " user=" + user +
                             " dbname=postgres passfile=/dev/null";
  CHECK_THROWS_WITH_AS(pqxx::connection{socket}, doctest::Contains("password"),
                       pqxx::broken_connection);
  CHECK(query(tcp + " passfile=" + cluster.password_file().string(), "SELECT 2") == "2");
}

TEST_CASE("a cluster another client still uses is left running by the one that started it") {
  dp::test::TempDir dir;
  auto starter = std::make_unique<dp::db::EmbeddedPostgres>(options_in(dir.path()));
  starter->start();
  const auto conninfo = starter->conninfo();
  {
    // A second instance (a watcher) attaches and stays connected.
    dp::db::EmbeddedPostgres watcher(options_in(dir.path()));
    watcher.start();
    CHECK(watcher.reused_running_server());
    pqxx::connection watcher_connection(watcher.conninfo());
    starter->stop();
    CHECK(starter->left_running_for_others());
    CHECK(query(conninfo, "SELECT 3") == "3");
    CHECK(watcher_connection.is_open());
  }
  // The watcher did not start it, so it does not stop it either.
  CHECK(query(conninfo, "SELECT 4") == "4");
  dp::db::EmbeddedPostgres last(options_in(dir.path()));
  last.start();
  last.adopt_for_test();
  last.stop();
  CHECK_FALSE(last.left_running_for_others());
  CHECK_THROWS_AS(pqxx::connection{conninfo}, pqxx::broken_connection);
}

TEST_CASE("a link planted as the socket folder is refused, in data_dir and in /tmp") {
  dp::test::TempDir dir;
  const auto victim = dir.path() / "victim";
  std::filesystem::create_directories(victim);
  std::filesystem::create_directories(dir.path() / "var");
  std::filesystem::create_directory_symlink(victim, dir.path() / "var" / "pgrun");
  dp::db::EmbeddedPostgres planted(options_in(dir.path() / "var"));
  CHECK_THROWS_WITH_AS(planted.start(), doctest::Contains("symbolic link"), std::runtime_error);

  // A data_dir too long for a socket path falls back to /tmp/dp-pg-<hash>.
  const auto deep = std::filesystem::absolute(dir.path() / std::string(90, 'd') / "var");
  const auto fallback = std::filesystem::temp_directory_path() /
                        ("dp-pg-" + std::to_string(std::hash<std::string>{}(deep.string())));
  std::filesystem::remove_all(fallback);
  std::filesystem::create_directory_symlink(victim, fallback);
  dp::db::EmbeddedPostgres deep_cluster(options_in(deep));
  CHECK(deep_cluster.socket_dir() == fallback);
  CHECK_THROWS_WITH_AS(deep_cluster.start(), doctest::Contains("symbolic link"),
                       std::runtime_error);
  std::filesystem::remove(fallback);
  CHECK(std::filesystem::is_empty(victim));
  struct stat info {};
  REQUIRE(::stat(victim.c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) != 0700);
}

TEST_CASE("a cluster made without passwords, or whose password file was lost, gets one") {
  dp::test::TempDir dir;
  const auto root = dir.path() / "var";
  std::string user;
  {
    dp::db::EmbeddedPostgres first(options_in(root));
    first.start();
    user = role_of(first.conninfo());
    first.stop();
  }
  // As the clusters of earlier versions were: trust everywhere, no password file.
  std::ofstream(root / "pgdata" / "pg_hba.conf") << "local all all trust\n"
                                                    "host all all 127.0.0.1/32 trust\n";
  std::filesystem::remove(root / "pgpass");
  dp::db::EmbeddedPostgres upgraded(options_in(root));
  upgraded.start();
  CHECK(std::filesystem::exists(root / "pgpass"));
  CHECK(query(upgraded.conninfo(), "SELECT 5") == "5");
  const std::string without = "host=" + upgraded.socket_dir().string() + " port=5432 user=" + user +
                              " dbname=postgres passfile=/dev/null";
  CHECK_THROWS_WITH_AS(pqxx::connection{without}, doctest::Contains("password"),
                       pqxx::broken_connection);
  std::ifstream hba(root / "pgdata" / "pg_hba.conf");
  const std::string rules((std::istreambuf_iterator<char>(hba)), std::istreambuf_iterator<char>());
  CHECK(rules.find("trust") == std::string::npos);
  CHECK(rules.find("local all all scram-sha-256") != std::string::npos);
}
