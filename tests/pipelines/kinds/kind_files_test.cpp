// The kind-file vocabulary (docs/file-kinds.md): what each key means when a file is converted,
// and the precise message of each kind of invalid file.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "pipelines/kinds/declared_pipeline.hpp"
#include "pipelines/kinds/kind_file_parser.hpp"
#include "pipelines/register_all.hpp"
#include "tests/pipelines/kind_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::test {
namespace {

namespace fs = std::filesystem;

/// The message parse_kind raises for `text`, or "" when it parses.
std::string parse_error(const std::string& text, const std::string& source = "orders.toml") {
  try {
    pipelines::parse_kind(text, source);
  } catch (const pipelines::KindFileError& error) {
    return error.what();
  }
  return "";
}

/// The message read_kinds raises for a kinds_dir holding `files`, or "" when they load.
std::string folder_error(const std::vector<std::pair<std::string, std::string>>& files) {
  TempDir dir;
  for (const auto& [name, text] : files) {
    std::ofstream(dir.path() / name) << text;
  }
  try {
    pipelines::read_kinds(dir.path());
  } catch (const pipelines::KindFileError& error) {
    const std::string message = error.what();
    const std::string prefix = dir.path().string() + "/";
    return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
  }
  return "";
}

constexpr const char* kOrders = R"(name = "orders"
patterns = ["orders_*.csv"]
header_signature = ["order_id", "customer"]

[dialect]
delimiter = ";"

[[columns]]
name = "order_id"
type = "bigint"
required = true
from = "order_id"

[[columns]]
name = "customer"
type = "text"
from = "customer"
trim = true
null_if = ["NA", "-"]

[[columns]]
name = "status"
type = "text"
from = "status"
trim = true
default = "open"
allowed = ["open", "paid", "shipped"]

[[columns]]
name = "amount"
type = "numeric"
precision = 10
scale = 2
from = "amount"

[[columns]]
name = "placed_at"
type = "timestamptz"
required = true
from = "placed_epoch"
convert = "epoch_seconds"

[[columns]]
name = "placed_epoch"
type = "numeric"
from = "placed_epoch"

[[columns]]
name = "region"
type = "text"
from_file_name = "^orders_([a-z]+)_"

[[columns]]
name = "tags"
type = "text[]"
from = "tags"
collect = "remaining"
max_items = 3
)";

/// Converts `body` as a file called `name` of the orders kind and loads it into a database.
struct LoadedOrders {
  ConvertedFile converted;
  TestDatabase db;
};

void load_orders(LoadedOrders& out, const std::string& name, const std::string& body) {
  TempDir dir;
  const fs::path path = dir.path() / name;
  std::ofstream(path) << "order_id;customer;status;amount;placed_epoch;tags\n" << body;
  const pipelines::DeclaredPipeline kind(std::make_shared<const pipelines::KindDeclaration>(
      pipelines::parse_kind(kOrders, "orders.toml")));
  out.converted = convert_file(path, kind);
  load_into(out.db, kind, out.converted);
}

TEST_CASE("a kind file declares the staging table and each column's origin") {
  const auto kind = pipelines::parse_kind(kOrders, "orders.toml");
  CHECK(kind.name == "orders");
  CHECK(kind.model.table == "orders");
  CHECK(kind.dialect.delimiter == ';');
  CHECK(kind.dialect.has_header);
  REQUIRE(kind.model.columns.size() == 8);
  CHECK(kind.model.columns[0].type == table::ColumnType::kInt64);
  CHECK_FALSE(kind.model.columns[0].nullable);
  CHECK(kind.model.columns[3].numeric_precision == 10);
  CHECK(kind.model.columns[3].numeric_scale == 2);
  CHECK(kind.columns[6].origin == pipelines::ValueOrigin::kFileName);
  CHECK(kind.columns[7].origin == pipelines::ValueOrigin::kRemainingFields);
  CHECK(table::create_table_sql("staging", kind.model) ==
        "CREATE TABLE IF NOT EXISTS \"staging\".\"orders\" (\"file_id\" bigint NOT NULL, "
        "\"line_no\" bigint NOT NULL, \"order_id\" bigint NOT NULL, \"customer\" text, "
        "\"status\" text, \"amount\" numeric(10,2), \"placed_at\" timestamptz NOT NULL, "
        "\"placed_epoch\" numeric, \"region\" text, \"tags\" text[])");
}

