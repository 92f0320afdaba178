// The type ladder: the narrowest type every value fits, decided by the loader's own parsers.
#include "core/infer/type_ladder.hpp"

#include <doctest/doctest.h>

#include <initializer_list>

namespace dp::infer {
namespace {

using table::ColumnType;

InferredType infer(std::initializer_list<const char*> values) {
  TypeLadder ladder;
  for (const char* value : values) {
    ladder.add(value);
  }
  return ladder.result();
}

}  // namespace

TEST_CASE("each rung of the ladder, narrowest first") {
  CHECK(infer({"true", "False", "yes"}).type == ColumnType::kBoolean);
  CHECK(infer({"1", "-20", " 30 "}).type == ColumnType::kInt32);
  CHECK(infer({"1", "3000000000"}).type == ColumnType::kInt64);
  CHECK(infer({"1", "99999999999999999999"}).type == ColumnType::kNumeric);
  CHECK(infer({"2020-01-31", "1999-12-01"}).type == ColumnType::kDate);
  CHECK(infer({"2020-01-31 10:00:00", "2020-02-01T11:30"}).type == ColumnType::kTimestamp);
  CHECK(infer({"2020-01-31 10:00:00Z", "2020-02-01 11:30:00"}).type == ColumnType::kTimestampTz);
  CHECK(infer({"2020-01-31 10:00:00+02:00"}).type == ColumnType::kTimestampTz);
  CHECK(infer({"1", "x"}).type == ColumnType::kText);
  CHECK(infer({"2020-01-31", "2020-01-31 10:00:00"}).type == ColumnType::kText);
}

TEST_CASE("numeric gets the precision and scale every value fits") {
  const auto money = infer({"2542.89", "-3.5", "120"});
  CHECK(money.type == ColumnType::kNumeric);
  CHECK(money.precision == 6);  // 4 integer digits + 2 decimals
  CHECK(money.scale == 2);
  const auto fraction = infer({"0.25", ".5"});
  CHECK(fraction.precision == 2);
  CHECK(fraction.scale == 2);
  CHECK(TypeLadder::fits(money, "9999.99"));
  CHECK_FALSE(TypeLadder::fits(money, "10000.5"));
  // The loader's parser takes no exponents, so neither does the ladder.
  CHECK(infer({"1e3"}).type == ColumnType::kText);
}

TEST_CASE("DuckDB's sniffer rules: 007 stays text, a column of 0 and 1 is a number") {
  CHECK(infer({"007", "12"}).type == ColumnType::kText);
  CHECK(infer({"08123"}).type == ColumnType::kText);
  CHECK(infer({"0", "0.5"}).type == ColumnType::kNumeric);
  CHECK(infer({"0", "1", "1"}).type == ColumnType::kInt32);
  CHECK(infer({"0", "1", "yes"}).type == ColumnType::kBoolean);
}

TEST_CASE("empty values fit every type but make the column optional") {
  const auto with_empty = infer({"1", "", "3"});
  CHECK(with_empty.type == ColumnType::kInt32);
  CHECK_FALSE(with_empty.required);
  CHECK(infer({"1", "2"}).required);
  CHECK_FALSE(infer({"a", "  "}).required);  // blank is missing for the kind loader
  const auto all_empty = infer({"", ""});
  CHECK(all_empty.type == ColumnType::kText);
  CHECK_FALSE(all_empty.required);
  CHECK(TypeLadder::fits(with_empty, ""));
}

}  // namespace dp::infer
