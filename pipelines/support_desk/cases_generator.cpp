#include <array>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/random_source.hpp"
#include "pipelines/generation/spoilers.hpp"
#include "pipelines/support_desk/support_desk_generator.hpp"

namespace dp::pipelines {
namespace {

const gen::CsvFileStyle kStyle{.quote_all = true, .crlf = true};

const std::array<gen::Spoiler, 4> kCaseSpoilers = {{
    {"priority", "not an integer",
     [](std::vector<std::string>& f, gen::Random&) { f[1] = "high"; }},
    {"created_at", "February 29th of a common year",
     [](std::vector<std::string>& f, gen::Random&) { f[2] = "2011-02-29 10:00:00"; }},
    {"cid", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[0].clear(); }},
    {"", "one field short", gen::drop_last_field},
}};

const std::array<gen::Spoiler, 4> kLogSpoilers = {{
    {"event", "unknown event",
     [](std::vector<std::string>& f, gen::Random&) { f[2] = "Reopened"; }},
    {"logged_at", "hour 24",
     [](std::vector<std::string>& f, gen::Random&) { f[0].replace(11, 2, "24"); }},
    {"cid", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[1].clear(); }},
    {"", "one field short", gen::drop_last_field},
}};

constexpr const char* kAssigned = "Assigned to analyst";
constexpr const char* kResponse = "Response";
constexpr const char* kClose = "Close";

/// A case whose log is still being written: its next event and the stream that decides the
/// rest. Small on purpose: the heap holds every case open at a given moment.
struct OpenCase {
  std::int64_t next_micros = 0;
  std::uint64_t index = 0;
  std::uint64_t stream = 0;
  /// Responses still to come before the close.
  std::uint32_t responses_left = 0;
  /// 0 assigned, 1 response, 2 close.
  std::uint8_t next_event = 0;
};

struct LaterFirst {
  bool operator()(const OpenCase& a, const OpenCase& b) const {
    return a.next_micros != b.next_micros ? a.next_micros > b.next_micros : a.index > b.index;
  }
};

std::int64_t delay_micros(gen::EntityRandom& random, double min_seconds, double mean_seconds) {
  return static_cast<std::int64_t>((min_seconds + random.exponential(mean_seconds)) * 1e6) +
         random.between(1, gen::kMicrosPerSecond - 1);
}

/// Writes the events of one year's cases in time order, merging the cases' event streams with
/// a heap; returns false once `limit` rows are written (limit 0: no limit).
bool write_year_logs(const SupportDeskWorld& world, int year, gen::GeneratedCsvFile& file,
                     std::uint64_t limit, std::vector<std::string>& fields) {
  std::priority_queue<OpenCase, std::vector<OpenCase>, LaterFirst> open;
  const gen::Permutation prefixes = world.case_prefixes(year);
  const std::uint64_t cases = world.cases_in_year(year);
  const auto emit = [&](OpenCase item) {
    const std::int64_t when = item.next_micros;
    fields.resize(3);
    fields[0].clear();
    gen::append_date_time_micros(fields[0], when);
    fields[1].clear();
    world.append_case_cid(fields[1], year, item.index, prefixes);
    gen::EntityRandom random(item.stream);
    switch (item.next_event) {
      case 0:
        fields[2] = kAssigned;
        item.next_event = 1;
        item.next_micros = when + delay_micros(random, 300, 3 * 3600);
        break;
      case 1:
        fields[2] = kResponse;
        if (--item.responses_left == 0) {
          item.next_event = 2;
          item.next_micros = when + delay_micros(random, 600, 1.5 * 86400);
        } else {
          item.next_micros = when + delay_micros(random, 60, 3 * 3600);
        }
        break;
      default:
        fields[2] = kClose;
        item.next_event = 3;
        break;
    }
    item.stream = random.state();
    file.write_row(fields);
    if (item.next_event < 3) {
      open.push(item);
    }
  };
  for (std::uint64_t index = 0; index <= cases; ++index) {
    // Every event due before this case was created can be written: later cases' events all
    // come after their creation.
    const bool more = index < cases;
    CaseRecord record;
    if (more) {
      record = world.case_at(year, index, prefixes);
    }
    const std::int64_t horizon = more ? record.created_seconds * gen::kMicrosPerSecond
                                      : std::numeric_limits<std::int64_t>::max();
    while (!open.empty() && open.top().next_micros <= horizon) {
      if (limit != 0 && file.rows() >= limit) {
        return false;
      }
      const OpenCase item = open.top();
      open.pop();
      emit(item);
    }
    if (more && record.has_logs) {
      gen::EntityRandom random(record.log_stream);
      OpenCase item;
      item.index = index;
      item.next_micros =
          record.created_seconds * gen::kMicrosPerSecond + delay_micros(random, 60, 45 * 60);
      item.responses_left = static_cast<std::uint32_t>(1 + random.below(5) +
                                                       (random.chance(0.35) ? random.below(8) : 0));
      item.stream = random.state();
      open.push(item);
    }
  }
  return limit == 0 || file.rows() < limit;
}

}  // namespace

gen::GeneratedFile generate_cases_file(const gen::GeneratorContext& context,
                                       const SupportDeskWorld& world, const std::string& name,
                                       int first_year, int last_year, std::uint64_t bad_rows) {
  std::uint64_t rows = 0;
  for (int year = first_year; year <= last_year; ++year) {
    rows += world.cases_in_year(year);
  }
  gen::GeneratedCsvFile file(context, name, kStyle, rows,
                             gen::BadRowPlan(gen::file_seed(context.seed, name), rows, bad_rows),
                             kCaseSpoilers);
  std::vector<std::string> fields(5);
  for (int year = first_year; year <= last_year; ++year) {
    const gen::Permutation prefixes = world.case_prefixes(year);
    for (std::uint64_t index = 0; index < world.cases_in_year(year); ++index) {
      CaseRecord record = world.case_at(year, index, prefixes);
      fields.resize(5);
      fields[0] = std::move(record.cid);
      fields[1].clear();
      gen::append_uint(fields[1], static_cast<std::uint64_t>(record.priority));
      fields[2].clear();
      gen::append_date_time(fields[2], record.created_seconds, ' ');
      fields[3] = std::move(record.aid);
      fields[4] = std::move(record.pid);
      file.write_row(fields);
    }
  }
  return file.commit();
}

gen::GeneratedFile generate_logs_file(const gen::GeneratorContext& context,
                                      const SupportDeskWorld& world, const std::string& name,
                                      int first_year, int last_year, std::uint64_t row_limit,
                                      std::uint64_t bad_rows) {
  if (bad_rows > 0 && row_limit == 0) {
    throw std::logic_error("bad rows in a logs file need a fixed row count");
  }
  gen::GeneratedCsvFile file(
      context, name, kStyle, row_limit,
      gen::BadRowPlan(gen::file_seed(context.seed, name), row_limit, bad_rows), kLogSpoilers);
  std::vector<std::string> fields(3);
  for (int year = first_year; row_limit != 0 || year <= last_year; ++year) {
    if (!write_year_logs(world, year, file, row_limit, fields)) {
      break;
    }
  }
  return file.commit();
}

}  // namespace dp::pipelines
