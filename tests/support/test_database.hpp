#pragma once

#include <string>

namespace dp::test {

/// The PostgreSQL cluster of this test run: the one `dp_test_pg start` launched for ctest
/// (found through DP_TEST_PG_DIR), or else one this process starts itself and stops at exit.
/// Nothing in the suite mocks the database.
class TestCluster {
 public:
  /// The process-wide cluster, started on first use.
  static TestCluster& instance();
  /// conninfo for `database` on the cluster.
  std::string conninfo(const std::string& database = "postgres") const;
  /// Stops the server (for tests of "database down"); start() brings it back.
  void stop_server();
  void start_server();
  /// The data folder root (for tests that need the cluster's files).
  std::string root() const;

 private:
  TestCluster();
  struct State;
  State* state_;
};

/// A fresh, empty database per test (dropped at the end), so suites never see each other's rows.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// libpq key=value connection string for this database.
  const std::string& conninfo() const { return conninfo_; }
  const std::string& name() const { return name_; }
  /// Runs SQL and returns the first column of the first row as text ("" when NULL or no row).
  std::string scalar(const std::string& sql) const;
  /// Runs SQL statements, ignoring results.
  void exec(const std::string& sql) const;

 private:
  std::string name_;
  std::string conninfo_;
};

}  // namespace dp::test
