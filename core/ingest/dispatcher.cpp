#include "core/ingest/dispatcher.hpp"

#include <memory>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"

namespace dp::ingest {
namespace {

std::string names_of(const std::vector<const pipeline::Pipeline*>& pipelines) {
  std::string names;
  for (const auto* pipeline : pipelines) {
    names += (names.empty() ? "" : ", ") + std::string(pipeline->name());
  }
  return names;
}

std::optional<std::vector<std::string>> read_first_record(std::unique_ptr<csv::ByteSource> input) {
  csv::CsvReaderOptions options;
  options.max_record_bytes = 1024 * 1024;
  csv::CsvReader reader(std::move(input), options);
  return reader.read_header();
}

}  // namespace

DispatchResult dispatch(const pipeline::PipelineRegistry& registry,
                        const std::filesystem::path& path) {
  return dispatch(registry, path, [&path] { return csv::open_input(path.string()); });
}

DispatchResult dispatch(const pipeline::PipelineRegistry& registry,
                        const std::filesystem::path& path,
                        const std::function<std::unique_ptr<csv::ByteSource>()>& input) {
  const auto file_name = path.filename().string();
  const auto by_name = registry.match_name(file_name);
  if (by_name.size() == 1) {
    return {by_name.front(), {}};
  }
  if (by_name.size() > 1) {
    return {nullptr, "file name " + file_name + " matches " + std::to_string(by_name.size()) +
                         " kinds (" + names_of(by_name) +
                         "); rename it so that one kind claims it"};
  }
  std::optional<std::vector<std::string>> header;
  try {
    header = read_first_record(input());
  } catch (const std::exception& error) {
    return {nullptr, std::string("cannot read ") + file_name + ": " + error.what()};
  }
  if (!header) {
    return {nullptr, "no kind matches the name " + file_name + " and the file has no header"};
  }
  const auto by_header = registry.match_header(*header);
  if (by_header.size() == 1) {
    return {by_header.front(), {}};
  }
  if (by_header.size() > 1) {
    return {nullptr, "the header of " + file_name + " matches " + std::to_string(by_header.size()) +
                         " kinds (" + names_of(by_header) + ")"};
  }
  return {nullptr, "no kind matches the name " + file_name +
                       " or its header; see docs/file-kinds.md for the names each kind accepts"};
}

}  // namespace dp::ingest
