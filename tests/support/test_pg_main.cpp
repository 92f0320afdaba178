// Starts or stops the one throwaway PostgreSQL cluster a ctest run shares (ctest fixture "pg").
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "core/db/embedded_postgres.hpp"

namespace {

dp::db::EmbeddedPostgresOptions options_for(const std::filesystem::path& root) {
  dp::db::EmbeddedPostgresOptions options;
  options.root = root;
  options.fsync = false;
  options.system_user = "dp_pgtest";
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "start" && std::string(argv[1]) != "stop")) {
    std::cerr << "usage: dp_test_pg start|stop DIR\n";
    return 2;
  }
  const std::filesystem::path root = argv[2];
  try {
    if (std::string(argv[1]) == "start") {
      std::error_code ignored;
      std::filesystem::remove_all(root, ignored);
      dp::db::EmbeddedPostgres cluster(options_for(root));
      cluster.start();
      std::ofstream(root / "conninfo")
          << cluster.conninfo("postgres").substr(0, cluster.conninfo("postgres").rfind(" dbname="))
          << "\n";
      // Leave it running for the rest of the ctest run; the cleanup test stops it.
      std::cout << "test cluster running: " << cluster.psql_command() << "\n";
      cluster.release_for_test();
      return 0;
    }
    dp::db::EmbeddedPostgres cluster(options_for(root));
    cluster.start();  // finds the running server and adopts it
    cluster.adopt_for_test();
    cluster.stop_for_test();
    std::filesystem::remove(root / "conninfo");
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "dp_test_pg: " << error.what() << "\n";
    return 1;
  }
}
