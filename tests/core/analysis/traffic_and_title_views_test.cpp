// Course traffic and job-title views on rows inserted into the warehouse, checked against
// values computed here: referrals per month and source version, the funnel per current source
// with its ratios (NULL on a zero denominator), the top-10 rankings with ties, and titles
// related to exactly "manager".
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "tests/core/analysis/views_test_support.hpp"

using namespace dp::test;

namespace {

/// A version of a traffic source; `business` groups versions of one source.
struct Source {
  int key;
  std::string business;
  std::optional<int> source_id;
  std::optional<std::string> name;
  std::optional<std::string> channel;
  std::string valid_from;
  std::string valid_to;
};

const std::vector<Source> kSources = {
    {1, "id:1", 1, "University Ads", "ads", "1900-01-01", "9999-12-31"},
    {2, "id:2", 2, "Telegram Channel", "social", "1900-01-01", "2024-03-01"},
    {3, "id:2", 2, "Telegram Channel", "messenger", "2024-03-01", "9999-12-31"},
    {4, "id:7", 7, std::nullopt, std::nullopt, "1900-01-01", "9999-12-31"},
    {5, "name:Partner Blog", std::nullopt, "Partner Blog", "referral", "1900-01-01", "9999-12-31"},
    {6, "name:Zero Spend", std::nullopt, "Zero Spend", "web", "1900-01-01", "9999-12-31"},
};

struct Referral {
  std::int64_t user;
  int source_id;
  std::string at;  // UTC
  int key;
  std::string day;  // empty: unknown date (-1)
};

const std::vector<Referral> kReferrals = {
    {1, 1, "2024-01-05 10:00:00+00", 1, "2024-01-05"},
    {2, 1, "2024-01-20 10:00:00+00", 1, "2024-01-20"},
    {1, 1, "2024-01-25 10:00:00+00", 1, "2024-01-25"},  // the same user again
    {3, 2, "2024-02-10 10:00:00+00", 2, "2024-02-10"},
    {3, 2, "2024-03-10 10:00:00+00", 3, "2024-03-10"},  // after the channel change
    {4, 2, "2024-03-11 10:00:00+00", 3, "2024-03-11"},
    {5, 7, "2024-03-12 10:00:00+00", 4, "2024-03-12"},  // a source known only by id
    {6, 1, "2023-01-15 10:00:00+00", 1, "2023-01-15"},  // January of another year
    {7, 1, "1800-01-01 00:00:00+00", 1, ""},            // no known date
};

struct Marketing {
  std::string day;
  std::string source_name;
  int key;
  double spend, impressions, clicks, leads, revenue;
};

const std::vector<Marketing> kMarketing = {
    {"2024-01-05", "University Ads", 1, 100.00, 10000, 500, 50, 300.00},
    {"2024-01-06", "University Ads", 1, 50.50, 5000, 200, 25, 100.25},
    {"2024-02-10", "Telegram Channel", 2, 80.00, 8000, 400, 0, 0.00},  // old version
    {"2024-03-10", "Telegram Channel", 3, 20.00, 2000, 100, 10, 50.00},
    {"2024-03-11", "Partner Blog", 5, 150.50, 1000, 0, 0, 10.00},  // no clicks, no leads
    {"2024-03-12", "Zero Spend", 6, 0, 0, 0, 0, 0},                // nothing at all
    {"2024-03-13", "Mystery", -1, 10, 100, 1, 0, 0},               // unmatched source
};

struct Title {
  std::string title;
  std::optional<long> pdl;
  std::vector<std::string> related;
};

const std::vector<Title> kTitles = {
    {"accountant", 500, {"auditor", "senior manager", "clerk"}},
    {"barista", 400, {"manager", "cook", "waiter", "host", "cashier"}},
    {"chef", 400, {"cook", "managers", "sous chef", "baker", "host"}},
    {"dentist", 300, {"doctor"}},
    {"engineer", 250, {"developer", "manager"}},
    {"farmer", 200, {"a", "b", "c", "d", "e", "f", "g"}},
    {"gardener", 150, {"a", "b", "c", "d"}},
    {"hairdresser", 100, {"a", "b", "c", "d"}},
    {"illustrator", 90, {"a", "b", "c", "manager"}},
    {"janitor", 80, {"a", "b", "c", "d", "e", "f"}},
    {"keeper", 70, {"a", "b"}},
    {"lawyer", 60, {"a", "b", "c"}},
    {"mystery title", std::nullopt, {"manager assistant"}},
};

std::string optional_sql(const std::optional<std::string>& value) {
  return value ? "'" + *value + "'" : "NULL";
}

void seed(const WarehouseDatabase& database) {
  seed_file_and_calendar(database);
  std::string sql;
  for (const auto& s : kSources) {
    sql += fmt::format(
        "INSERT INTO dim_traffic_source (traffic_source_key, source_id, source_name, channel, "
        "valid_from, valid_to, inserted_batch, updated_batch) "
        "VALUES ({}, {}, {}, {}, '{} 00:00:00+00', '{} 00:00:00+00', 1, 1);\n",
        s.key, s.source_id ? std::to_string(*s.source_id) : "NULL", optional_sql(s.name),
        optional_sql(s.channel), s.valid_from, s.valid_to);
  }
  int line = 1;
  for (const auto& r : kReferrals) {
    sql += fmt::format(
        "INSERT INTO fact_referral (user_id, source_id, referred_at, campaign_code, "
        "traffic_source_key, referred_date_key, file_id, line_no, inserted_batch, updated_batch) "
        "VALUES ({}, {}, '{}', 'C', {}, {}, 1, {}, 1, 1);\n",
        r.user, r.source_id, r.at, r.key, r.day.empty() ? "-1" : date_key(r.day), line++);
  }
  for (const auto& m : kMarketing) {
    sql += fmt::format(
        "INSERT INTO fact_marketing_daily (date_key, source_name, traffic_source_key, ad_spend, "
        "impressions, clicks, leads, revenue, source_rows, file_id, line_no, inserted_batch, "
        "updated_batch) VALUES ({}, '{}', {}, {:.2f}, {}, {}, {}, {:.2f}, 1, 1, {}, 1, 1);\n",
        date_key(m.day), m.source_name, m.key, m.spend, m.impressions, m.clicks, m.leads, m.revenue,
        line++);
  }
  int key = 1;
  for (const auto& t : kTitles) {
    sql += fmt::format(
        "INSERT INTO dim_job_title (job_title_key, job_title, pdl_count, inserted_batch, "
        "updated_batch) VALUES ({}, '{}', {}, 1, 1);\n",
        key, t.title, t.pdl ? std::to_string(*t.pdl) : "NULL");
    int position = 1;
    for (const auto& related : t.related) {
      sql += fmt::format(
          "INSERT INTO bridge_job_title_related (job_title_key, related_title, position, file_id, "
          "line_no, inserted_batch, updated_batch) VALUES ({}, '{}', {}, 1, {}, 1, 1);\n",
          key, related, position++, line++);
    }
    ++key;
  }
  database.exec(sql);
}

const Source& source(int key) {
  static const Source unknown{-1, "", std::nullopt, "Unknown", "Unknown", "", ""};
  const auto it =
      std::find_if(kSources.begin(), kSources.end(), [&](const Source& s) { return s.key == key; });
  return it == kSources.end() ? unknown : *it;
}

/// The version of a source that is current now (valid_to 9999-12-31).
const Source& current(const Source& version) {
  for (const auto& s : kSources) {
    if (s.business == version.business && s.valid_to == "9999-12-31") {
      return s;
    }
  }
  return version;
}

std::string shown_name(const Source& s) {
  return s.name ? *s.name : "source " + std::to_string(*s.source_id);
}

class TrafficWarehouse {
 public:
  TrafficWarehouse() {
    seed(database_);
    build_project_views(database_);
  }
  std::vector<TextRow> rows(const std::string& sql) const { return database_.rows(sql); }

