// Drafting a kind from bytes and rendering it: only the kind contract's keys, valid TOML (read
// back with toml++, the parser the kind loader uses), and errors that say what to do.
#include "core/infer/kind_draft.hpp"

#include <doctest/doctest.h>

#include <toml++/toml.h>
#include <set>

namespace dp::infer {
namespace {

KindDraft draft(const std::string& bytes, std::uint64_t rows = 1000) {
  InferOptions options;
  options.rows = rows;
  return draft_kind_from_bytes("orders_2024.csv", bytes, false, options);
}

/// Every key of the rendered draft, as `table.key` paths (`columns.type` for the array).
std::set<std::string> keys_of(const toml::table& document) {
  std::set<std::string> keys;
  for (const auto& [key, node] : document) {
    const std::string name(key.str());
    if (const auto* table = node.as_table()) {
      for (const auto& [inner, value] : *table) {
        keys.insert(name + "." + std::string(inner.str()));
      }
    } else if (const auto* array = node.as_array(); array != nullptr && name == "columns") {
      for (const auto& element : *array) {
        for (const auto& [inner, value] : *element.as_table()) {
          keys.insert(name + "." + std::string(inner.str()));
        }
      }
    } else {
      keys.insert(name);
    }
  }
  return keys;
}

}  // namespace

TEST_CASE("a semicolon file with a header drafts the contract's keys, and nothing else") {
  const auto kind = draft(
      "Order ID;Customer;Amount;Paid;Ordered At\n"
      "1;\"Smith; J.\";12.50;true;2024-01-02 10:00:00+01:00\n"
      "2;Doe;7;false;2024-01-03 11:00:00Z\n"
      "3;;100.25;;2024-01-04 12:00:00Z\n");
  CHECK(kind.name == "orders_2024");
  CHECK(kind.header);
  CHECK(kind.dialect.delimiter == ';');
  CHECK(kind.sampled_rows == 3);
  CHECK(kind.whole_file);
  const auto text = render_kind_toml(kind);
  INFO(text);
  const toml::table document = toml::parse(text);
  const std::set<std::string> allowed = {"name",
                                         "table",
                                         "patterns",
                                         "header_signature",
                                         "dialect.delimiter",
                                         "dialect.quote",
                                         "dialect.header",
                                         "dialect.encoding",
                                         "columns.name",
                                         "columns.type",
                                         "columns.required",
                                         "columns.from",
                                         "columns.position",
                                         "columns.precision",
                                         "columns.scale"};
  for (const auto& key : keys_of(document)) {
    CAPTURE(key);
    CHECK(allowed.contains(key));
  }
  CHECK(document["name"].value_or(std::string()) == "orders_2024");
  CHECK(document["table"].value_or(std::string()) == "orders_2024");
  CHECK(document["patterns"][0].value_or(std::string()) == "orders_*.csv");
  CHECK(document["header_signature"][1].value_or(std::string()) == "Customer");
  CHECK(document["dialect"]["delimiter"].value_or(std::string()) == ";");
  CHECK(document["dialect"]["quote"].value_or(std::string()) == "\"");
  CHECK(document["dialect"]["header"].value_or(false));
  CHECK(document["dialect"]["encoding"].value_or(std::string()) == "utf-8");
  const auto* columns = document["columns"].as_array();
  REQUIRE(columns != nullptr);
  REQUIRE(columns->size() == 5);
  const auto column = [&](std::size_t i) {
    return toml::node_view<const toml::node>(*columns->get(i));
  };
  CHECK(column(0)["name"].value_or(std::string()) == "order_id");
  CHECK(column(0)["type"].value_or(std::string()) == "integer");
  CHECK(column(0)["required"].value_or(false));
  CHECK(column(0)["from"].value_or(std::string()) == "Order ID");
  CHECK(column(1)["type"].value_or(std::string()) == "text");
  CHECK_FALSE(column(1)["required"].value_or(true));
  CHECK(column(2)["type"].value_or(std::string()) == "numeric");
  CHECK(column(2)["precision"].value_or(0) == 5);
  CHECK(column(2)["scale"].value_or(0) == 2);
  CHECK(column(3)["type"].value_or(std::string()) == "boolean");
  CHECK(column(4)["type"].value_or(std::string()) == "timestamptz");
}

TEST_CASE("a file without a header drafts positions, and samples only --rows records") {
  const auto kind = draft("1,2020-01-01\n2,2020-01-02\n3,2020-01-03\n", 2);
  CHECK_FALSE(kind.header);
  CHECK(kind.sampled_rows == 2);
  CHECK_FALSE(kind.whole_file);
  REQUIRE(kind.columns.size() == 2);
  CHECK(kind.columns[1].model.type == table::ColumnType::kDate);
  const auto text = render_kind_toml(kind);
  const toml::table document = toml::parse(text);
  CHECK(document["columns"][1]["position"].value_or(0) == 2);
  CHECK_FALSE(document["columns"][1]["from"]);
  CHECK_FALSE(document["header_signature"]);
}

TEST_CASE("the draft says how the sample was read: line ending, odd records") {
  const auto kind = draft("a,b\r\n1,2\r\n3\r\n4,5\r\n");
  CHECK(kind.odd_records == 1);
  const auto text = render_kind_toml(kind);
  CHECK(text.find("# Line ending: CRLF") != std::string::npos);
  CHECK(text.find("1 sampled records do not have 2 fields") != std::string::npos);
}

TEST_CASE("names with quotes, backslashes and tabs stay valid TOML") {
  const auto kind = draft("\"say \"\"hi\"\"\",back\\slash\nx,y\n");
  const toml::table document = toml::parse(render_kind_toml(kind));
  CHECK(document["columns"][0]["from"].value_or(std::string()) == "say \"hi\"");
  CHECK(document["columns"][1]["from"].value_or(std::string()) == "back\\slash");
}

TEST_CASE("no draft: an empty file, invalid UTF-8, bare CR line endings, a bad kind name") {
  CHECK_THROWS_WITH_AS(draft(""), doctest::Contains("no records"), InferError);
  CHECK_THROWS_WITH_AS(draft("a,b\n1,\xff\n"),
                       doctest::Contains("not valid UTF-8 at byte 6 (line 2)"), InferError);
  CHECK_THROWS_WITH_AS(draft("a,b\r1,2\r"), doctest::Contains("bare CR"), InferError);
  InferOptions options;
  options.name = "Orders";
  CHECK_THROWS_WITH_AS(draft_kind_from_bytes("x.csv", "a\n1\n", false, options),
                       doctest::Contains("not valid"), InferError);
  CHECK(is_valid_kind_name("orders_2"));
  CHECK_FALSE(is_valid_kind_name("2orders"));
}

}  // namespace dp::infer
