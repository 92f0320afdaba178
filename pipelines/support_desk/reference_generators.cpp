#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/spoilers.hpp"
#include "pipelines/support_desk/support_desk_generator.hpp"

namespace dp::pipelines {
namespace {

const std::array<gen::Spoiler, 3> kProductSpoilers = {{
    {"pid", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[0].clear(); }},
    {"", "one field too many", gen::add_extra_field},
    {"", "one field short", gen::drop_last_field},
}};

const std::array<gen::Spoiler, 4> kCalendarSpoilers = {{
    {"date_key", "not an integer",
     [](std::vector<std::string>& f, gen::Random&) { f[0].back() = 'A'; }},
    {"date", "February 30th",
     [](std::vector<std::string>& f, gen::Random&) { f[1].replace(5, 5, "02-30"); }},
    {"iso_weekday", "a day name instead of a number",
     [](std::vector<std::string>& f, gen::Random&) { f[10] = f[12]; }},
    {"", "one field short", gen::drop_last_field},
}};

const std::array<gen::Spoiler, 3> kSlaSpoilers = {{
    {"id", "not an integer",
     [](std::vector<std::string>& f, gen::Random&) { f[0].insert(0, "P"); }},
    {"assign_sla_hours", "not a number",
     [](std::vector<std::string>& f, gen::Random&) { f[2] = "fast"; }},
    {"", "one field short", gen::drop_last_field},
}};

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDayNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

/// The calendar row of `days` (days since 1970) in the sample's 14 columns.
void calendar_fields(std::int64_t days, std::vector<std::string>& fields) {
  fields.resize(14);
  for (std::string& field : fields) {
    field.clear();
  }
  const gen::CivilDate date = gen::civil_from_days(days);
  const unsigned weekday = gen::weekday_from_days(days);  // 0 = Sunday
  const auto day_of_year = static_cast<unsigned>(days - gen::days_from_civil(date.year, 1, 1));
  gen::append_padded(fields[0], static_cast<std::uint64_t>(date.year), 4);
  gen::append_padded(fields[0], date.month, 2);
  gen::append_padded(fields[0], date.day, 2);
  gen::append_date(fields[1], days);
  gen::append_uint(fields[2], date.day);
  gen::append_padded(fields[3], date.day, 2);
  gen::append_uint(fields[4], date.month);
  gen::append_padded(fields[5], date.month, 2);
  fields[6] = kMonthNames[date.month - 1];
  fields[7] = kMonthNames[date.month - 1].substr(0, 3);
  fields[8] = "Q";
  gen::append_uint(fields[8], (date.month + 2) / 3);
  gen::append_uint(fields[9], static_cast<std::uint64_t>(date.year));
  gen::append_uint(fields[10], weekday == 0 ? 7 : weekday);
  fields[11] = kDayNames[weekday];
  fields[12] = kDayNames[weekday].substr(0, 3);
  // Week of the year as strftime's %U counts it: weeks start on Sunday, days before the first
  // Sunday are week 00.
  gen::append_padded(fields[13], (day_of_year + 7 - weekday) / 7, 2);
}

}  // namespace

gen::GeneratedFile generate_products(const gen::GeneratorContext& context,
                                     const SupportDeskWorld& world, std::uint64_t bad_rows) {
  const std::string name = "products.csv";
  const std::uint64_t rows = world.level_size(0) + world.level_size(1) + world.level_size(2);
  gen::GeneratedCsvFile file(context, name, {.quote_all = true, .crlf = true}, rows,
                             gen::BadRowPlan(gen::file_seed(context.seed, name), rows, bad_rows),
                             kProductSpoilers);
  constexpr std::array<std::string_view, 3> kLevelNames = {"Product Line", "Product Group",
                                                           "Product"};
  std::vector<std::string> fields(3);
  for (int level = 0; level < 3; ++level) {
    for (std::uint64_t index = 0; index < world.level_size(level); ++index) {
      fields.resize(3);
      for (std::string& field : fields) {
        field.clear();
      }
      world.append_pid(fields[0], level, index);
      fields[1] = kLevelNames[static_cast<std::size_t>(level)];
      gen::append_uint(fields[1], index);
      if (level > 0) {
        world.append_pid(fields[2], level - 1, world.parent_index(level, index));
      }
      file.write_row(fields);
    }
  }
  return file.commit();
}

