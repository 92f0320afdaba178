#include <array>
#include <string>
#include <vector>

#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/spoilers.hpp"
#include "pipelines/support_desk/support_desk_generator.hpp"

namespace dp::pipelines {
namespace {

const std::array<gen::Spoiler, 5> kAnalystSpoilers = {{
    {"created_at", "month 13",
     [](std::vector<std::string>& f, gen::Random&) { f[4].replace(5, 2, "13"); }},
    {"aid", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[0].clear(); }},
    {"", "one field short", gen::drop_last_field},
    {"", "one field too many", gen::add_extra_field},
    {"", "invalid UTF-8", [](std::vector<std::string>& f, gen::Random&) { f[1] = gen::kNotUtf8; }},
}};

void fill_fields(const AnalystRecord& record, std::vector<std::string>& fields) {
  fields.resize(6);
  fields[0] = record.aid;
  fields[1] = record.name;
  fields[2] = record.team;
  fields[3] = record.skills;
  fields[4].clear();
  gen::append_date_time(fields[4], record.created_seconds, ' ');
  fields[5].clear();
  if (record.updated_at_new_year) {
    gen::append_date_time(fields[5], record.updated_micros / gen::kMicrosPerSecond, ' ');
  } else {
    gen::append_date_time_micros(fields[5], record.updated_micros);
  }
}

}  // namespace

std::vector<gen::GeneratedFile> generate_analyst_snapshots(const gen::GeneratorContext& context,
                                                           const SupportDeskWorld& world,
                                                           std::uint64_t bad_rows) {
  const gen::CsvFileStyle style{.quote_all = true, .crlf = true};
  const std::uint64_t seats = world.shape().analysts;
  std::vector<gen::GeneratedFile> written;
  std::vector<std::string> fields(6);
  for (int year = world.shape().first_year; year <= world.last_snapshot_year(); ++year) {
    const std::string name = "analysts_" + std::to_string(year) + ".csv";
    const std::uint64_t file_bad = year == world.shape().first_year ? bad_rows : 0;
    gen::GeneratedCsvFile file(context, name, style, seats,
                               gen::BadRowPlan(gen::file_seed(context.seed, name), seats, file_bad),
                               kAnalystSpoilers);
    // Sorted by created_at: hiring years in order, and within one the seats in order (hire()
    // spreads a year's hires over the year in seat order).
    for (int cohort = world.shape().first_year; cohort <= year; ++cohort) {
      for (std::uint64_t seat = 0; seat < seats; ++seat) {
        if (world.hire_year(seat, year) == cohort) {
          fill_fields(world.analyst(seat, year), fields);
          file.write_row(fields);
        }
      }
    }
    written.push_back(file.commit());
  }
  gen::GeneratedCsvFile changes(context, "analysts.csv", style, 0);
  AnalystRecord record;
  for (std::uint64_t seat = 0; seat < seats; ++seat) {
    if (world.analyst_change(seat, record)) {
      fill_fields(record, fields);
      changes.write_row(fields);
    }
  }
  written.push_back(changes.commit());
  return written;
}

}  // namespace dp::pipelines