TEST_CASE("trim, null_if, default, allowed, epoch seconds, a file-name capture and collect") {
  LoadedOrders loaded;
  load_orders(loaded, "orders_north_2024.csv",
              "1; Ann ; paid ;12.50;1700000000;a; b ;\n"
              "2;NA;;3;1700000000.5\n"
              "3;-;refunded;1;1700000000\n"
              "4;Bo;open;1;1700000000;a;b;c;d\n"
              "5;   ;open;1;\n");
  const auto& converted = loaded.converted;
  CHECK(converted.rows == 2);
  REQUIRE_MESSAGE(converted.rejects.size() == 3, converted.describe_rejects());
  CHECK(converted.rejects[0].line == 4);
  CHECK(converted.rejects[0].message ==
        "column status: \"refunded\" is not an allowed value (expected \"open\", \"paid\" or "
        "\"shipped\")");
  CHECK(converted.rejects[1].line == 5);
  CHECK(converted.rejects[1].message == "expected 5 to 8 columns, found 9");
  CHECK(converted.rejects[2].line == 6);
  CHECK(converted.rejects[2].message ==
        "column placed_at: a value is required but the field is empty");
  CHECK(loaded.db.scalar(
            "SET TimeZone TO 'UTC'; SELECT string_agg(concat_ws('|', order_id, "
            "coalesce(customer, 'NULL'), status, amount, placed_at, region, tags::text), ' / ' "
            "ORDER BY order_id) FROM staging.orders") ==
        "1|Ann|paid|12.50|2023-11-14 22:13:20+00|north|{a,b} / "
        "2|NULL|open|3.00|2023-11-14 22:13:20.5+00|north|{}");
}

TEST_CASE("a file name the capture does not match gives NULL") {
  LoadedOrders loaded;
  load_orders(loaded, "orders-2024.csv", "1;Ann;paid;1;1700000000\n");
  CHECK(loaded.converted.rows == 1);
  CHECK(loaded.db.scalar("SELECT coalesce(region, 'NULL') FROM staging.orders") == "NULL");
}

