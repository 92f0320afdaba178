// Header detection (DuckDB's documented rule) and the snake_case names of the drafted columns.
#include <doctest/doctest.h>

#include "core/infer/column_names.hpp"
#include "core/infer/header_detector.hpp"

namespace dp::infer {
namespace {

InferredType typed(table::ColumnType type) {
  InferredType out;
  out.type = type;
  return out;
}

}  // namespace

TEST_CASE("a first record that does not fit the body's types is a header") {
  const std::vector<InferredType> body = {typed(table::ColumnType::kInt32),
                                          typed(table::ColumnType::kText)};
  CHECK(looks_like_header({"id", "name"}, body, true));
  CHECK_FALSE(looks_like_header({"1", "bob"}, body, true));
}

TEST_CASE("over an all-text body, unique untyped names are a header") {
  const std::vector<InferredType> body(2, typed(table::ColumnType::kText));
  CHECK(looks_like_header({"first", "last"}, body, true));
  CHECK_FALSE(looks_like_header({"name", "Name"}, body, true));  // not unique
  CHECK_FALSE(looks_like_header({"x", ""}, body, true));         // an empty name
  CHECK_FALSE(looks_like_header({"x", "12"}, body, true));       // a typed value
  CHECK(looks_like_header({"a", "b"}, {}, false));               // a lone record
}

TEST_CASE("column names are snake_case, unique and clear of the lineage columns") {
  CHECK(snake_case("Order ID") == "order_id");
  CHECK(snake_case("PrioritySLA") == "priority_sla");
  CHECK(snake_case("SLAHours") == "sla_hours");
  CHECK(snake_case("pdl count") == "pdl_count");
  CHECK(snake_case("  --x--  ") == "x");
  CHECK(snake_case("2019 revenue") == "column_2019_revenue");
  CHECK(snake_case("\xc3\xa9t\xc3\xa9") == "t");
  const auto names = column_names({"Name", "name", "", "file_id", "Line No"});
  CHECK(names == std::vector<std::string>{"name", "name_2", "column_3", "file_id_2", "line_no_2"});
  CHECK(column_names(std::vector<std::string>(2)) ==
        std::vector<std::string>{"column_1", "column_2"});
}

TEST_CASE("kind names and file patterns come from the file name") {
  CHECK(kind_name_from_file("Orders_2024-01.csv.gz") == "orders_2024_01");
  CHECK(kind_name_from_file("2019_free_title_data.csv") == "kind_2019_free_title_data");
  CHECK(kind_name_from_file("PrioritySLA.csv") == "priority_sla");
  CHECK(file_pattern("Orders_2024-01.csv.gz") == "orders_*-*.csv");
  CHECK(file_pattern("analysts_2012.csv") == "analysts_*.csv");
}

}  // namespace dp::infer
