#include "pipelines/job_titles/title_data_generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/spoilers.hpp"

namespace dp::pipelines {
namespace {

constexpr std::size_t kSkills = 9;
constexpr std::size_t kRelatedTitles = 10;
constexpr std::size_t kFields = 2 + kSkills + kRelatedTitles;

/// Skills, the first nine values after the count (each with a leading space in the file).
constexpr std::array<std::string_view, 40> kSkillNames = {"leadership",
                                                          "customer service",
                                                          "microsoft office",
                                                          "sales",
                                                          "management",
                                                          "project management",
                                                          "strategic planning",
                                                          "team building",
                                                          "microsoft excel",
                                                          "negotiation",
                                                          "marketing",
                                                          "sql",
                                                          "java",
                                                          "python",
                                                          "budgets",
                                                          "public speaking",
                                                          "data analysis",
                                                          "social media",
                                                          "research",
                                                          "training",
                                                          "microsoft word",
                                                          "teamwork",
                                                          "time management",
                                                          "business development",
                                                          "event planning",
                                                          "photoshop",
                                                          "html",
                                                          "javascript",
                                                          "accounting",
                                                          "recruiting",
                                                          "atendimento ao cliente",
                                                          "vendas",
                                                          "gestão de projetos",
                                                          "kundendienst",
                                                          "vertrieb",
                                                          "planificación estratégica",
                                                          "gestión de proyectos",
                                                          "análisis de datos",
                                                          "управление проектами",
                                                          "продажи"};

// English titles: seniority x field x role (14,400 distinct), some with a qualifier
// (x 6 more); every list entry is distinct, so distinct numbers give distinct titles.
constexpr std::array<std::string_view, 12> kSeniority = {
    "",           "senior ",  "junior ",    "lead ",           "chief ",    "assistant ",
    "associate ", "head of ", "principal ", "vice president ", "regional ", "deputy "};
constexpr std::array<std::string_view, 40> kFieldsOfWork = {"sales",
                                                            "marketing",
                                                            "software",
                                                            "data",
                                                            "account",
                                                            "project",
                                                            "product",
                                                            "customer service",
                                                            "human resources",
                                                            "business development",
                                                            "operations",
                                                            "finance",
                                                            "it",
                                                            "quality",
                                                            "logistics",
                                                            "research",
                                                            "legal",
                                                            "procurement",
                                                            "design",
                                                            "security",
                                                            "network",
                                                            "store",
                                                            "office",
                                                            "training",
                                                            "supply chain",
                                                            "communications",
                                                            "engineering",
                                                            "payroll",
                                                            "web",
                                                            "mobile",
                                                            "cloud",
                                                            "compliance",
                                                            "brand",
                                                            "content",
                                                            "retail",
                                                            "warehouse",
                                                            "clinical",
                                                            "field service",
                                                            "digital",
                                                            "risk"};
constexpr std::array<std::string_view, 30> kRoles = {
    "manager",     "engineer",   "analyst",   "director",       "specialist", "consultant",
    "coordinator", "developer",  "assistant", "representative", "officer",    "administrator",
    "supervisor",  "associate",  "executive", "technician",     "architect",  "advisor",
    "planner",     "strategist", "partner",   "agent",          "clerk",      "scientist",
    "designer",    "controller", "recruiter", "buyer",          "trainer",    "auditor"};
constexpr std::array<std::string_view, 6> kQualifiers = {" ii",      " iii",    " intern",
                                                         " trainee", " - emea", "/team lead"};
constexpr std::uint64_t kPlainTitles = kSeniority.size() * kFieldsOfWork.size() * kRoles.size();
constexpr std::uint64_t kQualifiedTitles = kPlainTitles * kQualifiers.size();

/// Titles as people in other languages write them (the non-ASCII letters and punctuation the
/// real export is full of): a head word and an area per language, and titles that stand alone.
struct ForeignGroup {
  std::span<const std::string_view> heads;
  std::span<const std::string_view> areas;
};
constexpr std::array<std::string_view, 4> kSpanishHeads = {"gerente de ", "jefe de ",
                                                           "analista de ", "coordinador de "};
constexpr std::array<std::string_view, 10> kSpanishAreas = {
    "ventas",     "marketing", "proyectos", "operaciones",         "recursos humanos",
    "tecnología", "compras",   "logística", "atención al cliente", "calidad"};
constexpr std::array<std::string_view, 4> kPortugueseHeads = {"analista de ", "gerente de ",
                                                              "assistente de ", "técnico de "};
constexpr std::array<std::string_view, 8> kPortugueseAreas = {
    "sistemas",         "vendas",    "marketing", "projetos",
    "recursos humanos", "logística", "qualidade", "informática"};
constexpr std::array<std::string_view, 6> kGermanHeads = {"vertriebs", "projekt",  "marketing",
                                                          "personal",  "einkaufs", "büro"};
constexpr std::array<std::string_view, 5> kGermanAreas = {"leiter", "manager", "referent",
                                                          "assistent", "sachbearbeiter"};
constexpr std::array<std::string_view, 3> kFrenchHeads = {"chargé de ", "responsable ",
                                                          "directeur "};
constexpr std::array<std::string_view, 6> kFrenchAreas = {
    "communication", "clientèle", "projet", "recrutement", "marketing", "production"};
constexpr std::array<std::string_view, 4> kRussianHeads = {"менеджер по ", "специалист по ",
                                                           "директор по ", "инженер по "};
constexpr std::array<std::string_view, 6> kRussianAreas = {"продажам",  "маркетингу", "закупкам",
                                                           "персоналу", "качеству",   "логистике"};
constexpr std::array<std::string_view, 1> kNoHead = {""};
constexpr std::array<std::string_view, 18> kStandalone = {
    "директор",    "менеджер",      "estagiário",          "proprietário", "geschäftsführer",
    "autónomo",    "c.e.o.",        "コンサルタント",      "エンジニア",   "销售经理",
    "مدير مبيعات", "mühendis",      "kierownik sprzedaży", "ügyvezető",    "administrador(a)",
    "r&d manager", "sócio-diretor", "ingénieur d'études"};
constexpr std::array<ForeignGroup, 6> kForeignGroups = {{
    {kSpanishHeads, kSpanishAreas},
    {kPortugueseHeads, kPortugueseAreas},
    {kGermanHeads, kGermanAreas},
    {kFrenchHeads, kFrenchAreas},
    {kRussianHeads, kRussianAreas},
    {kNoHead, kStandalone},
}};

constexpr std::uint64_t foreign_title_count() {
  std::uint64_t count = 0;
  for (const ForeignGroup& group : kForeignGroups) {
    count += group.heads.size() * group.areas.size();
  }
  return count;
}
constexpr std::uint64_t kForeignTitles = foreign_title_count();

/// English title number `index`: below kPlainTitles a plain one (mixed radix over seniority,
/// field and role), above it the same with a qualifier.
void append_english_title(std::string& out, std::uint64_t index) {
  const std::uint64_t qualifier = index / kPlainTitles;
  index %= kPlainTitles;
  out.append(kSeniority[index % kSeniority.size()]);
  index /= kSeniority.size();
  out.append(kFieldsOfWork[index % kFieldsOfWork.size()]);
  index /= kFieldsOfWork.size();
  out += ' ';
  out.append(kRoles[index]);
  if (qualifier > 0) {
    out.append(kQualifiers[qualifier - 1]);
  }
}

/// Foreign title number `index` (group by group).
void append_foreign_title(std::string& out, std::uint64_t index) {
  for (const ForeignGroup& group : kForeignGroups) {
    const std::uint64_t size = group.heads.size() * group.areas.size();
    if (index < size) {
      out.append(group.heads[index / group.areas.size()]);
      out.append(group.areas[index % group.areas.size()]);
      return;
    }
    index -= size;
  }
}

/// A related title: any title, foreign ones now and then.
void append_random_title(std::string& out, gen::Random& random) {
  if (random.chance(0.08)) {
    append_foreign_title(out, random.below(kForeignTitles));
  } else {
    append_english_title(out, random.below(kPlainTitles));
  }
}

/// Fragments left where an upstream tool cut a title (`end developer`, `york city`): the
/// sample's rows with fewer related values carry them.
constexpr std::array<std::string_view, 4> kCutTitles = {"end developer", "york city", "round",
                                                        "of operations"};

/// The row titles: distinct (each title list walked in a shuffled order) until a list is used
/// up, except for the rare deliberate exact repeat of a recent title, as the export has.
class TitleSequence {
 public:
  explicit TitleSequence(std::uint64_t seed)
      : plain_(kPlainTitles, gen::mix(seed, 1)),
        qualified_(kQualifiedTitles, gen::mix(seed, 2)),
        foreign_(kForeignTitles, gen::mix(seed, 3)) {}

