#include "core/analysis/chart_axis.hpp"

#include <doctest/doctest.h>

using namespace dp::analysis;

TEST_CASE("day numbers round-trip through calendar dates across centuries and leap days") {
  CHECK(days_from_civil({1970, 1, 1}) == 0);
  CHECK(days_from_civil({2000, 3, 1}) - days_from_civil({2000, 2, 28}) == 2);  // leap year
  CHECK(days_from_civil({1900, 3, 1}) - days_from_civil({1900, 2, 28}) == 1);  // not leap
  CHECK(days_from_civil({2021, 1, 1}) - days_from_civil({2020, 12, 31}) == 1);
  for (std::int64_t day = -800000; day <= 800000; day += 997) {
    CHECK(days_from_civil(civil_from_days(day)) == day);
  }
}

TEST_CASE("ISO dates parse strictly and print back unchanged") {
  CHECK(parse_iso_date("2020-12-31") == days_from_civil({2020, 12, 31}));
  CHECK(parse_iso_date("2024-02-29 00:00:00") == days_from_civil({2024, 2, 29}));
  CHECK_FALSE(parse_iso_date("2023-02-29").has_value());
  CHECK_FALSE(parse_iso_date("2023-13-01").has_value());
  CHECK_FALSE(parse_iso_date("20231301").has_value());
  CHECK_FALSE(parse_iso_date("").has_value());
  CHECK(format_iso_date(days_from_civil({2021, 1, 4})) == "2021-01-04");
}

TEST_CASE("a linear axis covers the data with 1-2-5 steps") {
  const auto axis = linear_axis(0, 937, 5, false);
  CHECK(axis.min == 0);
  CHECK(axis.max >= 937);
  REQUIRE(axis.ticks.size() >= 3);
  CHECK(axis.ticks.size() <= 7);
  const double step = axis.ticks[1].value - axis.ticks[0].value;
  CHECK((step == 200 || step == 500 || step == 100));
  CHECK(axis.ticks.back().value == axis.max);

  SUBCASE("counts get whole steps even when small") {
    const auto counts = linear_axis(0, 3, 8, true);
    CHECK(counts.ticks[1].value - counts.ticks[0].value == 1);
    CHECK(counts.max == 3);
  }
  SUBCASE("an all-zero series still gets a usable axis") {
    const auto zero = linear_axis(0, 0, 5, true);
    CHECK(zero.max > zero.min);
  }
  SUBCASE("labels are compact") {
    const auto big = linear_axis(0, 16780096, 5, false);
    CHECK(big.ticks.back().label.back() == 'M');
  }
}

TEST_CASE("a log axis spans whole powers of ten around the data") {
  const auto axis = log_axis(0.87, 24);
  CHECK(axis.min == doctest::Approx(0.1));
  CHECK(axis.max == doctest::Approx(100));
  REQUIRE(axis.ticks.size() == 4);
  CHECK(axis.ticks[0].label == "0.1");
  CHECK(axis.ticks[3].label == "100");
  const auto funnel = log_axis(10, 542512726);
  CHECK(funnel.min == 10);
  CHECK(funnel.max == doctest::Approx(1e9));
  CHECK(funnel.ticks.back().label == "1G");
}

TEST_CASE("date ticks pick the finest spacing that fits") {
  const auto first = days_from_civil({2023, 9, 16});
  SUBCASE("ten days: every day") {
    const auto ticks = date_ticks(first, first + 9, 12);
    CHECK(ticks.size() == 10);
    CHECK(ticks.front().label == "2023-09-16");
  }
  SUBCASE("two months: Mondays") {
    const auto ticks = date_ticks(first, first + 60, 10);
    REQUIRE(!ticks.empty());
    CHECK(ticks.size() <= 10);
    CHECK(ticks.front().label == "2023-09-18");  // the first Monday
  }
  SUBCASE("two years: months, labelled YYYY-MM, on the 1st") {
    const auto ticks =
        date_ticks(days_from_civil({2023, 6, 1}), days_from_civil({2025, 6, 30}), 12);
    REQUIRE(!ticks.empty());
    CHECK(ticks.size() <= 12);
    for (const auto& tick : ticks) {
      CHECK(tick.label.size() == 7);
      CHECK(civil_from_days(static_cast<std::int64_t>(tick.value)).day == 1);
    }
  }
  SUBCASE("decades: years") {
    const auto ticks = date_ticks(days_from_civil({1990, 5, 1}), days_from_civil({2024, 1, 1}), 10);
    REQUIRE(!ticks.empty());
    CHECK(ticks.size() <= 10);
    CHECK(ticks.front().label.size() == 4);
  }
  SUBCASE("every tick lies inside the range") {
    const auto last = first + 1000;
    for (const auto& tick : date_ticks(first, last, 9)) {
      CHECK(tick.value >= static_cast<double>(first));
      CHECK(tick.value <= static_cast<double>(last));
    }
  }
}
