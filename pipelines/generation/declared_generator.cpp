#include "pipelines/generation/declared_generator.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

#include "core/pipeline/model_converter.hpp"
#include "core/table/copy_row_writer.hpp"
#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/spoilers.hpp"

namespace dp::pipelines::gen {
namespace {

using table::ColumnType;

constexpr std::array<Spoiler, 2> kFieldCountSpoilers = {
    Spoiler{"", "one field too few", drop_last_field},
    Spoiler{"", "one field too many", add_extra_field},
};

/// A pronounceable lowercase word of 3 to 10 letters.
std::string word(Random& random) {
  static constexpr std::string_view kConsonants = "bcdfghjklmnprstvz";
  static constexpr std::string_view kVowels = "aeiou";
  const auto length = random.between(3, 10);
  std::string text;
  for (std::int64_t i = 0; i < length; ++i) {
    text += i % 2 == 0 ? kConsonants[random.below(kConsonants.size())]
                       : kVowels[random.below(kVowels.size())];
  }
  return text;
}

std::string two_digits(std::int64_t value) {
  return fmt::format("{:02}", value);
}

/// A calendar day between 2000 and 2030 as YYYY-MM-DD, and its parts.
std::string random_date(Random& random) {
  const auto days = random.between(days_from_civil(2000, 1, 1), days_from_civil(2030, 12, 31));
  const CivilDate date = civil_from_days(days);
  return fmt::format("{:04}-{}-{}", date.year, two_digits(date.month), two_digits(date.day));
}

std::string random_clock(Random& random) {
  return two_digits(random.between(0, 23)) + ":" + two_digits(random.between(0, 59)) + ":" +
         two_digits(random.between(0, 59));
}

/// A decimal that fits numeric(precision, scale) (unconstrained: up to 6.2 digits).
std::string random_decimal(Random& random, int precision, int scale) {
  const int integer_digits = precision > 0 ? std::min(precision - scale, 9) : 6;
  const int fraction_digits = precision > 0 ? std::min(scale, 6) : 2;
  std::int64_t limit = 1;
  for (int i = 0; i < integer_digits; ++i) {
    limit *= 10;
  }
  std::string text = std::to_string(random.below(static_cast<std::uint64_t>(limit)));
  if (fraction_digits > 0) {
    std::string fraction;
    for (int i = 0; i < fraction_digits; ++i) {
      fraction += static_cast<char>('0' + random.below(10));
    }
    text += "." + fraction;
  }
  return text;
}

/// One value of `column` as a file would write it (never empty).
std::string random_value(const DeclaredColumn& column, Random& random) {
  if (!column.allowed.empty()) {
    return random.pick(column.allowed);
  }
  if (column.conversion == ValueConversion::kEpochSeconds) {
    return std::to_string(random.between(946684800, 1924991999));  // 2000..2030
  }
  switch (column.model.type) {
    case ColumnType::kText:
    case ColumnType::kTextArray:
      return word(random);
    case ColumnType::kInt32:
      return std::to_string(random.between(0, 1'000'000));
    case ColumnType::kInt64:
      // Within the epoch seconds of 2000..2030, so that a second column converting the same
      // field from epoch seconds accepts it too.
      return std::to_string(random.between(946684800, 1924991999));
    case ColumnType::kNumeric:
      return random_decimal(random, column.model.numeric_precision, column.model.numeric_scale);
    case ColumnType::kBoolean:
      return random.chance(0.5) ? "true" : "false";
    case ColumnType::kDate:
      return random_date(random);
    case ColumnType::kTimestamp:
      return random_date(random) + " " + random_clock(random);
    case ColumnType::kTimestampTz:
      return random_date(random) + "T" + random_clock(random) + "Z";
  }
  return word(random);
}

/// Whether `text` converts to the column's type (a file-name capture must).
bool converts(const DeclaredColumn& column, const std::string& text) {
  table::CopyRowWriter scratch;
  scratch.begin_row(1);
  return !pipeline::write_value(column.model, text, scratch).has_value();
}

/// The first pattern with each `*` replaced by `filler` (the first `*` of a pattern that starts
/// with one by nothing) and each `?` by `1`.
std::string name_from_pattern(const std::string& pattern, const std::string& filler) {
  std::string name;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '*') {
      name += i == 0 ? "" : filler;
    } else if (pattern[i] == '?') {
      name += '1';
    } else {
      name += pattern[i];
    }
  }
  return name;
}

bool name_fits(const KindDeclaration& kind, const std::string& name) {
  for (const DeclaredColumn& column : kind.columns) {
    if (column.origin != ValueOrigin::kFileName) {
      continue;
    }
    std::smatch match;
    if (!std::regex_search(name, match, *column.file_name_pattern) ||
        !match[column.capture].matched || !converts(column, match[column.capture].str())) {
      return false;
    }
  }
  return true;
}