  void next(std::string& out, gen::Random& random) {
    if (!recent_.empty() && random.chance(0.002)) {
      out = recent_[random.below(recent_.size())];
    } else if (random.chance(0.0006)) {
      out = random.pick(kCutTitles);
    } else if (random.chance(0.03)) {
      append_foreign_title(out, foreign_(foreign_used_++ % kForeignTitles));
    } else if (random.chance(0.15)) {
      append_english_title(out, kPlainTitles + qualified_(qualified_used_++ % kQualifiedTitles));
    } else {
      append_english_title(out, plain_(plain_used_++ % kPlainTitles));
    }
    if (recent_.size() < kRecent) {
      recent_.push_back(out);
    } else {
      recent_[titles_++ % kRecent] = out;
    }
  }

  /// Whether the last title was a cut fragment (its row then has fewer values).
  static bool is_cut(std::string_view title) {
    return std::find(kCutTitles.begin(), kCutTitles.end(), title) != kCutTitles.end();
  }

 private:
  static constexpr std::size_t kRecent = 64;
  gen::Permutation plain_;
  gen::Permutation qualified_;
  gen::Permutation foreign_;
  std::uint64_t plain_used_ = 0;
  std::uint64_t qualified_used_ = 0;
  std::uint64_t foreign_used_ = 0;
  std::uint64_t titles_ = 0;
  /// The last titles, for the deliberate repeats (a ring of kRecent).
  std::vector<std::string> recent_;
};

const std::array<gen::Spoiler, 5> kTitleSpoilers = {{
    {"pdl_count", "not an integer", [](std::vector<std::string>& f, gen::Random&) { f[1] += "k"; }},
    {"title", "missing required value",
     [](std::vector<std::string>& f, gen::Random&) { f[0].clear(); }},
    {"", "one field too many", gen::add_extra_field},
    {"", "title without count", [](std::vector<std::string>& f, gen::Random&) { f.resize(1); }},
    {"", "invalid UTF-8", [](std::vector<std::string>& f, gen::Random&) { f[3] = gen::kNotUtf8; }},
}};

}  // namespace

gen::GeneratedFile generate_title_data(const gen::GeneratorContext& context, std::uint64_t rows,
                                       std::uint64_t bad_rows) {
  const std::string name = "title_data.csv";
  const std::uint64_t seed = gen::file_seed(context.seed, name);
  gen::Random random(seed);
  gen::GeneratedCsvFile file(context, name, {}, rows, gen::BadRowPlan(seed, rows, bad_rows),
                             kTitleSpoilers);
  std::array<std::string_view, kFields> header{};
  header[0] = "title";
  header[1] = "pdl count";
  header[2] = "top related titles";
  file.write_header(header);

  TitleSequence titles(seed);
  std::vector<std::string> fields(kFields);
  for (std::uint64_t row = 0; row < rows; ++row) {
    fields.resize(kFields);
    for (std::string& field : fields) {
      field.clear();
    }
    titles.next(fields[0], random);
    const bool cut = TitleSequence::is_cut(fields[0]);
    // Counts fall like a Zipf law from the sample's 16.8 million; rows are sorted by them.
    const double count = 16780096.0 * std::pow(static_cast<double>(row + 1), -0.84);
    gen::append_uint(fields[1], static_cast<std::uint64_t>(std::max(count, 1.0)));
    // Nine different skills, popular ones more often.
    std::array<std::size_t, kSkills> skills{};
    for (std::size_t i = 0; i < kSkills; ++i) {
      do {
        skills[i] = random.skewed(kSkillNames.size(), 1.7);
      } while (std::find(skills.begin(), skills.begin() + static_cast<long>(i), skills[i]) !=
               skills.begin() + static_cast<long>(i));
      fields[2 + i] = ' ';
      fields[2 + i].append(kSkillNames[skills[i]]);
    }
    // Ten related titles, the first without the leading space (as in the export), none equal
    // to another of the row (a few tries; a rare repeat is harmless).
    for (std::size_t i = 0; i < kRelatedTitles; ++i) {
      std::string& related = fields[2 + kSkills + i];
      const auto earlier = fields.begin() + static_cast<long>(2 + kSkills);
      for (int attempt = 0; attempt < 4; ++attempt) {
        related.assign(i > 0 ? " " : "");
        append_random_title(related, random);
        if (std::find(earlier, earlier + static_cast<long>(i), related) ==
            earlier + static_cast<long>(i)) {
          break;
        }
      }
    }
    // A few rows (the cut titles among them) carry fewer values: the export pads them with
    // empty fields.
    if (cut || random.chance(0.0004)) {
      const std::uint64_t empty = 1 + random.below(kRelatedTitles);
      for (std::size_t i = kFields - empty; i < kFields; ++i) {
        fields[i].clear();
      }
    }
    file.write_row(fields);
  }
  return file.commit();
}

}  // namespace dp::pipelines
