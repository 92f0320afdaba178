// End to end: a node lost without a word. Replica A holds the claim on a large file; then its
// process is frozen and its packets dropped (in a network namespace of its own, see
// bench/replica_lost_node_bench.sh), so no close reaches the server. The server must end A's
// session through the keepalives A's session asked for (replica_timeout_s), and replica B must
// take the file over within replica_timeout_s plus its next scan.
#include <doctest/doctest.h>

#include <unistd.h>

#include <regex>

#include "tests/cmd/replicas/replica_fixture.hpp"

using namespace dp::test;

TEST_CASE("a lost node's claim ends within replica_timeout_s and another replica loads the file") {
  if (::geteuid() != 0 || !fs::exists("/usr/sbin/iptables")) {
    MESSAGE("needs root and iptables (for a network namespace of the test's own); not run");
    return;
  }
  constexpr int kTimeoutSeconds = 5;
  ProcessSpec spec;
  spec.binary = fs::path(DP_SOURCE_DIR) / "bench" / "replica_lost_node_bench.sh";
  spec.args = {"--binary",
               DP_BINARY_PATH,
               "--runs",
               "1",
               "--big-rows",
               "300000",
               "--sql-dir",
               fs::path(DP_SOURCE_DIR) / "sql",
               "--replica-timeout",
               std::to_string(kTimeoutSeconds)};
  TempDir dir;
  spec.working_dir = dir.path();
  spec.output_file = dir.path() / "lost-node.out";
  const auto result = run_to_completion(spec, std::chrono::seconds(180));
  INFO("output:\n" << result.out << "\n" << result.err);
  REQUIRE(result.exit_code == 0);
  std::smatch found;
  REQUIRE(
      std::regex_search(result.out, found,
                        std::regex(R"(claimed by b ([0-9.]+) s after the cut, loaded ([0-9.]+))")));
  const double takeover = std::stod(found[1].str());
  MESSAGE("lost node taken over after " << takeover
                                        << " s with replica_timeout_s=" << kTimeoutSeconds);
  // replica_timeout_s, then the next scan (200 ms) and settle (100 ms), with room for a busy
  // machine; and not before the timeout: a silent peer is not given up on at once.
  CHECK(takeover >= kTimeoutSeconds - 1);
  CHECK(takeover <= kTimeoutSeconds + 3);
}