 private:
  WarehouseDatabase database_;
};

}  // namespace

TEST_CASE("referrals_by_source_month counts referrals and distinct users per month and source") {
  TrafficWarehouse warehouse;
  // (month, name, channel) -> users; referrals
  std::map<std::tuple<std::string, std::string, std::string>,
           std::pair<std::set<std::int64_t>, int>>
      months;
  for (const auto& r : kReferrals) {
    if (r.day.empty()) {
      continue;  // no month to put it in
    }
    const auto& s = source(r.key);
    auto& entry = months[{month_start(r.day), shown_name(s), s.channel.value_or("")}];
    entry.first.insert(r.user);
    ++entry.second;
  }
  std::vector<ExpectedRow> expected;
  for (const auto& [key, value] : months) {
    const auto& [month, name, channel] = key;
    expected.push_back(
        {text_cell(month), text_cell(name), channel.empty() ? null_cell() : text_cell(channel),
         number_cell(value.second), number_cell(static_cast<double>(value.first.size()))});
  }
  check_rows(warehouse.rows("SELECT month, source_name, channel, referrals, users "
                            "FROM analysis.referrals_by_source_month "
                            "ORDER BY month, source_name, coalesce(channel, '')"),
             expected);
}

TEST_CASE("marketing_funnel sums each current source over all time with its ratios") {
  TrafficWarehouse warehouse;
  struct Sums {
    double spend = 0, impressions = 0, clicks = 0, leads = 0, revenue = 0;
  };
  std::map<std::pair<std::string, std::string>, Sums> sources;
  for (const auto& m : kMarketing) {
    const auto& s = current(source(m.key));
    auto& sums = sources[{shown_name(s), s.channel.value_or("")}];
    sums.spend += m.spend;
    sums.impressions += m.impressions;
    sums.clicks += m.clicks;
    sums.leads += m.leads;
    sums.revenue += m.revenue;
  }
  const auto ratio = [](double a, double b) {
    return b == 0 ? std::nullopt : std::optional<double>(a / b);
  };
  std::vector<ExpectedRow> expected;
  for (const auto& [key, x] : sources) {
    expected.push_back({text_cell(key.first), text_cell(key.second), number_cell(x.spend, 2),
                        number_cell(x.impressions), number_cell(x.clicks), number_cell(x.leads),
                        number_cell(x.revenue, 2), optional_cell(ratio(x.clicks, x.impressions), 4),
                        optional_cell(ratio(x.leads, x.clicks), 4),
                        optional_cell(ratio(x.spend, x.leads), 2),
                        optional_cell(ratio(x.revenue, x.spend), 4)});
  }
  // Telegram's two versions are one row under its current channel.
  CHECK(sources.count({"Telegram Channel", "messenger"}) == 1);
  CHECK(sources.count({"Telegram Channel", "social"}) == 0);
  check_rows(warehouse.rows("SELECT source_name, channel, ad_spend, impressions, clicks, leads, "
                            "revenue, ctr, lead_rate, cost_per_lead, roas "
                            "FROM analysis.marketing_funnel ORDER BY source_name"),
             expected);
}

