#include "core/db/embedded_postgres.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

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
    CHECK(cluster.psql_command().rfind("psql -h ", 0) == 0);
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
