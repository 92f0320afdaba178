// Job-title data: the 2019 export and fixtures for its quirks (unnamed trailing header columns,
// rows with fewer related values, titles kept as written).
#include <doctest/doctest.h>

#include "tests/pipelines/kind_test_support.hpp"

namespace dp::test {
namespace {

const char* const kSample = "job_titles/2019_free_title_data.csv";

TEST_CASE("2019_free_title_data.csv: 5,000 rows, none rejected, related values trimmed") {
  const auto converted = convert_file(sample_file(kSample), "title_data");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 5000);
  // The 18 empty header names continue the related list: no warning about them.
  CHECK(converted.warnings.empty());

  TestDatabase db;
  REQUIRE(load_into(db, kind("title_data"), converted) == 5000);
  CHECK(db.scalar("SELECT title || '|' || pdl_count || '|' || array_length(related, 1) || '|' || "
                  "related[1] || '|' || related[10] || '|' || related[19] "
                  "FROM staging.title_data WHERE line_no = 2") ==
        "owner|16780096|19|marketing strategy|president|general manager");
  // Nothing in any list keeps its leading space or is empty.
  CHECK(db.scalar("SELECT count(*) FROM staging.title_data, unnest(related) AS r "
                  "WHERE r <> btrim(r) OR r = ''") == "0");
  // Rows with fewer values (trailing empty fields) keep what they have, in order.
  CHECK(db.scalar("SELECT string_agg(title || ':' || coalesce(array_length(related, 1), 0), ',' "
                  "ORDER BY line_no) FROM staging.title_data "
                  "WHERE line_no IN (527, 1022, 2975)") == "end developer:14,york city:9,round:10");
  CHECK(db.scalar("SELECT related[1] || '/' || related[14] FROM staging.title_data "
                  "WHERE line_no = 527") == "bootstrap/consultant");
  // Non-ASCII titles come through byte for byte.
  CHECK(db.scalar("SELECT pdl_count FROM staging.title_data WHERE title = 'директор'") == "508636");
  CHECK(db.scalar("SELECT pdl_count FROM staging.title_data WHERE title = 'autónomo'") == "18140");
  // The 11 exact repeats of a title are separate rows.
  CHECK(db.scalar("SELECT count(*) - count(DISTINCT title) FROM staging.title_data") == "11");
}

TEST_CASE("title data: fewer related values, blank ones dropped, the title as written") {
  const auto converted = convert_file(fixture("title_data/fewer_values.csv"), "title_data");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  REQUIRE(converted.rows == 4);
  TestDatabase db;
  load_into(db, kind("title_data"), converted);
  CHECK(db.scalar("SELECT related::text FROM staging.title_data WHERE line_no = 2") ==
        "{sql,python,spark}");
  // A row with a title and a count only has an empty list (not NULL: it has no related titles).
  CHECK(db.scalar("SELECT related::text || '|' || pdl_count FROM staging.title_data "
                  "WHERE line_no = 3") == "{}|4000");
  CHECK(db.scalar("SELECT '[' || title || ']' FROM staging.title_data WHERE line_no = 4") ==
        "[ c.e.o. ]");
  CHECK(db.scalar("SELECT cardinality(related) FROM staging.title_data WHERE line_no = 5") == "0");
}

TEST_CASE("title data: rows that are really invalid are rejected with a reason") {
  const auto converted = convert_file(fixture("title_data/bad_rows.csv"), "title_data");
  CHECK(converted.rows == 1);  // `analyst,,sql`: an empty count is NULL, not an error
  REQUIRE(converted.rejects.size() == 5);
  CHECK(converted.rejects[0].line == 2);
  CHECK(converted.rejects[0].kind == csv::RowErrorKind::kTooManyColumns);
  CHECK(converted.rejects[0].message == "expected 2 to 21 columns, found 22");
  CHECK(converted.rejects[1].line == 3);
  CHECK(converted.rejects[1].kind == csv::RowErrorKind::kTooFewColumns);
  CHECK(converted.rejects[2].line == 4);
  CHECK(converted.rejects[2].kind == csv::RowErrorKind::kMissingValue);
  CHECK(converted.rejects[2].column == "title");
  CHECK(converted.rejects[3].line == 5);
  CHECK(converted.rejects[3].kind == csv::RowErrorKind::kMissingValue);
  CHECK(converted.rejects[4].line == 6);
  CHECK(converted.rejects[4].column == "pdl_count");
  CHECK(converted.rejects[4].value == "12k");
}

TEST_CASE("title data: the header decides where related values start, not its length") {
  SUBCASE("three names only, rows with all 19 values") {
    const auto converted = convert_file(fixture("title_data/short_header.csv"), "title_data");
    CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
    TestDatabase db;
    load_into(db, kind("title_data"), converted);
    CHECK(db.scalar("SELECT cardinality(related) || '|' || related[19] FROM staging.title_data") ==
          "19|r18");
  }
  SUBCASE("names in other case and with spaces; a named column after the list is read into it") {
    const auto converted = convert_file(fixture("title_data/renamed_header.csv"), "title_data");
    CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
    REQUIRE(converted.warnings.size() == 1);
    CHECK(converted.warnings[0].find("\"notes\" (position 6) is read into column related") !=
          std::string::npos);
    TestDatabase db;
    load_into(db, kind("title_data"), converted);
    CHECK(db.scalar("SELECT related::text FROM staging.title_data") == "{a,b,c,d}");
  }
  SUBCASE("a missing column fails the file, naming it") {
    csv::CsvReader reader(csv::open_input(fixture("title_data/missing_count_header.csv").string()));
    const auto header = reader.read_header();
    REQUIRE(header);
    CHECK_THROWS_WITH_AS(
        kind("title_data").make_converter({}, &*header, pipeline::ExtraColumns::kIgnore),
        "header lacks column \"pdl count\"", pipeline::FileRejected);
  }
  SUBCASE("with on_extra_columns = fail, a named extra column fails the file") {
    const std::vector<std::string> header = {"title", "pdl count", "top related titles", "", "x"};
    CHECK_THROWS_AS(kind("title_data").make_converter({}, &header, pipeline::ExtraColumns::kFail),
                    pipeline::FileRejected);
    const std::vector<std::string> sample_header = {"title", "pdl count", "top related titles", "",
                                                    ""};
    CHECK_NOTHROW(
        kind("title_data").make_converter({}, &sample_header, pipeline::ExtraColumns::kFail));
  }
}

}  // namespace
}  // namespace dp::test