TEST_CASE("top_related_titles and title_pdl_count rank the top 10 with ties broken by title") {
  TrafficWarehouse warehouse;
  std::vector<std::pair<std::string, long>> by_related;
  std::vector<std::pair<std::string, long>> by_pdl;
  for (const auto& t : kTitles) {
    const std::set<std::string> distinct(t.related.begin(), t.related.end());
    by_related.emplace_back(t.title, static_cast<long>(distinct.size()));
    if (t.pdl) {
      by_pdl.emplace_back(t.title, *t.pdl);
    }
  }
  const auto ranked = [](std::vector<std::pair<std::string, long>> values) {
    std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    values.resize(std::min<std::size_t>(values.size(), 10));
    std::vector<ExpectedRow> rows;
    for (const auto& [title, count] : values) {
      rows.push_back({text_cell(title), number_cell(static_cast<double>(count))});
    }
    return rows;
  };
  check_rows(warehouse.rows("SELECT job_title, related_count FROM analysis.top_related_titles "
                            "ORDER BY related_count DESC, job_title"),
             ranked(by_related));
  check_rows(warehouse.rows("SELECT job_title, pdl_count FROM analysis.title_pdl_count "
                            "ORDER BY pdl_count DESC, job_title"),
             ranked(by_pdl));
}

TEST_CASE("manager_titles counts titles related to exactly 'manager' and their average count") {
  TrafficWarehouse warehouse;
  double titles = 0;
  double pdl_sum = 0;
  for (const auto& t : kTitles) {
    if (std::find(t.related.begin(), t.related.end(), "manager") != t.related.end()) {
      ++titles;
      pdl_sum += static_cast<double>(t.pdl.value_or(0));
    }
  }
  REQUIRE(titles == 3);  // not 'senior manager', 'managers' or 'manager assistant'
  check_rows(warehouse.rows("SELECT titles, avg_pdl_count FROM analysis.manager_titles"),
             {{number_cell(titles), number_cell(pdl_sum / titles, 0)}});
}
