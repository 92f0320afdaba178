// End to end, as an unprivileged user: whoever can write imports/ cannot make the service write
// anywhere else, and what the service writes is private to its user and group.
#include <doctest/doctest.h>

#include <string>

#include "core/db/embedded_postgres.hpp"
#include "tests/cmd/operations/operations_fixture.hpp"
#include "tests/cmd/security/security_fixture.hpp"

using namespace dp::test;

namespace {

/// A folder of the service's user where planted links point: writable by the service, so that
/// only refusing the link keeps it as it was.
struct Victim {
  Victim(const fs::path& folder_path, const TestUser& user) : folder(folder_path) {
    fs::create_directories(folder);
    write_file(folder / "precious.txt", "keep me\n");
    REQUIRE(::chown(folder.c_str(), user.uid, user.gid) == 0);
    REQUIRE(::chown((folder / "precious.txt").c_str(), user.uid, user.gid) == 0);
  }
  bool untouched() const {
    return regular_files(folder) == std::set<std::string>{"precious.txt"} &&
           read_file_text(folder / "precious.txt") == "keep me\n";
  }
  fs::path folder;
};

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE(
    "links planted as .failed, .processed/<day> and a predictable temporary name are "
    "refused and reported") {
  if (geteuid() != 0) {
    return;  // Needs root to create the unprivileged user.
  }
  UnprivilegedService fx;
  const Victim failed_victim(fx.root() / "victim-failed", fx.user());
  const Victim processed_victim(fx.root() / "victim-processed", fx.user());
  const Victim rejects_victim(fx.root() / "victim-rejects", fx.user());
  fs::create_directory_symlink(failed_victim.folder, fx.imports() / ".failed");
  fs::create_directories(fx.imports() / ".processed");
  fs::create_directory_symlink(processed_victim.folder,
                               fx.imports() / ".processed" / today_folder());
  fs::create_directories(fx.exports() / "rejects");
  auto& service = fx.start();
  // The name the writer used to take, NAME.tmp-PID (setpriv execs, so this is the service's pid),
  // opened with O_TRUNC through any link.
  const auto predicted = fx.exports() / "rejects" /
                         ("user_traffic_bad.csv.rejects.csv.tmp-" + std::to_string(service.pid()));
  fs::create_symlink(rejects_victim.folder / "precious.txt", predicted);

  fx.drop("mystery.csv", "alpha,beta\n1,2\n");
  fx.drop("user_traffic_good.csv", user_traffic_csv(5, 1));
  fx.drop("user_traffic_bad.csv", user_traffic_csv(30, 100) + "not-a-number,1,2024-01-01,c\n");
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "2"));
  INFO("service output:\n" << fx.output());
  CHECK(wait_until(
      [&] {
        const auto output = fx.output();
        return output.find("mystery.csv: waiting (archive_failed)") != std::string::npos &&
               occurrences(output, today_folder() + " is a symbolic link") >= 2;
      },
      30s));
  CHECK(fx.output().find(".failed is a symbolic link") != std::string::npos);
  CHECK(failed_victim.untouched());
  CHECK(processed_victim.untouched());
  CHECK(rejects_victim.untouched());
  // Nothing was lost: the files stay in imports/, the rejects were still written.
  CHECK(regular_files(fx.imports()) ==
        std::set<std::string>{"mystery.csv", "user_traffic_bad.csv", "user_traffic_good.csv"});
  CHECK(read_file_text(fx.exports() / "rejects" / "user_traffic_bad.csv.rejects.csv")
            .find("not-a-number") != std::string::npos);
  CHECK(fs::is_symlink(predicted));
  CHECK(service.terminate() == 0);
}

TEST_CASE(
    "outputs are 0640 in 0750 folders, another user reads none of them, reports never "
    "replace a file, and the embedded database wants its password") {
  if (geteuid() != 0) {
    return;  // Needs root to create the unprivileged user.
  }
  UnprivilegedService fx;
  const int pg_port = free_loopback_port();
  auto& service = fx.start({"embedded_pg_port=" + std::to_string(pg_port)});
  INFO("service output:\n" << fx.output());
  fx.drop("x.error.txt", "alpha,beta\n1,2\n");
  CHECK(wait_until([&] { return fs::exists(fx.imports() / ".failed" / "x.error.txt.error.txt"); },
                   30s));
  fx.drop("x", "alpha,beta\n3,4\n");
  fx.drop("user_traffic_bad.csv", user_traffic_csv(30, 100) + "not-a-number,1,2024-01-01,c\n");
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "1"));
  const auto failed = fx.imports() / ".failed";
  const auto rejects = fx.exports() / "rejects" / "user_traffic_bad.csv.rejects.csv";
  CHECK(
      wait_until([&] { return fs::exists(failed / "x.error-1.txt") && fs::exists(rejects); }, 30s));
  INFO("service output:\n" << fx.output());

  // Both quarantined files and both reports are kept.
  CHECK(regular_files(failed) ==
        std::set<std::string>{"x.error.txt", "x.error.txt.error.txt", "x", "x.error-1.txt"});
  CHECK(read_file_text(failed / "x.error.txt") == "alpha,beta\n1,2\n");
  CHECK(read_file_text(failed / "x.error-1.txt").find("file: x\n") != std::string::npos);

  CHECK(mode_of(failed) == 0750);
  CHECK(mode_of(failed / "x.error.txt.error.txt") == 0640);
  CHECK(mode_of(failed / "x.error-1.txt") == 0640);
  CHECK(mode_of(fx.imports() / ".processed") == 0750);
  CHECK(mode_of(fx.imports() / ".processed" / today_folder()) == 0750);
  CHECK(mode_of(fx.exports() / "rejects") == 0750);
  CHECK(mode_of(rejects) == 0640);
  CHECK(mode_of(fx.logs() / "dataprocessor.log") == 0640);
  for (const auto& secret : {rejects, failed / "x.error-1.txt", fx.logs() / "dataprocessor.log"}) {
    const auto command = "runuser -u nobody -- cat " + secret.string() + " > /dev/null 2>&1";
    CHECK_MESSAGE(std::system(command.c_str()) != 0, "nobody could read " << secret);
  }

  // The embedded cluster listens on TCP: without the password nobody logs in, not even as
  // the service's own role; with the password file it works.
  const std::string tcp = "host=127.0.0.1 port=" + std::to_string(pg_port) +
                          " user=" + fx.user().name + " dbname=postgres connect_timeout=5";
  CHECK_THROWS_WITH_AS(pqxx::connection{tcp + " passfile=/dev/null"}, doctest::Contains("password"),
                       pqxx::broken_connection);
  CHECK_THROWS_AS(pqxx::connection{tcp + " user=postgres passfile=/dev/null"},
                  pqxx::broken_connection);
  CHECK_NOTHROW(pqxx::connection{tcp + " passfile=" + (fx.root() / "var" / "pgpass").string()});
  CHECK(mode_of(fx.root() / "var" / "pgpass") == 0600);
  CHECK(service.terminate() == 0);
}
