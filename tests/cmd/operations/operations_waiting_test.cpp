// End to end: a file the service may not read waits visibly (issue 12, item 3): with its reason
// in /metrics, `--status` and one stale alert, its first-seen time kept across retries, and it
// loads once it becomes readable. The service runs as an unprivileged user: root reads a
// `chmod 000` file anyway, so as root this test would prove nothing.
#include <doctest/doctest.h>

#include <thread>

#include "tests/cmd/operations/operations_fixture.hpp"

using namespace dp::test;

namespace {

std::string webhook_url(const NotifyTestServer& server) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/hook";
}

}  // namespace

TEST_CASE("a chmod 000 file: waiting with its reason, one stale alert, loaded once readable") {
  NotifyTestServer webhook(EndpointBehaviour::kAnswer200);
  WatchFixture fx;
  fx.run_as(kUnprivilegedUser);
  const int port = free_loopback_port();
  fx.start({"stale_after=2s", "webhook_url=" + webhook_url(webhook), "rescan_interval_s=1",
            "http_port=" + std::to_string(port), "http_bind=127.0.0.1"});
  const auto staged = fx.outside() / "user_traffic_locked\xff.csv";
  write_file(staged, user_traffic_csv(7, 1));
  fs::permissions(staged, fs::perms::none);
  fs::rename(staged, fx.imports() / staged.filename());

  CHECK(
      fx.wait_for("SELECT reason LIKE 'unreadable: cannot open user_traffic_locked\\\\xFF.csv: "
                  "Permission denied' FROM ingest.waiting",
                  "t", 20s));
  // /metrics shows it as retrying, by cause.
  const auto metrics = parse_metrics(http_get(port, "/metrics").body);
  CHECK(metric_value(metrics, "dataprocessor_files_retrying", {{"cause", "unreadable"}}) == 1.0);
  // --status names it with the reason.
  ProcessSpec status;
  status.args = {"--status"};
  for (const auto& setting : fx.args({})) {
    if (setting != "--watch") {
      status.args.push_back(setting);
    }
  }
  status.working_dir = fx.root();
  status.output_file = fx.root() / "status.out";
  status.env = {{"DB_STRING", fx.db().conninfo()}};
  const auto report = run_to_completion(status);
  INFO("--status:\n" << report.out << report.err);
  CHECK(report.out.find("user_traffic_locked\\xFF.csv") != std::string::npos);
  CHECK(report.out.find("waiting, unreadable: cannot open") != std::string::npos);

  // Stale after 2 s, noticed by the next 5-second check, reported once however often it is
  // retried meanwhile (every second here).
  CHECK(wait_until([&] { return !webhook.received().empty(); }, 15s, 100ms));
  std::this_thread::sleep_for(7s);
  INFO("service output:\n" << fx.service_output());
  const auto events = webhook_events(webhook);
  REQUIRE(events.size() == 1);
  CHECK(events[0].at("event") == "stale_file");
  CHECK(events[0].at("detail").get<std::string>().find("Permission denied") != std::string::npos);
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 0);

  // Readable again: loaded once, the waiting row gone.
  fs::permissions(fx.imports() / staged.filename(), fs::perms(0644));
  CHECK(fx.wait_for("SELECT status || ':' || rows_loaded FROM ingest.files", "loaded:7", 20s));
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.waiting", "0"));
  CHECK(fx.stop() == 0);
}
