#include "pipelines/habits/habit_records_generator.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/spoilers.hpp"

namespace dp::pipelines {
namespace {

struct Habit {
  std::string_view name;
  std::string_view category;
};
constexpr std::array<Habit, 10> kHabits = {{{"running", "sport"},
                                            {"yoga", "sport"},
                                            {"coding", "brainy"},
                                            {"reading", "brainy"},
                                            {"meditation", "mind"},
                                            {"cooking", "home"},
                                            {"guitar", "hobby"},
                                            {"swimming", "sport"},
                                            {"journaling", "mind"},
                                            {"language study", "brainy"}}};

struct Person {
  std::string_view first_name;
  std::string_view last_name;
  /// Latin handle the user may have chosen (empty for none).
  std::string_view handle;
  std::string_view language;
};
constexpr std::array<Person, 24> kPeople = {{
    {"Olga", "Smirnova", "olga_s", "ru"},
    {"Amin", "Khaled", "amin_k", "en"},
    {"Sara", "Björk", "sara.b", "sv"},
    {"Δημήτρης", "Παπαδόπουλος", "", "el"},
    {"Анна", "Иванова", "anna_iv", "ru"},
    {"Иван", "Петров", "", "ru"},
    {"José", "Martínez", "jose.mtz", "es"},
    {"Zoë", "Müller", "zoe_m", "de"},
    {"Ömer", "Yılmaz", "omer_y", "tr"},
    {"محمد", "علي", "", "ar"},
    {"Nguyễn", "Văn An", "an_nguyen", "vi"},
    {"Søren", "Kierkegaard", "soren_k", "da"},
    {"Łukasz", "Wójcik", "lukasz_w", "pl"},
    {"Priya", "Sharma", "priya.s", "en"},
    {"प्रिया", "शर्मा", "", "hi"},
    {"François", "Dupont", "fdupont", "fr"},
    {"민준", "김", "", "ko"},
    {"さくら", "田中", "", "ja"},
    {"伟", "王", "", "zh"},
    {"Aigerim", "Nurlanqyzy", "aigerim", "kk"},
    {"Mateus", "Gonçalves", "mateus_g", "pt-br"},
    {"Chiara", "Rossi", "chiara_r", "it"},
    {"Олександр", "Шевченко", "", "uk"},
    {"Kwame", "Mensah", "kwame", "en"},
}};

const std::int64_t kFirstRecord = 1694875351;  // the sample's first record_date_unix
/// Seconds a dump may span at most, so that a large file stays within about two years.
constexpr double kMaxSpanSeconds = 2.0 * 365 * gen::kSecondsPerDay;
/// Mean gap between records in the sample (40 records in nine days).
constexpr double kSampleGapSeconds = 20000.0;

/// A user's fixed attributes, derived from (seed, user number) so that nothing is stored.
struct User {
  std::uint64_t id;
  const Person* person;
  bool has_username;
  bool has_last_name;
  /// 0 false, 1 true, 2 empty (unknown).
  int premium;
};

User user_of(std::uint64_t seed, std::uint64_t number) {
  gen::EntityRandom random(gen::mix(seed, number));
  User user{};
  // Older accounts have small ids, newer ones ids beyond 32 bits (as Telegram's do).
  // Ids stay unique per user number: small ones count up, large ones are spread in steps.
  user.id = random.chance(0.5) ? 4101 + number : 5000000000ULL + number * 7919 + random.below(7919);
  user.person = &kPeople[random.below(kPeople.size())];
  user.has_username = !user.person->handle.empty() && random.chance(0.5);
  user.has_last_name = random.chance(0.45);
  user.premium = static_cast<int>(random.weighted(std::array<std::uint32_t, 3>{6, 2, 2}));
  return user;
}

const std::array<gen::Spoiler, 6> kHabitSpoilers = {{
    {"is_premium", "not a boolean",
     [](std::vector<std::string>& f, gen::Random&) { f[8] = "maybe"; }},
    {"user_id", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[2].clear(); }},
    {"record_date_unix", "a date instead of epoch seconds",
     [](std::vector<std::string>& f, gen::Random&) { f[10] = "2023-09-16"; }},
    {"duration_minutes", "not a number",
     [](std::vector<std::string>& f, gen::Random&) { f[3] = "1h20"; }},
    {"", "one field short", gen::drop_last_field},
    {"", "invalid UTF-8", [](std::vector<std::string>& f, gen::Random&) { f[6] = gen::kNotUtf8; }},
}};

}  // namespace

gen::GeneratedFile generate_habit_records(const gen::GeneratorContext& context, std::uint64_t rows,
                                          std::uint64_t bad_rows) {
  const std::string name = "habit_records.csv";
  const std::uint64_t seed = gen::file_seed(context.seed, name);
  gen::Random random(seed);
  gen::GeneratedCsvFile file(context, name, {.quote_all = false, .crlf = true}, rows,
                             gen::BadRowPlan(seed, rows, bad_rows), kHabitSpoilers);
  const std::array<std::string_view, 11> header = {
      "habit_name", "category_name", "user_id",    "duration",      "chat_id",         "username",
      "first_name", "last_name",     "is_premium", "language_code", "record_date_unix"};
  file.write_header(header);

  const std::uint64_t users = std::max<std::uint64_t>(4, rows / 10);
  const double mean_gap = std::min(
      kSampleGapSeconds, kMaxSpanSeconds / static_cast<double>(std::max<std::uint64_t>(rows, 1)));
  double when = static_cast<double>(kFirstRecord);
  std::vector<std::string> fields(11);
  for (std::uint64_t row = 0; row < rows; ++row) {
    fields.resize(11);  // a spoiled row may have changed the count
    for (std::string& field : fields) {
      field.clear();
    }
    const User user = user_of(seed, random.skewed(users, 2.5));
    const Habit& habit = kHabits[random.skewed(kHabits.size(), 1.3)];
    fields[0] = habit.name;
    fields[1] = habit.category;
    gen::append_uint(fields[2], user.id);
    gen::append_uint(fields[3], 10 * (1 + random.below(20)));
    gen::append_uint(fields[4], user.id);
    if (user.has_username) {
      fields[5] = user.person->handle;
    }
    fields[6] = user.person->first_name;
    if (user.has_last_name) {
      fields[7] = user.person->last_name;
    }
    fields[8] = user.premium == 0 ? "false" : user.premium == 1 ? "true" : "";
    fields[9] = user.person->language;
    when += 1.0 + random.exponential(mean_gap);
    gen::append_uint(fields[10], static_cast<std::uint64_t>(when));
    file.write_row(fields);
  }
  return file.commit();
}

}  // namespace dp::pipelines