gen::GeneratedFile generate_calendar(const gen::GeneratorContext& context, std::uint64_t rows,
                                     std::uint64_t bad_rows) {
  const std::int64_t first_day = gen::days_from_civil(2010, 1, 1);
  const std::int64_t last_possible = gen::days_from_civil(9999, 12, 31);
  const auto max_rows = static_cast<std::uint64_t>(last_possible - first_day + 2);
  if (rows > max_rows) {
    throw std::invalid_argument("calendar: at most " + std::to_string(max_rows) +
                                " rows (one per day from 2010-01-01 to 9999-12-31, plus -1)");
  }
  const std::string name = "calendar.csv";
  gen::GeneratedCsvFile file(context, name, {.quote_all = true, .crlf = true}, rows,
                             gen::BadRowPlan(gen::file_seed(context.seed, name), rows, bad_rows),
                             kCalendarSpoilers);
  std::vector<std::string> fields;
  for (std::uint64_t row = 0; row < rows; ++row) {
    if (row == 0) {
      // The member for unknown dates: key -1, dated 1900-01-01 (a Monday, week 00).
      calendar_fields(gen::days_from_civil(1900, 1, 1), fields);
      fields[0] = "-1";
    } else {
      calendar_fields(first_day + static_cast<std::int64_t>(row - 1), fields);
    }
    file.write_row(fields);
  }
  return file.commit();
}

gen::GeneratedFile generate_priority_sla(const gen::GeneratorContext& context, std::uint64_t rows,
                                         std::uint64_t bad_rows) {
  const std::string name = "PrioritySLA.csv";
  gen::GeneratedCsvFile file(context, name, {}, rows,
                             gen::BadRowPlan(gen::file_seed(context.seed, name), rows, bad_rows),
                             kSlaSpoilers);
  const std::array<std::string_view, 5> header = {"id", "name", "Assign SLA", "Response SLA",
                                                  "Resolve SLA"};
  file.write_header(header);
  struct Level {
    std::string_view name;
    unsigned assign, response, resolve;
  };
  constexpr std::array<Level, 3> kLevels = {
      {{"High", 1, 3, 100}, {"Normal", 3, 24, 300}, {"Low", 24, 48, 900}}};
  std::vector<std::string> fields(5);
  for (std::uint64_t id = 1; id <= rows; ++id) {
    fields.resize(5);
    for (std::string& field : fields) {
      field.clear();
    }
    gen::append_uint(fields[0], id);
    std::uint64_t assign = 0;
    std::uint64_t response = 0;
    std::uint64_t resolve = 0;
    if (id <= kLevels.size()) {
      const Level& level = kLevels[id - 1];
      fields[1] = level.name;
      assign = level.assign;
      response = level.response;
      resolve = level.resolve;
    } else {
      fields[1] = "Priority ";
      gen::append_uint(fields[1], id);
      assign = 24 * (id - 2);
      response = 48 * (id - 2);
      resolve = 900 * (id - 2);
    }
    gen::append_uint(fields[2], assign);
    gen::append_uint(fields[3], response);
    gen::append_uint(fields[4], resolve);
    file.write_row(fields);
  }
  return file.commit();
}

SupportDeskShape support_desk_shape_for_cases(std::uint64_t cases) {
  // The sample's proportions: 400 cases, 200 analysts per snapshot, 264 + 238 + 1000 products.
  SupportDeskShape shape;
  shape.cases = cases;
  shape.analysts = std::max<std::uint64_t>(10, cases / 2);
  const std::uint64_t products = std::clamp<std::uint64_t>(cases * 1502 / 400, 15, 1500000);
  shape.product_lines = std::max<std::uint64_t>(1, products * 264 / 1502);
  shape.product_groups = std::max<std::uint64_t>(1, products * 238 / 1502);
  shape.products =
      std::max<std::uint64_t>(1, products - shape.product_lines - shape.product_groups);
  return shape;
}

}  // namespace dp::pipelines