TEST_CASE("each kind of invalid kind file fails with file, line and key") {
  SUBCASE("unknown top-level key") {
    CHECK(parse_error("name = \"orders\"\npatterns = [\"o*.csv\"]\ncolour = \"red\"\n") ==
          "orders.toml:3: colour: unknown key (known here: columns, description, dialect, "
          "header_signature, name, patterns, table)");
  }
  SUBCASE("unknown key in a column") {
    CHECK(parse_error("name = \"orders\"\npatterns = [\"o*.csv\"]\n[[columns]]\nname = \"a\"\n"
                      "type = \"text\"\nfrom = \"a\"\nnullable = true\n")
              .starts_with("orders.toml:7: columns[1].nullable: unknown key (known here: "));
  }
  SUBCASE("unknown type") {
    CHECK(parse_error("name = \"orders\"\npatterns = [\"o*.csv\"]\n[[columns]]\nname = \"a\"\n"
                      "type = \"int5\"\nfrom = \"a\"\n") ==
          "orders.toml:5: columns[1].type: unknown type \"int5\" (known: text, integer, bigint, "
          "numeric, numeric(p,s), boolean, date, timestamp, timestamptz, text[])");
  }
  SUBCASE("a regular expression that does not compile") {
    CHECK(parse_error("name = \"orders\"\npatterns = [\"o*.csv\"]\n[[columns]]\nname = \"a\"\n"
                      "type = \"text\"\nfrom_file_name = \"^orders_([0-9]+\"\n")
              .starts_with("orders.toml:6: columns[1].from_file_name: the regular expression "
                           "\"^orders_([0-9]+\" does not compile: "));
  }
  SUBCASE("a default that does not convert to the column's type") {
    CHECK(parse_error("name = \"orders\"\npatterns = [\"o*.csv\"]\n[[columns]]\nname = \"a\"\n"
                      "type = \"integer\"\nfrom = \"a\"\ndefault = \"many\"\n")
              .starts_with("orders.toml:7: columns[1].default: column a: "));
  }
  SUBCASE("a headerless kind needs positions") {
    CHECK(parse_error("name = \"orders\"\npatterns = [\"o*.csv\"]\n[dialect]\nheader = false\n"
                      "[[columns]]\nname = \"a\"\ntype = \"text\"\nfrom = \"a\"\n") ==
          "orders.toml:8: columns[1].from: the kind's files have no header ([dialect] header = "
          "false): use position");
  }
  SUBCASE("a key of the wrong TOML type") {
    CHECK(parse_error("name = \"orders\"\npatterns = [\"o*.csv\"]\n[[columns]]\nname = \"a\"\n"
                      "type = \"text\"\nfrom = \"a\"\nrequired = \"yes\"\n") ==
          "orders.toml:7: columns[1].required: must be true or false");
  }
  SUBCASE("TOML syntax") {
    CHECK(parse_error("name = \"orders\npatterns = []\n").starts_with("orders.toml:1: "));
  }
}

constexpr const char* kTiny =
    "name = \"{}\"\npatterns = [\"{}\"]\n[[columns]]\nname = \"a\"\n"
    "type = \"text\"\nfrom = \"a\"\n";

std::string tiny(const std::string& name, const std::string& pattern) {
  std::string text = kTiny;
  text.replace(text.find("{}"), 2, name);
  text.replace(text.find("{}"), 2, pattern);
  return text;
}

TEST_CASE("two kinds with one pattern are refused, a built-in one or another user kind's") {
  CHECK(folder_error({{"orders.toml", tiny("orders", "orders_*.csv")}}).empty());
  CHECK(folder_error({{"mine.toml", tiny("mine", "user_traffic*.csv")}}) ==
        "mine.toml:2: patterns: \"user_traffic*.csv\" overlaps pattern \"user_traffic*.csv\" of "
        "kind user_traffic (built-in pipelines/course_traffic/user_traffic.toml): a file would "
        "match both kinds; make the patterns distinct");
  CHECK(folder_error({{"a.toml", tiny("orders", "orders_*.csv")},
                      {"b.toml", tiny("orders_eu", "ORDERS_eu*.csv")}})
            .starts_with("b.toml:2: patterns: \"ORDERS_eu*.csv\" overlaps pattern "
                         "\"orders_*.csv\" of kind orders ("));
  CHECK(folder_error({{"a.toml", tiny("user_traffic", "mine*.csv")}})
            .starts_with("a.toml:1: name: kind user_traffic is already declared by built-in "
                         "pipelines/course_traffic/user_traffic.toml"));
}

TEST_CASE("kinds_dir: its *.toml files load beside the built-in kinds, other files are not read") {
  TempDir dir;
  std::ofstream(dir.path() / "orders.toml") << tiny("orders", "orders_*.csv");
  std::ofstream(dir.path() / "README.md") << "not a kind";
  std::ofstream(dir.path() / ".draft.toml") << "not = \"read\"";
  const auto kinds = pipelines::read_kinds(dir.path());
  REQUIRE(kinds.size() == 12);
  CHECK(kinds.back()->name == "orders");
  CHECK(kinds.back()->source == (dir.path() / "orders.toml").string());
  CHECK(pipelines::read_kinds(dir.path() / "missing").size() == 11);
}

}  // namespace
}  // namespace dp::test
