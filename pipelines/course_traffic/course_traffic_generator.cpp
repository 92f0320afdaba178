#include "pipelines/course_traffic/course_traffic_generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/spoilers.hpp"

namespace dp::pipelines {
namespace {

using gen::append_uint;

struct SourceInfo {
  std::string_view name;
  std::string_view channel;
  /// Relative share of referred users (the sample's counts for the first ten).
  std::uint32_t weight;
};

constexpr std::array<SourceInfo, 20> kSources = {{
    {"University Ads", "ads", 53},
    {"Telegram Channel", "social", 169},
    {"VK Group", "social", 126},
    {"Official Website", "web", 246},
    {"HH.ru", "job", 28},
    {"Avito.ru", "ads", 50},
    {"Email Campaign", "email", 33},
    {"Word of Mouth", "referral", 91},
    {"Google Ads", "ads", 109},
    {"Facebook Ads", "ads", 96},
    {"Яндекс Директ", "ads", 80},
    {"Habr Career", "job", 20},
    {"Дзен", "social", 40},
    {"YouTube", "social", 60},
    {"LinkedIn", "social", 25},
    {"Partner Webinar", "referral", 15},
    {"Newsletter", "email", 30},
    {"Stepik", "web", 35},
    {"Одноклассники", "social", 10},
    {"Alumni Referral", "referral", 12},
}};
constexpr std::array<std::string_view, 6> kChannels = {"ads", "social", "web",
                                                       "job", "email",  "referral"};

/// Source `id` (1-based): the table above, then numbered partner sites.
SourceInfo source_info(std::uint64_t id) {
  if (id <= kSources.size()) {
    return kSources[id - 1];
  }
  return SourceInfo{"", kChannels[id % kChannels.size()], 10};
}

void append_source_name(std::string& out, std::uint64_t id) {
  if (id <= kSources.size()) {
    out.append(kSources[id - 1].name);
  } else {
    out.append("Partner Site ");
    append_uint(out, id);
  }
}

/// Relative weight of each hour of the day (UTC) for referral times: quiet nights.
constexpr std::array<std::uint32_t, 24> kHourWeights = {3,  2,  1, 1, 1, 2,  4,  6,  8,  9,  10, 10,
                                                        10, 10, 9, 9, 9, 10, 11, 12, 12, 10, 7,  5};

const std::int64_t kTrafficFirstDay = gen::days_from_civil(2023, 6, 7);
const std::int64_t kTrafficLastDay = gen::days_from_civil(2025, 6, 7);
const std::int64_t kMarketingFirstDay = gen::days_from_civil(2023, 1, 1);
const std::int64_t kMarketingLastDay = gen::days_from_civil(2024, 12, 31);

const std::array<gen::Spoiler, 3> kSourceSpoilers = {{
    {"source_id", "not an integer",
     [](std::vector<std::string>& f, gen::Random&) { f[0].insert(0, "S"); }},
    {"name", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[1].clear(); }},
    {"", "one field short", gen::drop_last_field},
}};

const std::array<gen::Spoiler, 6> kTrafficSpoilers = {{
    {"user_id", "not an integer", [](std::vector<std::string>& f, gen::Random&) { f[0] += "x"; }},
    {"referred_at", "hour 25 does not exist",
     [](std::vector<std::string>& f, gen::Random&) { f[2].replace(11, 2, "25"); }},
    {"source_id", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[1].clear(); }},
    {"", "one field short", gen::drop_last_field},
    {"source_id", "out of range for int",
     [](std::vector<std::string>& f, gen::Random&) { f[1] = "99999999999"; }},
    {"", "one field too many", gen::add_extra_field},
}};

const std::array<gen::Spoiler, 6> kMarketingSpoilers = {{
    {"date", "February 30th",
     [](std::vector<std::string>& f, gen::Random&) { f[2].replace(5, 5, "02-30"); }},
    {"ad_spend", "not a number", [](std::vector<std::string>& f, gen::Random&) { f[3] += ".5"; }},
    {"impressions", "not an integer",
     [](std::vector<std::string>& f, gen::Random&) { f[4] = "n/a"; }},
    {"source_name", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[0].clear(); }},
    {"revenue", "too large for numeric(14,2)",
     [](std::vector<std::string>& f, gen::Random&) { f[7] = "1234567890123.45"; }},
    {"", "one field short", gen::drop_last_field},
}};

}  // namespace

gen::GeneratedFile generate_traffic_sources(const gen::GeneratorContext& context,
                                            std::uint64_t rows, std::uint64_t bad_rows) {
  const std::string name = "traffic_sources.csv";
  const std::uint64_t seed = gen::file_seed(context.seed, name);
  gen::GeneratedCsvFile file(context, name, {}, rows, gen::BadRowPlan(seed, rows, bad_rows),
                             kSourceSpoilers);
  const std::array<std::string_view, 3> header = {"source_id", "name", "channel"};
  file.write_header(header);
  std::vector<std::string> fields(3);
  for (std::uint64_t id = 1; id <= rows; ++id) {
    fields.resize(3);  // a spoiled row may have changed the count
    for (std::string& field : fields) {
      field.clear();
    }
    append_uint(fields[0], id);
    append_source_name(fields[1], id);
    fields[2] = source_info(id).channel;
    file.write_row(fields);
  }
  return file.commit();
}

