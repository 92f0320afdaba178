#include "core/analysis/text_format.hpp"

#include <doctest/doctest.h>

using namespace dp::analysis;

TEST_CASE("html_escape neutralises every character that could open markup or end an attribute") {
  CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(html_escape("Autónomo 销售") == "Autónomo 销售");
  CHECK(html_escape("") == "");
}

TEST_CASE("format_number groups thousands and keeps the requested decimals") {
  CHECK(format_number(0, 0) == "0");
  CHECK(format_number(999, 0) == "999");
  CHECK(format_number(1000, 0) == "1,000");
  CHECK(format_number(1234567.891, 2) == "1,234,567.89");
  CHECK(format_number(-1234.5, 1) == "-1,234.5");
  CHECK(format_number(-0.001, 1) == "0.0");
  CHECK(format_number(16780096, 0) == "16,780,096");
}

TEST_CASE("format_compact keeps axis labels short") {
  CHECK(format_compact(0) == "0");
  CHECK(format_compact(950) == "950");
  CHECK(format_compact(2500) == "2,500");
  CHECK(format_compact(12000) == "12k");
  CHECK(format_compact(3500000) == "3.5M");
  CHECK(format_compact(1e9) == "1G");
  CHECK(format_compact(0.5) == "0.5");
  CHECK(format_compact(0.25) == "0.25");
  CHECK(format_compact(0.1) == "0.1");
}

TEST_CASE("parse_number reads PostgreSQL numbers and treats NULL and junk as missing") {
  CHECK(parse_number("42") == 42.0);
  CHECK(parse_number("-0.0492") == doctest::Approx(-0.0492));
  CHECK(parse_number("5779731.24") == doctest::Approx(5779731.24));
  CHECK_FALSE(parse_number("").has_value());
  CHECK_FALSE(parse_number("12abc").has_value());
  CHECK_FALSE(parse_number("NaN").has_value());
}

TEST_CASE("text widths grow with the text and wide scripts count double") {
  CHECK(text_width("", 12) == 0);
  CHECK(text_width("iiii", 12) < text_width("MMMM", 12));
  CHECK(text_width("销售", 12) > text_width("ab", 12));
  // A 10-character ISO date at 12px needs roughly 70-80px.
  CHECK(text_width("2024-01-31", 12) > 65);
  CHECK(text_width("2024-01-31", 12) < 85);
}

TEST_CASE("truncate_to_width cuts at a character boundary and marks the cut") {
  const std::string title = "customer service representative csr";
  CHECK(truncate_to_width(title, 12, 1000) == title);
  const auto cut = truncate_to_width(title, 12, 100);
  CHECK(cut.size() < title.size());
  CHECK(cut.substr(cut.size() - 3) == "\u2026");
  CHECK(text_width(cut, 12) <= 100);
  // Multi-byte letters are never split.
  const auto cyrillic = truncate_to_width("директор по развитию бизнеса", 12, 60);
  CHECK(cyrillic.substr(cyrillic.size() - 3) == "\u2026");
  const auto body = cyrillic.substr(0, cyrillic.size() - 3);
  CHECK(body.size() % 2 == 0);
}
