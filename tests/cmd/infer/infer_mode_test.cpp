// `dataprocessor --infer` end to end: the built binary drafts a kind for every sample file and
// every csv-spectrum file (tests/data/csv-spectrum), and each draft loads its file. The draft's
// columns become a table in a throwaway database and PostgreSQL's own CSV COPY, with the
// draft's delimiter, quote and header, loads the file into it: zero errors, and as many rows as
// the file has records; and the draft, put in kinds_dir, loads the file through the service's
// own kind loader with zero rejects. Files the loader cannot read are refused with a message.
#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/util/process.hpp"
#include "tests/cmd/ingest/ingest_fixture.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace fs = std::filesystem;
using dp::test::TempDir;
using dp::test::TestDatabase;

namespace {

/// What the binary printed for one file.
struct InferRun {
  int exit_code = -1;
  std::string output;
};

InferRun run_infer(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv{DP_BINARY_PATH, "--infer"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  const auto result = dp::util::run_process(argv);
  return {result.exit_code, result.output};
}

/// The file's bytes as the reader sees them: decompressed, without a UTF-8 BOM (the reader
/// drops it; COPY would keep it as part of the first value).
std::string decoded_bytes(const fs::path& file) {
  auto source = dp::csv::open_input(file.string());
  std::string bytes;
  char buffer[65536];
  for (std::size_t got; (got = source->read(buffer, sizeof buffer)) > 0;) {
    bytes.append(buffer, got);
  }
  if (bytes.rfind("\xef\xbb\xbf", 0) == 0) {
    bytes.erase(0, 3);
  }
  return bytes;
}

/// Records of the file read with the draft's dialect, the header included.
std::uint64_t record_count(const fs::path& file, char delimiter, char quote) {
  dp::csv::CsvReaderOptions options;
  options.delimiter = delimiter;
  options.quote = quote;
  dp::csv::CsvReader reader(dp::csv::open_input(file.string()), options);
  dp::csv::CsvRow row;
  dp::csv::RowError error;
  std::uint64_t records = 0;
  for (;;) {
    const auto status = reader.next(row, error);
    REQUIRE_MESSAGE(status != dp::csv::ReadStatus::kError, error.message);
    if (status == dp::csv::ReadStatus::kEnd) {
      return records;
    }
    ++records;
  }
}

std::string sql_literal(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    out += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return out + "'";
}

std::string identifier(const std::string& name) {
  return "\"" + name + "\"";
}

/// PostgreSQL's type for a drafted column.
std::string sql_type(const toml::table& column) {
  const auto type = column["type"].value_or(std::string());
  if (type == "numeric" && column.contains("precision")) {
    return "numeric(" + std::to_string(column["precision"].value_or(0)) + ", " +
           std::to_string(column["scale"].value_or(0)) + ")";
  }
  return type;
}

/// Creates the drafted table and COPYs the file into it; returns the rows loaded.
std::uint64_t load_draft(const TestDatabase& database, const toml::table& draft,
                         const fs::path& file) {
  const auto* columns = draft["columns"].as_array();
  REQUIRE(columns != nullptr);
  REQUIRE_FALSE(columns->empty());
  std::string create = "CREATE TABLE drafted (";
  std::string names;
  for (std::size_t i = 0; i < columns->size(); ++i) {
    const auto& column = *columns->get(i)->as_table();
    const auto name = identifier(column["name"].value_or(std::string()));
    create += (i == 0 ? "" : ", ") + name + " " + sql_type(column) +
              (column["required"].value_or(false) ? " NOT NULL" : "");
    names += (i == 0 ? "" : ", ") + name;
  }
  database.exec("DROP TABLE IF EXISTS drafted; " + create + ")");

  const auto delimiter = draft["dialect"]["delimiter"].value_or(std::string());
  const auto quote = draft["dialect"]["quote"].value_or(std::string());
  const bool header = draft["dialect"]["header"].value_or(false);
  // FORCE_NULL: a quoted empty field is NULL too, as in the loader (empty = NULL).
  const std::string copy = "COPY drafted (" + names + ") FROM STDIN (FORMAT csv, DELIMITER " +
                           sql_literal(delimiter) + ", QUOTE " + sql_literal(quote) + ", HEADER " +
                           (header ? "true" : "false") + ", FORCE_NULL (" + names + "))";
  dp::db::LibpqConnection connection(database.conninfo());
  PGconn* conn = connection.native_handle();
  PGresult* started = PQexec(conn, copy.c_str());
  REQUIRE_MESSAGE(PQresultStatus(started) == PGRES_COPY_IN, PQerrorMessage(conn));
  PQclear(started);
  const auto bytes = decoded_bytes(file);
  REQUIRE(PQputCopyData(conn, bytes.data(), static_cast<int>(bytes.size())) == 1);
  REQUIRE(PQputCopyEnd(conn, nullptr) == 1);
  PGresult* finished = PQgetResult(conn);
  const bool ok = PQresultStatus(finished) == PGRES_COMMAND_OK;
  const std::string message = PQresultErrorMessage(finished);
  const std::string loaded = ok ? PQcmdTuples(finished) : "0";
  PQclear(finished);
  while (PGresult* rest = PQgetResult(conn)) {
    PQclear(rest);
  }
  INFO("COPY error: " << message);
  REQUIRE(ok);
  return std::stoull(loaded);
}

/// --infer FILE, then the draft loads FILE with as many rows as it has data records.
void check_draft_loads(const TestDatabase& database, const fs::path& file) {
  CAPTURE(file.string());
  const auto run = run_infer({file.string()});
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  toml::table draft;
  REQUIRE_NOTHROW(draft = toml::parse(run.output));
  const auto delimiter = draft["dialect"]["delimiter"].value_or(std::string());
  const auto quote = draft["dialect"]["quote"].value_or(std::string());
  REQUIRE(delimiter.size() == 1);
  REQUIRE(quote.size() == 1);
  const bool header = draft["dialect"]["header"].value_or(false);
  const auto records = record_count(file, delimiter[0], quote[0]);
  REQUIRE(records >= (header ? 1u : 0u));
  CHECK(load_draft(database, draft, file) == records - (header ? 1 : 0));
}

std::vector<fs::path> csv_files(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".csv") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path spectrum_dir() {
  return fs::path(DP_TEST_DATA_DIR) / "csv-spectrum";
}

bool refused_file(const fs::path& file) {
  return file.filename() == "latin1.csv" || file.filename() == "newlines_cr.csv";
}

}  // namespace

TEST_CASE("every sample file: the drafted kind loads it with zero errors and every row") {
  TestDatabase database;
  const auto files = csv_files(DP_SAMPLES_DIR);
  REQUIRE(files.size() >= 15);
  for (const auto& file : files) {
    check_draft_loads(database, file);
  }
}

TEST_CASE("every csv-spectrum file: the drafted kind loads it with zero errors and every row") {
  TestDatabase database;
  const auto files = csv_files(spectrum_dir());
  REQUIRE(files.size() == 15);
  for (const auto& file : files) {
    if (!refused_file(file)) {
      check_draft_loads(database, file);
    }
  }
}

TEST_CASE("what the drafts say about the spectrum: header, types, required, names") {
  const auto parsed = [](const std::string& name) {
    const auto run = run_infer({(spectrum_dir() / name).string()});
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    return toml::parse(run.output);
  };
  const auto column = [](const toml::table& draft, std::size_t i, const char* key) {
    return draft["columns"][i][key].value_or(std::string());
  };
  const auto simple = parsed("simple_crlf.csv");
  CHECK(simple["dialect"]["header"].value_or(false));
  CHECK(column(simple, 0, "type") == "integer");
  CHECK(simple["columns"][0]["required"].value_or(false));
  // A zip code with a leading zero stays text; the quoted comma is not a delimiter.
  const auto quoted = parsed("comma_in_quotes.csv");
  CHECK(quoted["columns"].as_array()->size() == 5);
  CHECK(column(quoted, 4, "type") == "text");
  // Quoted empty values make a column optional; "NULL" is text, not a null.
  const auto empty = parsed("empty.csv");
  CHECK_FALSE(empty["columns"][1]["required"].value_or(true));
  CHECK(column(empty, 1, "type") == "integer");
  const auto nulls = parsed("null.csv");
  CHECK(column(nulls, 1, "type") == "text");
  const auto phones = parsed("location_coordinates.csv");
  CHECK(column(phones, 0, "name") == "contact_phone_number");
  CHECK(column(phones, 0, "from") == "Contact Phone Number");
  CHECK(column(phones, 0, "type") == "text");
  const auto text = parsed("newlines.csv");
  CHECK(column(text, 0, "type") == "text");
  CHECK(column(text, 1, "type") == "integer");
}

TEST_CASE("files the loader cannot read are refused with the reason, exit code 1") {
  const auto latin1 = run_infer({(spectrum_dir() / "latin1.csv").string()});
  CHECK(latin1.exit_code == 1);
  CHECK(latin1.output.find("not valid UTF-8 at byte 16 (line 3)") != std::string::npos);
  const auto cr = run_infer({(spectrum_dir() / "newlines_cr.csv").string()});
  CHECK(cr.exit_code == 1);
  CHECK(cr.output.find("bare CR") != std::string::npos);
  const auto missing = run_infer({"/nonexistent/feed.csv"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.output.find("/nonexistent/feed.csv") != std::string::npos);
  const auto bad_name = run_infer({(spectrum_dir() / "simple.csv").string(), "--name", "Bad"});
  CHECK(bad_name.exit_code == 2);
  CHECK(bad_name.output.find("not a valid kind name") != std::string::npos);
}

TEST_CASE("a gzip file drafts the same kind as its plain copy, and the draft loads it") {
  TempDir dir;
  const auto plain = dir.path() / "traffic_sources.csv";
  fs::copy_file(fs::path(DP_SAMPLES_DIR) / "course_traffic" / "traffic_sources.csv", plain);
  const auto gz = dir.path() / "traffic_sources.csv.gz";
  REQUIRE(dp::util::run_process(
              {"sh", "-c", "gzip -c '" + plain.string() + "' > '" + gz.string() + "'"})
              .exit_code == 0);
  const auto from_plain = run_infer({plain.string()});
  const auto from_gz = run_infer({gz.string()});
  REQUIRE(from_plain.exit_code == 0);
  REQUIRE(from_gz.exit_code == 0);
  const auto body = [](const std::string& text) { return text.substr(text.find("\nname = ")); };
  CHECK(body(from_gz.output) == body(from_plain.output));
  TestDatabase database;
  check_draft_loads(database, gz);
}

TEST_CASE("--name names the kind and --rows bounds the sample") {
  const auto file = fs::path(DP_SAMPLES_DIR) / "support_desk" / "cases.csv";
  const auto run = run_infer({file.string(), "--name", "case_feed", "--rows", "10"});
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const auto draft = toml::parse(run.output);
  CHECK(draft["name"].value_or(std::string()) == "case_feed");
  CHECK(draft["table"].value_or(std::string()) == "case_feed");
  CHECK(run.output.find("10 data records sampled from the start of the file") != std::string::npos);
}

TEST_CASE("every draft loads its file through the kind loader: zero rejects, every row") {
  // The drafts above are checked against PostgreSQL's own CSV COPY; this is the loader a user
  // gets: each draft, under a name of its own, is the only file in kinds_dir, and
  // `dataprocessor --ingest` loads its file with it.
  dp::test::OneShotFixture fixture;
  const fs::path kinds = fixture.root() / "kinds";
  auto files = csv_files(DP_SAMPLES_DIR);
  for (const auto& file : csv_files(spectrum_dir())) {
    if (!refused_file(file)) {
      files.push_back(file);
    }
  }
  REQUIRE(files.size() >= 28);
  for (std::size_t i = 0; i < files.size(); ++i) {
    CAPTURE(files[i].string());
    // Letters only: a digit in the name would become a `*` of the drafted pattern.
    const std::string name =
        std::string("draft_") + static_cast<char>('a' + i / 26) + static_cast<char>('a' + i % 26);
    const fs::path copy = fixture.root() / "data" / (name + ".csv");
    fs::copy_file(files[i], copy);
    const auto drafted = run_infer({copy.string(), "--name", name});
    INFO(drafted.output);
    REQUIRE(drafted.exit_code == 0);
    fs::remove_all(kinds);
    fs::create_directories(kinds);
    std::ofstream(kinds / (name + ".toml")) << drafted.output;

    const auto draft = toml::parse(drafted.output);
    const auto delimiter = draft["dialect"]["delimiter"].value_or(std::string(","));
    const auto quote = draft["dialect"]["quote"].value_or(std::string("\""));
    const bool header = draft["dialect"]["header"].value_or(false);
    const auto rows = record_count(copy, delimiter[0], quote[0]) - (header ? 1 : 0);

    const auto run =
        fixture.run({"--ingest", copy.string(), "--set", "kinds_dir=" + kinds.string()});
    INFO(dp::test::describe(run));
    CHECK(run.exit_code == 0);
    CHECK(fixture.scalar("SELECT status || ' ' || rows_loaded || ' ' || rows_rejected FROM "
                         "ingest.files WHERE pipeline = '" +
                         name + "'") == "loaded " + std::to_string(rows) + " 0");
  }
}
