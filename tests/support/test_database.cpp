#include "tests/support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <pqxx/pqxx>

#include "core/db/embedded_postgres.hpp"

namespace dp::test {
namespace fs = std::filesystem;

struct TestCluster::State {
  std::string base_conninfo;  // without dbname
  std::string root;
  std::unique_ptr<db::EmbeddedPostgres> own;  // set when this process started the cluster
};

namespace {

std::string read_first_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

TestCluster::TestCluster() : state_(new State) {
  if (const char* dir = std::getenv("DP_TEST_PG_DIR");
      dir != nullptr && fs::exists(fs::path(dir) / "conninfo")) {
    state_->base_conninfo = read_first_line(fs::path(dir) / "conninfo");
    state_->root = dir;
    return;
  }
  const auto root = fs::temp_directory_path() / ("dp-test-pg-" + std::to_string(getpid()));
  db::EmbeddedPostgresOptions options;
  options.root = root;
  options.fsync = false;
  options.system_user = "dp_pgtest";
  state_->own = std::make_unique<db::EmbeddedPostgres>(options);
  state_->own->start();
  const auto info = state_->own->conninfo("postgres");
  state_->base_conninfo = info.substr(0, info.rfind(" dbname="));
  state_->root = root.string();
  std::atexit([] {
    auto& self = TestCluster::instance();
    // At exit OpenSSL is already torn down: no connection (to look for other clients) may be
    // opened, and this process's cluster is its own anyway.
    self.state_->own->stop_for_test();
    self.state_->own.reset();
    std::error_code ignored;
    fs::remove_all(self.state_->root, ignored);
  });
}

TestCluster& TestCluster::instance() {
  static TestCluster* cluster = new TestCluster();
  return *cluster;
}

std::string TestCluster::conninfo(const std::string& database) const {
  return state_->base_conninfo + " dbname=" + database;
}

std::string TestCluster::root() const {
  return state_->root;
}

void TestCluster::stop_server() {
  const auto pgdata = fs::path(state_->root) / "pgdata";
  const auto bin = db::EmbeddedPostgres::find_bin_dir();
  const std::string owner = getuid() == 0 ? "runuser -u dp_pgtest -- " : "";
  const auto command =
      owner + (bin / "pg_ctl").string() + " -w -D " + pgdata.string() + " -m fast stop > /dev/null";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("could not stop the test cluster");
  }
}

void TestCluster::start_server() {
  const auto pgdata = fs::path(state_->root) / "pgdata";
  const auto bin = db::EmbeddedPostgres::find_bin_dir();
  const std::string owner = getuid() == 0 ? "runuser -u dp_pgtest -- " : "";
  // pg_ctl remembers the original server options in postmaster.opts; restart reuses them.
  const auto opts = read_first_line(pgdata / "postmaster.opts");
  const auto start = opts.find(' ');
  const auto command = owner + (bin / "pg_ctl").string() + " -w -D " + pgdata.string() + " -l " +
                       (fs::path(state_->root) / "postgres.log").string() + " -o \"" +
                       (start == std::string::npos ? "" : opts.substr(start + 1)) +
                       "\" start > /dev/null";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("could not restart the test cluster");
  }
}

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  name_ = "dp_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  auto& cluster = TestCluster::instance();
  pqxx::connection admin(cluster.conninfo("postgres"));
  pqxx::nontransaction work(admin);
  work.exec0("DROP DATABASE IF EXISTS " + admin.quote_name(name_));
  work.exec0("CREATE DATABASE " + admin.quote_name(name_));
  conninfo_ = cluster.conninfo(name_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(TestCluster::instance().conninfo("postgres"));
    pqxx::nontransaction work(admin);
    work.exec0("DROP DATABASE IF EXISTS " + admin.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A test that stopped the server leaves its database behind; the cluster is throwaway.
  }
}

std::string TestDatabase::scalar(const std::string& sql) const {
  pqxx::connection connection(conninfo_);
  pqxx::nontransaction work(connection);
  const auto result = work.exec(sql);
  if (result.empty() || result[0][0].is_null()) {
    return "";
  }
  return result[0][0].c_str();
}

void TestDatabase::exec(const std::string& sql) const {
  pqxx::connection connection(conninfo_);
  pqxx::nontransaction work(connection);
  work.exec(sql);
}

}  // namespace dp::test
