#include "pipelines/generators.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string_view>
#include <utility>

#include "pipelines/course_traffic/course_traffic_generator.hpp"
#include "pipelines/generation/civil_time.hpp"
#include "pipelines/generation/declared_generator.hpp"
#include "pipelines/habits/habit_records_generator.hpp"
#include "pipelines/job_titles/title_data_generator.hpp"
#include "pipelines/register_all.hpp"
#include "pipelines/support_desk/support_desk_generator.hpp"

namespace dp::pipelines {
namespace {

using Files = std::vector<GeneratedFile>;
using Generator =
    std::function<Files(const gen::GeneratorContext&, std::uint64_t rows, std::uint64_t bad_rows)>;

Files one(GeneratedFile file) {
  return Files{std::move(file)};
}

/// A products-only support desk of `rows` rows in the sample's level proportions.
SupportDeskShape products_shape(std::uint64_t rows) {
  SupportDeskShape shape;
  shape.product_lines =
      std::min<std::uint64_t>(rows, std::max<std::uint64_t>(1, rows * 264 / 1502));
  const std::uint64_t rest = rows - shape.product_lines;
  shape.product_groups =
      std::min<std::uint64_t>(rest, std::max<std::uint64_t>(1, rows * 238 / 1502));
  shape.products = rest - shape.product_groups;
  return shape;
}

Files support_desk(const gen::GeneratorContext& context, std::uint64_t cases,
                   std::uint64_t bad_rows) {
  const SupportDeskWorld world(context.seed, support_desk_shape_for_cases(cases));
  Files files = generate_analyst_snapshots(context, world, 0);
  // The bad rows go to the case files, spread in proportion to their sizes.
  std::vector<std::uint64_t> sizes;
  for (int year = world.first_case_year(); year <= world.last_case_year(); ++year) {
    sizes.push_back(world.cases_in_year(year));
  }
  const std::vector<std::uint64_t> bad = gen::split_proportionally(bad_rows, sizes);
  for (int year = world.first_case_year(); year <= world.last_case_year(); ++year) {
    const std::string suffix = "_" + std::to_string(year) + ".csv";
    files.push_back(
        generate_cases_file(context, world, "cases" + suffix, year, year,
                            bad[static_cast<std::size_t>(year - world.first_case_year())]));
    files.push_back(generate_logs_file(context, world, "logs" + suffix, year, year, 0, 0));
  }
  files.push_back(generate_products(context, world, 0));
  files.push_back(generate_priority_sla(context, 3, 0));
  files.push_back(generate_calendar(
      context, gen::days_from_civil(2020, 12, 31) - gen::days_from_civil(2010, 1, 1) + 2, 0));
  return files;
}

/// The hand-tuned generators, which shape realistic data (the samples' distributions, consistent
/// sets of files): by kind name, then the subjects. A declared kind without an entry here gets
/// generate_declared; this table is the only list of names besides the declared kinds.
const std::vector<std::pair<std::string_view, Generator>>& tuned_generators() {
  static const std::vector<std::pair<std::string_view, Generator>> table = {
      {"user_traffic",
       [](const auto& c, auto rows, auto bad) {
         return one(generate_user_traffic(c, rows, bad, kSampleTrafficSources));
       }},
      {"marketing_daily",
       [](const auto& c, auto rows, auto bad) {
         return one(generate_marketing_daily(c, rows, bad, kSampleTrafficSources));
       }},
      {"traffic_sources", [](const auto& c, auto rows,
                             auto bad) { return one(generate_traffic_sources(c, rows, bad)); }},
      {"title_data",
       [](const auto& c, auto rows, auto bad) { return one(generate_title_data(c, rows, bad)); }},
      {"habit_records", [](const auto& c, auto rows,
                           auto bad) { return one(generate_habit_records(c, rows, bad)); }},
      {"analyst_snapshots",
       [](const auto& c, auto rows, auto bad) {
         SupportDeskShape shape;
         shape.analysts = rows;
         return generate_analyst_snapshots(c, SupportDeskWorld(c.seed, shape), bad);
       }},
      {"cases",
       [](const auto& c, auto rows, auto bad) {
         const SupportDeskWorld world(c.seed, support_desk_shape_for_cases(rows));
         return one(generate_cases_file(c, world, "cases.csv", world.first_case_year(),
                                        world.last_case_year(), bad));
       }},
      {"case_logs",
       [](const auto& c, auto rows, auto bad) {
         // About seven log lines per case: size the desk so that its four years hold them.
         const SupportDeskWorld world(
             c.seed, support_desk_shape_for_cases(std::max<std::uint64_t>(1, rows / 7)));
         if (rows == 0) {
           return one(generate_logs_file(c, world, "logs.csv", 1, 0, 0, 0));
         }
         return one(generate_logs_file(c, world, "logs.csv", world.first_case_year(),
                                       world.last_case_year(), rows, bad));
       }},
      {"products",
       [](const auto& c, auto rows, auto bad) {
         return one(generate_products(c, SupportDeskWorld(c.seed, products_shape(rows)), bad));
       }},
      {"priority_sla",
       [](const auto& c, auto rows, auto bad) { return one(generate_priority_sla(c, rows, bad)); }},
      {"calendar",
       [](const auto& c, auto rows, auto bad) { return one(generate_calendar(c, rows, bad)); }},
      {"course_traffic",
       [](const auto& c, auto rows, auto bad) {
         Files files = one(generate_traffic_sources(c, kSampleTrafficSources, 0));
         files.push_back(generate_marketing_daily(c, rows, 0, kSampleTrafficSources));
         files.push_back(generate_user_traffic(c, rows, bad, kSampleTrafficSources));
         return files;
       }},
      {"job_titles",
       [](const auto& c, auto rows, auto bad) { return one(generate_title_data(c, rows, bad)); }},
      {"habits", [](const auto& c, auto rows,
                    auto bad) { return one(generate_habit_records(c, rows, bad)); }},
      {"support_desk", support_desk},
  };
  return table;
}

const pipeline::PipelineRegistry& kinds_of(const GenerateRequest& request) {
  static const pipeline::PipelineRegistry built_in = [] {
    pipeline::PipelineRegistry registry;
    register_all_pipelines(registry);
    return registry;
  }();
  return request.kinds != nullptr ? *request.kinds : built_in;
}

const Generator* tuned_generator(std::string_view name) {
  const auto& table = tuned_generators();
  const auto found = std::find_if(table.begin(), table.end(),
                                  [&](const auto& entry) { return entry.first == name; });
  return found == table.end() ? nullptr : &found->second;
}

}  // namespace

std::vector<std::string> generator_names(const pipeline::PipelineRegistry* kinds) {
  GenerateRequest request;
  request.kinds = kinds;
  std::vector<std::string> names;
  for (const auto& kind : kinds_of(request).all()) {
    names.emplace_back(kind->name());
  }
  for (const auto& [name, generator] : tuned_generators()) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.emplace_back(name);
    }
  }
  return names;
}