/// Where each column's field sits in a generated row, and the header.
struct RowLayout {
  std::vector<std::string> header;
  std::size_t fields = 0;
  /// Field of each column (or nullopt for file-name captures); collect columns start there.
  std::vector<std::optional<std::size_t>> field_of;
};

RowLayout layout_of(const KindDeclaration& kind) {
  RowLayout layout;
  for (const DeclaredColumn& column : kind.columns) {
    std::optional<std::size_t> field;
    if (column.origin == ValueOrigin::kFileName) {
      // no field
    } else if (column.position > 0) {
      field = static_cast<std::size_t>(column.position - 1);
    } else {
      const auto known = std::find(layout.header.begin(), layout.header.end(), column.model.source);
      if (known != layout.header.end()) {
        field = static_cast<std::size_t>(known - layout.header.begin());
      } else {
        field = layout.header.size();
        layout.header.push_back(column.model.source);
      }
    }
    if (field) {
      layout.fields = std::max(layout.fields, *field + 1);
    }
    layout.field_of.push_back(field);
  }
  if (kind.dialect.has_header) {
    layout.header.resize(std::max(layout.header.size(), layout.fields));
  }
  return layout;
}

}  // namespace

std::string declared_file_name(const KindDeclaration& kind) {
  const std::string& pattern = kind.patterns.front();
  std::vector<std::string> fillers = {"1"};
  Random random(file_seed(1, kind.name));
  for (const DeclaredColumn& column : kind.columns) {
    if (column.origin != ValueOrigin::kFileName) {
      continue;
    }
    // A random value of the column's type, then the shapes names usually carry (a year, a
    // number, a word, a day), each alone or between separators.
    for (const std::string& value :
         {random_value(column, random), std::string("2024"), std::string("1"), std::string("a"),
          std::string("2024-01-31")}) {
      for (const std::string& filler :
           {value, value + "_1", "_" + value, "_" + value + "_1", "-" + value, value + "-1"}) {
        fillers.push_back(filler);
      }
    }
  }
  for (const std::string& filler : fillers) {
    std::string name = name_from_pattern(pattern, filler);
    if (name_fits(kind, name)) {
      return name;
    }
  }
  throw std::invalid_argument("cannot make a file name for kind " + kind.name +
                              " that matches both its pattern \"" + pattern +
                              "\" and its from_file_name expressions; generate into a folder "
                              "and rename the file");
}

GeneratedFile generate_declared(const GeneratorContext& context, const KindDeclaration& kind,
                                std::uint64_t rows, std::uint64_t bad_rows) {
  const bool collects = std::any_of(
      kind.columns.begin(), kind.columns.end(),
      [](const DeclaredColumn& c) { return c.origin == ValueOrigin::kRemainingFields; });
  if (bad_rows > 0 && collects) {
    throw std::invalid_argument("--bad-rows is not available for kind " + kind.name +
                                ": its rows may have any number of fields (collect)");
  }
  const std::string name = declared_file_name(kind);
  const RowLayout layout = layout_of(kind);
  CsvFileStyle style;
  style.delimiter = kind.dialect.delimiter;
  style.quote = kind.dialect.quote;
  GeneratedCsvFile file(context, name, style, rows,
                        BadRowPlan(mix(context.seed, 0xBAD), rows, bad_rows), kFieldCountSpoilers);
  if (kind.dialect.has_header) {
    std::vector<std::string_view> names(layout.header.begin(), layout.header.end());
    file.write_header(names);
  }
  Random random(file_seed(context.seed, name));
  std::vector<std::string> fields;
  std::vector<bool> filled;
  for (std::uint64_t row = 0; row < rows; ++row) {
    fields.assign(layout.fields, "");
    filled.assign(layout.fields, false);
    for (std::size_t i = 0; i < kind.columns.size(); ++i) {
      const DeclaredColumn& column = kind.columns[i];
      const auto field = layout.field_of[i];
      if (!field || filled[*field]) {
        continue;  // a file-name capture, or a field another column already filled
      }
      filled[*field] = true;
      if (column.origin == ValueOrigin::kRemainingFields) {
        const std::size_t limit = column.max_items > 0 ? column.max_items : 3;
        const auto count = random.below(std::min<std::size_t>(limit, 3) + 1);
        for (std::uint64_t item = 0; item < count; ++item) {
          if (*field + item >= fields.size()) {
            fields.resize(*field + item + 1);
          }
          fields[*field + item] = word(random);
        }
        continue;
      }
      if (column.model.nullable && random.chance(0.05)) {
        continue;  // an empty optional value: NULL
      }
      std::string value = random_value(column, random);
      while (std::find(column.null_if.begin(), column.null_if.end(), value) !=
             column.null_if.end()) {
        value = random_value(column, random);
      }
      fields[*field] = std::move(value);
    }
    file.write_row(fields);
  }
  return file.commit();
}

}  // namespace dp::pipelines::gen
