#include "pipelines/support_desk/support_desk_world.hpp"

#include <algorithm>
#include <numeric>

#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/random_source.hpp"

namespace dp::pipelines {
namespace {

// Stream tags, so that different attributes of the same entity draw independent numbers.
constexpr std::uint64_t kHireTag = 0x4849524500000000ULL;
constexpr std::uint64_t kYearTag = 0x5945415200000000ULL;
constexpr std::uint64_t kChangeTag = 0x4348414E00000000ULL;
constexpr std::uint64_t kProductTag = 0x50524F4400000000ULL;
constexpr std::uint64_t kCaseTag = 0x4341534500000000ULL;

constexpr int kTeams = 4;
constexpr int kSkillLetters = 11;  // A..K
/// How many skills an analyst lists, 0..7 (the sample's shares).
constexpr std::array<std::uint32_t, 8> kSkillCountWeights = {160, 171, 275, 226, 140, 24, 3, 1};

std::int64_t seconds_in_year(int year) {
  return static_cast<std::int64_t>(gen::days_in_year(year)) * gen::kSecondsPerDay;
}

/// Adds a skill (more often) or drops one: the yearly review's change to an analyst's list.
template <typename State>
void change_skills(State& state, gen::EntityRandom& random) {
  if (state.skill_count < kSkillLetters && (state.skill_count == 0 || random.chance(0.6))) {
    char letter = 0;
    do {
      letter = static_cast<char>('A' + random.below(kSkillLetters));
    } while (std::find(state.skills.begin(), state.skills.begin() + state.skill_count, letter) !=
             state.skills.begin() + state.skill_count);
    state.skills[static_cast<std::size_t>(state.skill_count++)] = letter;
  } else {
    const auto drop = random.below(static_cast<std::uint64_t>(state.skill_count));
    std::copy(state.skills.begin() + static_cast<long>(drop) + 1,
              state.skills.begin() + state.skill_count,
              state.skills.begin() + static_cast<long>(drop));
    --state.skill_count;
  }
}

}  // namespace

std::int64_t year_start_seconds(int year) {
  return gen::days_from_civil(year, 1, 1) * gen::kSecondsPerDay;
}

struct SupportDeskWorld::SeatState {
  unsigned hire_number = 0;
  int hire_year = 0;
  int team = 1;
  std::array<char, kSkillLetters> skills{};
  int skill_count = 0;
  std::int64_t created_seconds = 0;
  std::int64_t updated_micros = 0;
  /// Year of the last yearly update (0: never updated), and the `UpdN` tag it gave the name.
  int updated_year = 0;
  int name_tag = 0;
};

SupportDeskWorld::SupportDeskWorld(std::uint64_t seed, SupportDeskShape shape)
    : seed_(seed), shape_(shape), seat_prefixes_(shape.analysts, gen::mix(seed, kHireTag)) {}

SupportDeskWorld::SeatState SupportDeskWorld::hire(std::uint64_t seat, unsigned hire_number,
                                                   int year) const {
  gen::EntityRandom random(gen::mix(gen::mix(seed_ ^ kHireTag, seat), hire_number));
  SeatState state;
  state.hire_number = hire_number;
  state.hire_year = year;
  state.team = 1 + static_cast<int>(random.below(kTeams));
  state.skill_count = static_cast<int>(random.weighted(kSkillCountWeights));
  std::array<char, kSkillLetters> letters{};
  std::iota(letters.begin(), letters.end(), 'A');
  for (int i = 0; i < state.skill_count; ++i) {  // a partial shuffle: distinct, random order
    const auto j =
        static_cast<std::size_t>(i) + random.below(static_cast<std::uint64_t>(kSkillLetters - i));
    std::swap(letters[static_cast<std::size_t>(i)], letters[j]);
    state.skills[static_cast<std::size_t>(i)] = letters[static_cast<std::size_t>(i)];
  }
  // Seats are hired in seat order through the year, so a snapshot written seat by seat within
  // each hiring year is sorted by created_at, as the sample is.
  const double position = (static_cast<double>(seat) + random.unit()) /
                          static_cast<double>(std::max<std::uint64_t>(shape_.analysts, 1));
  state.created_seconds =
      year_start_seconds(year) +
      static_cast<std::int64_t>(position * static_cast<double>(seconds_in_year(year) - 1));
  state.updated_micros =
      (state.created_seconds + random.between(gen::kSecondsPerDay, 365 * gen::kSecondsPerDay)) *
          gen::kMicrosPerSecond +
      random.between(1, gen::kMicrosPerSecond - 1);
  return state;
}

SupportDeskWorld::SeatState SupportDeskWorld::seat_state(std::uint64_t seat, int year) const {
  SeatState state = hire(seat, 0, shape_.first_year);
  for (int y = shape_.first_year + 1; y <= year; ++y) {
    gen::EntityRandom random(
        gen::mix(gen::mix(seed_ ^ kYearTag, seat), static_cast<std::uint64_t>(y)));
    if (random.chance(0.25)) {
      state = hire(seat, state.hire_number + 1, y);  // the analyst left; a new one took the seat
      continue;
    }
    if (!random.chance(0.25)) {
      continue;
    }
    state.updated_year = y;
    state.name_tag = static_cast<int>(random.between(1, 60));
    if (random.chance(0.5)) {
      state.team =
          1 + static_cast<int>((static_cast<std::uint64_t>(state.team) + random.below(kTeams - 1)) %
                               kTeams);
    }
    if (random.chance(0.5)) {
      change_skills(state, random);
    }
  }
  return state;
}

AnalystRecord SupportDeskWorld::record_of(std::uint64_t seat, const SeatState& state) const {
  AnalystRecord record;
  const std::uint64_t prefix = seat_prefixes_(seat);
  gen::append_uint(record.aid, prefix);
  record.aid += '-';
  // A different suffix for every analyst who ever held the seat: 3571 is coprime to 10000.
  gen::append_uint(record.aid,
                   (gen::mix(seed_, seat) % 10000 + state.hire_number * 3571ULL) % 10000);
  if (state.updated_year != 0) {
    record.name = "Upd";
    gen::append_uint(record.name, static_cast<std::uint64_t>(state.name_tag));
  } else {
    record.name = "Person";
    gen::append_uint(record.name, prefix);
    record.name += '_';
    gen::append_uint(record.name, static_cast<std::uint64_t>(state.hire_year));
  }
  record.team = "Team";
  gen::append_uint(record.team, static_cast<std::uint64_t>(state.team));
  for (int i = 0; i < state.skill_count; ++i) {
    if (i > 0) {
      record.skills += ',';
    }
    record.skills += state.skills[static_cast<std::size_t>(i)];
  }
  record.created_seconds = state.created_seconds;
  record.hire_year = state.hire_year;
  if (state.updated_year != 0) {
    record.updated_micros = year_start_seconds(state.updated_year) * gen::kMicrosPerSecond;
    record.updated_at_new_year = true;
  } else {
    record.updated_micros = state.updated_micros;
  }
  return record;
}

AnalystRecord SupportDeskWorld::analyst(std::uint64_t seat, int year) const {
  return record_of(seat, seat_state(seat, year));
}

int SupportDeskWorld::hire_year(std::uint64_t seat, int year) const {
  return seat_state(seat, year).hire_year;
}

bool SupportDeskWorld::analyst_change(std::uint64_t seat, AnalystRecord& out) const {
  const int change_year = last_snapshot_year() + 1;
  gen::EntityRandom random(
      gen::mix(gen::mix(seed_ ^ kChangeTag, seat), static_cast<std::uint64_t>(change_year)));
  if (!random.chance(0.1)) {
    return false;
  }
  SeatState state = seat_state(seat, last_snapshot_year());
  state.team =
      1 + static_cast<int>((static_cast<std::uint64_t>(state.team) + random.below(kTeams - 1)) %
                           kTeams);
  if (random.chance(0.5)) {
    change_skills(state, random);
  }
  state.updated_year = change_year;
  state.name_tag = static_cast<int>(random.between(1, 60));
  out = record_of(seat, state);
  // Changes are listed in the order they happened, spread over the year after the snapshots.
  const double position = (static_cast<double>(seat) + random.unit()) /
                          static_cast<double>(std::max<std::uint64_t>(shape_.analysts, 1));
  out.updated_micros =
      year_start_seconds(change_year) * gen::kMicrosPerSecond +
      static_cast<std::int64_t>(position * static_cast<double>(seconds_in_year(change_year) - 1) *
                                static_cast<double>(gen::kMicrosPerSecond));
  out.updated_at_new_year = false;
  return true;
}

std::uint64_t SupportDeskWorld::level_size(int level) const {
  return level == 0 ? shape_.product_lines : level == 1 ? shape_.product_groups : shape_.products;
}

void SupportDeskWorld::append_pid(std::string& out, int level, std::uint64_t index) const {
  gen::append_uint(out, index);
  out += '-';
  // Suffixes differ by level modulo 3, so a line, a group and a product with the same number
  // never share an id.
  const std::uint64_t hash =
      gen::mix(gen::mix(seed_ ^ kProductTag, static_cast<std::uint64_t>(level)), index);
  gen::append_uint(out, hash % 3333 * 3 + static_cast<std::uint64_t>(level));
}

std::uint64_t SupportDeskWorld::parent_index(int level, std::uint64_t index) const {
  const std::uint64_t parents = std::max<std::uint64_t>(level_size(level - 1), 1);
  return gen::mix(gen::mix(seed_ ^ kProductTag, 100 + static_cast<std::uint64_t>(level)), index) %
         parents;
}

std::uint64_t SupportDeskWorld::cases_in_year(int year) const {
  const auto years =
      static_cast<std::uint64_t>(std::max(last_case_year() - first_case_year() + 1, 1));
  if (year < first_case_year() || year > last_case_year()) {
    return std::max<std::uint64_t>(1, (shape_.cases + years - 1) / years);
  }
  const auto offset = static_cast<std::uint64_t>(year - first_case_year());
  return shape_.cases / years + (offset < shape_.cases % years ? 1 : 0);
}

gen::Permutation SupportDeskWorld::case_prefixes(int year) const {
  return gen::Permutation(cases_in_year(year),
                          gen::mix(seed_ ^ kCaseTag, static_cast<std::uint64_t>(year)));
}

void SupportDeskWorld::append_case_cid(std::string& out, int year, std::uint64_t index,
                                       const gen::Permutation& cid_prefixes) const {
  gen::EntityRandom random(
      gen::mix(gen::mix(seed_ ^ kCaseTag, static_cast<std::uint64_t>(year)), index));
  gen::append_uint(out, cid_prefixes(index));
  out += '-';
  gen::append_uint(out, random.below(10000));
  out += '_';
  gen::append_uint(out, static_cast<std::uint64_t>(year));
}

CaseRecord SupportDeskWorld::case_at(int year, std::uint64_t index,
                                     const gen::Permutation& cid_prefixes) const {
  gen::EntityRandom random(
      gen::mix(gen::mix(seed_ ^ kCaseTag, static_cast<std::uint64_t>(year)), index));
  CaseRecord record;
  append_case_cid(record.cid, year, index, cid_prefixes);
  random.next();  // the draw append_case_cid used for the suffix
  record.priority = 1 + static_cast<int>(random.below(3));
  // Cases are spread evenly through the year in index order: the file is sorted by creation.
  const double position =
      (static_cast<double>(index) + random.unit()) / static_cast<double>(cases_in_year(year));
  record.created_seconds =
      year_start_seconds(year) +
      static_cast<std::int64_t>(position * static_cast<double>(seconds_in_year(year) - 1));
  // Cases go to analysts of the previous snapshot (those employed when the year began), and
  // to leaf products, popular ones more often.
  const int staff_year = std::min(year - 1, last_snapshot_year());
  record.aid = analyst(random.below(std::max<std::uint64_t>(shape_.analysts, 1)), staff_year).aid;
  append_pid(record.pid, 2, random.skewed(std::max<std::uint64_t>(shape_.products, 1), 1.6));
  record.has_logs = random.chance(0.94);
  record.log_stream = random.next();
  return record;
}

}  // namespace dp::pipelines
