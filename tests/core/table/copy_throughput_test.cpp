// COPY throughput of the loader's path (CSV parsed in C++, converted, sent as binary COPY through
// CopySink) against `psql \copy ... csv` of the same rows into the same table, in one run.
// A measurement, not a check: skipped by default; run it with
//   dp_core_table_tests -tc="*throughput*" --no-skip   (DP_BENCH_ROWS overrides 1,000,000)
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/copy_sink.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/pipeline/model_converter.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/ddl.hpp"
#include "tests/support/test_database.hpp"

namespace {

using Clock = std::chrono::steady_clock;

dp::table::TableModel traffic_model() {
  using dp::table::ColumnType;
  return {
      .table = "user_traffic",
      .columns = {
          {.name = "user_id", .type = ColumnType::kInt64, .nullable = false, .source = "user_id"},
          {.name = "source_id",
           .type = ColumnType::kInt32,
           .nullable = false,
           .source = "source_id"},
          {.name = "referred_at",
           .type = ColumnType::kTimestampTz,
           .nullable = false,
           .source = "referred_at"},
          {.name = "campaign_code",
           .type = ColumnType::kText,
           .nullable = true,
           .source = "campaign_code"},
      }};
}

/// Writes the feed-shaped file and a copy with the lineage columns psql cannot derive.
void generate(const std::filesystem::path& feed, const std::filesystem::path& with_lineage,
              std::size_t rows) {
  std::ofstream out(feed);
  std::ofstream lineage(with_lineage);
  out << "user_id,source_id,referred_at,campaign_code\n";
  lineage << "file_id,line_no,user_id,source_id,referred_at,campaign_code\n";
  std::mt19937_64 random(7);
  char line[160];
  for (std::size_t i = 0; i < rows; ++i) {
    const auto day = static_cast<int>(random() % 28) + 1;
    const auto second = static_cast<int>(random() % 86400);
    const int length = std::snprintf(
        line, sizeof line, "%llu,%d,2024-07-%02dT%02d:%02d:%02dZ,%s\n",
        static_cast<unsigned long long>(100000 + random() % 900000),
        static_cast<int>(random() % 10) + 1, day, second / 3600, second / 60 % 60, second % 60,
        random() % 5 == 0 ? "" : ("campaign_" + std::to_string(random() % 50)).c_str());
    out.write(line, length);
    lineage << "1," << i + 2 << ',';
    lineage.write(line, length);
  }
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The loader's path: read, split (the generated file has no quotes), convert, encode, send.
std::uint64_t load_with_sink(const std::string& conninfo, const std::filesystem::path& feed) {
  dp::db::LibpqConnection connection(conninfo);
  const auto model = traffic_model();
  const std::vector<std::string> header{"user_id", "source_id", "referred_at", "campaign_code"};
  auto converter =
      dp::pipeline::make_model_converter(model, &header, dp::pipeline::ExtraColumns::kFail);
  dp::db::LibpqTransaction transaction(connection);
  dp::db::CopySink sink(connection);
  sink.begin(dp::table::copy_statement("staging", model));
  dp::table::CopyRowWriter writer;
  std::ifstream in(feed, std::ios::binary);
  std::string line;
  std::getline(in, line);
  std::vector<std::string_view> fields;
  std::uint64_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    fields.clear();
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos;
         start = comma + 1) {
      fields.push_back(std::string_view(line).substr(start, comma - start));
    }
    fields.push_back(std::string_view(line).substr(start));
    dp::csv::CsvRow row;
    row.fields = fields;
    row.line = line_no;
    row.raw = line;
    writer.begin_row(6);
    writer.put_int64(1);
    writer.put_int64(static_cast<std::int64_t>(line_no));
    if (converter->convert(row, writer)) {
      writer.abandon_row();
      continue;
    }
    writer.end_row();
    if (writer.complete_bytes().size() >= dp::db::CopySink::kMaxMessageBytes) {
      sink.write(writer.complete_bytes());
      writer.consume_complete();
    }
  }
  sink.write(writer.complete_bytes());
  writer.consume_complete();
  const std::uint64_t copied = sink.finish();
  transaction.commit();
  return copied;
}

}  // namespace

TEST_CASE("COPY throughput: CopySink binary vs psql \\copy csv" * doctest::skip()) {
  const char* rows_env = std::getenv("DP_BENCH_ROWS");
  const std::size_t rows = rows_env != nullptr ? std::stoul(rows_env) : 1'000'000;
  dp::test::TestDatabase database;
  const auto folder = std::filesystem::temp_directory_path() / ("dp-copy-bench-" + database.name());
  std::filesystem::create_directories(folder);
  const auto feed = folder / "user_traffic.csv";
  const auto with_lineage = folder / "user_traffic_lineage.csv";
  generate(feed, with_lineage, rows);
  dp::db::LibpqConnection connection(database.conninfo());
  connection.exec("CREATE SCHEMA staging");
  connection.exec(dp::table::create_table_sql("staging", traffic_model()));

  const std::string psql = "psql \"" + database.conninfo() +
                           "\" -X -q -v ON_ERROR_STOP=1 -c \"\\copy staging.user_traffic FROM '" +
                           with_lineage.string() + "' WITH (FORMAT csv, HEADER true)\"";
  for (int round = 1; round <= 3; ++round) {
    connection.exec("TRUNCATE staging.user_traffic; CHECKPOINT");
    auto start = Clock::now();
    REQUIRE(std::system(psql.c_str()) == 0);
    const double psql_seconds = seconds_since(start);
    CHECK(connection.exec("SELECT count(*) FROM staging.user_traffic").get(0, 0) ==
          std::to_string(rows));

    connection.exec("TRUNCATE staging.user_traffic; CHECKPOINT");
    start = Clock::now();
    CHECK(load_with_sink(database.conninfo(), feed) == rows);
    const double sink_seconds = seconds_since(start);

    MESSAGE("round " << round << ": " << rows << " rows; psql \\copy csv " << psql_seconds << " s ("
                     << static_cast<long>(rows / psql_seconds) << " rows/s); CopySink "
                     << sink_seconds << " s (" << static_cast<long>(rows / sink_seconds)
                     << " rows/s); ratio " << psql_seconds / sink_seconds);
  }
  std::filesystem::remove_all(folder);
}