gen::GeneratedFile generate_user_traffic(const gen::GeneratorContext& context, std::uint64_t rows,
                                         std::uint64_t bad_rows, std::uint64_t sources) {
  const std::string name = "user_traffic.csv";
  const std::uint64_t seed = gen::file_seed(context.seed, name);
  gen::Random random(seed);
  gen::GeneratedCsvFile file(context, name, {}, rows, gen::BadRowPlan(seed, rows, bad_rows),
                             kTrafficSpoilers);
  const std::array<std::string_view, 4> header = {"user_id", "source_id", "referred_at",
                                                  "campaign_code"};
  file.write_header(header);

  std::vector<std::uint32_t> source_weights;
  for (std::uint64_t id = 1; id <= std::max<std::uint64_t>(sources, 1); ++id) {
    source_weights.push_back(source_info(id).weight);
  }
  // Ids grow with the file so that most users appear once; one referral in ten is a returning
  // user from a small, heavily skewed group.
  const std::uint64_t user_space = std::max<std::uint64_t>(100000, rows);
  const std::uint64_t regulars = std::max<std::uint64_t>(user_space / 50, 1);
  const std::uint64_t day_count =
      static_cast<std::uint64_t>(kTrafficLastDay - kTrafficFirstDay) + 1;

  std::vector<std::string> fields(4);
  std::uint64_t user = 0;
  std::uint64_t source = 0;
  std::int64_t when = 0;
  for (std::uint64_t row = 0; row < rows; ++row) {
    // Now and then a row repeats the previous key with another campaign code: a correction
    // that the warehouse resolves by line number (the later line wins).
    const bool correction = row > 0 && random.chance(0.002);
    if (!correction) {
      user = random.chance(0.1) ? 1 + random.skewed(regulars, 4.0) : 1 + random.below(user_space);
      source = 1 + random.weighted(source_weights);
      const auto day = kTrafficFirstDay + static_cast<std::int64_t>(random.below(day_count));
      const auto hour = static_cast<std::int64_t>(random.weighted(kHourWeights));
      when = day * gen::kSecondsPerDay + hour * 3600 + random.between(0, 3599);
    }
    fields.resize(4);  // a spoiled row may have changed the count
    for (std::string& field : fields) {
      field.clear();
    }
    append_uint(fields[0], user);
    append_uint(fields[1], source);
    gen::append_date_time(fields[2], when, 'T');
    fields[2] += 'Z';
    // Four random capitals from one draw (26^4 codes).
    std::uint64_t letters = random.below(26 * 26 * 26 * 26);
    for (int letter = 0; letter < 4; ++letter) {
      fields[3] += static_cast<char>('A' + letters % 26);
      letters /= 26;
    }
    fields[3] += random.chance(0.995) ? "-2025-2023" : "-2024-2023";
    file.write_row(fields);
  }
  return file.commit();
}

gen::GeneratedFile generate_marketing_daily(const gen::GeneratorContext& context,
                                            std::uint64_t rows, std::uint64_t bad_rows,
                                            std::uint64_t sources) {
  const std::string name = "marketing_data_with_days.csv";
  const std::uint64_t seed = gen::file_seed(context.seed, name);
  gen::Random random(seed);
  gen::GeneratedCsvFile file(context, name, {}, rows, gen::BadRowPlan(seed, rows, bad_rows),
                             kMarketingSpoilers);
  const std::array<std::string_view, 8> header = {"source_name", "channel_type", "date",
                                                  "ad_spend",    "impressions",  "clicks",
                                                  "leads",       "revenue"};
  file.write_header(header);
  const std::uint64_t source_count = std::max<std::uint64_t>(sources, 1);
  const std::uint64_t day_count =
      static_cast<std::uint64_t>(kMarketingLastDay - kMarketingFirstDay) + 1;

  std::vector<std::string> fields(8);
  for (std::uint64_t row = 0; row < rows; ++row) {
    fields.resize(8);  // a spoiled row may have changed the count
    for (std::string& field : fields) {
      field.clear();
    }
    const std::uint64_t source = 1 + random.below(source_count);
    append_source_name(fields[0], source);
    fields[1] = source_info(source).channel;
    gen::append_date(fields[2],
                     kMarketingFirstDay + static_cast<std::int64_t>(random.below(day_count)));
    gen::append_python_cents(fields[3], random.between(100000, 999999));
    // Impressions spread over two orders of magnitude (log-uniform); clicks and leads follow
    // as rates of the step before, within the sample's ranges.
    const auto impressions = static_cast<std::int64_t>(10000.0 * std::pow(100.0, random.unit()));
    const auto clicks =
        std::clamp<std::int64_t>(static_cast<std::int64_t>(static_cast<double>(impressions) *
                                                           (0.005 + 0.075 * random.unit())),
                                 100, 49999);
    const auto leads = std::clamp<std::int64_t>(
        static_cast<std::int64_t>(static_cast<double>(clicks) * (0.01 + 0.29 * random.unit())), 12,
        4999);
    append_uint(fields[4], static_cast<std::uint64_t>(impressions));
    append_uint(fields[5], static_cast<std::uint64_t>(clicks));
    append_uint(fields[6], static_cast<std::uint64_t>(leads));
    gen::append_python_cents(fields[7], random.between(50000, 1999999));
    file.write_row(fields);
  }
  return file.commit();
}

}  // namespace dp::pipelines