std::vector<GeneratedFile> generate_files(const GenerateRequest& request) {
  const Generator* tuned = tuned_generator(request.kind);
  const pipeline::Pipeline* kind = kinds_of(request).find(request.kind);
  const KindDeclaration* declared = kind != nullptr ? declaration_of(*kind) : nullptr;
  if (tuned == nullptr && declared == nullptr) {
    std::string known;
    for (const std::string& name : generator_names(request.kinds)) {
      known += known.empty() ? "" : ", ";
      known += name;
    }
    throw GenerateUsageError("unknown kind '" + request.kind + "' (known: " + known + ")");
  }
  if (request.bad_rows > request.rows) {
    throw GenerateUsageError("--bad-rows " + std::to_string(request.bad_rows) +
                             " is more than --rows " + std::to_string(request.rows));
  }
  if (request.out.empty()) {
    throw GenerateUsageError("--generate needs --out DIR");
  }
  gen::GeneratorContext context;
  context.out = request.out;
  context.seed = request.seed;
  context.show_progress = request.show_progress;
  try {
    if (tuned != nullptr) {
      return (*tuned)(context, request.rows, request.bad_rows);
    }
    return {gen::generate_declared(context, *declared, request.rows, request.bad_rows)};
  } catch (const GenerateUsageError&) {
    throw;
  } catch (const std::invalid_argument& error) {
    throw GenerateUsageError(error.what());
  }
}

int run_generator(const GenerateRequest& request) {
  try {
    for (const GeneratedFile& file : generate_files(request)) {
      std::string line = "wrote " + file.path.string() + " (" + std::to_string(file.rows) + " rows";
      if (file.bad_rows > 0) {
        line += ", " + std::to_string(file.bad_rows) + " spoiled on purpose, listed in " +
                file.bad_rows_manifest.string();
      }
      line += ")\n";
      std::fputs(line.c_str(), stdout);
    }
    std::fflush(stdout);
    return 0;
  } catch (const GenerateUsageError& error) {
    std::fprintf(stderr, "dataprocessor --generate: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "dataprocessor --generate: %s\n", error.what());
    return 1;
  }
}

}  // namespace dp::pipelines
