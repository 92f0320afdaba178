#include "pipelines/support_desk/analyst_snapshots_pipeline.hpp"

#include <cctype>
#include <memory>
#include <string>

#include "models/analyst_snapshots_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"
#include "pipelines/common/mapped_row_converter.hpp"
#include "pipelines/common/row_checks.hpp"

namespace dp::pipelines {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view without_gz(std::string_view name) {
  if (name.size() > 3) {
    const std::string_view tail = name.substr(name.size() - 3);
    if (tail[0] == '.' && std::tolower(static_cast<unsigned char>(tail[1])) == 'g' &&
        std::tolower(static_cast<unsigned char>(tail[2])) == 'z') {
      name.remove_suffix(3);
    }
  }
  return name;
}

/// The generic mapping plus snapshot_year, one value for the whole file.
class AnalystSnapshotsConverter final : public MappedRowConverter {
 public:
  AnalystSnapshotsConverter(std::optional<int> snapshot_year,
                            const std::vector<std::string>* header,
                            pipeline::ExtraColumns extra_columns)
      : MappedRowConverter(models::analyst_snapshots_model(), header, extra_columns),
        snapshot_year_(snapshot_year),
        year_column_(model_column_index(model(), "snapshot_year")) {}

 protected:
  std::optional<csv::RowError> write_derived(std::size_t column, const csv::CsvRow&,
                                             table::CopyRowWriter& out) const override {
    if (column == year_column_ && snapshot_year_) {
      out.put_int32(*snapshot_year_);
    } else {
      out.put_null();
    }
    return std::nullopt;
  }

 private:
  std::optional<int> snapshot_year_;
  std::size_t year_column_;
};

}  // namespace

std::optional<int> snapshot_year_from_name(std::string_view file_name) {
  file_name = without_gz(file_name);
  constexpr std::string_view kPrefix = "analysts";
  if (file_name.size() < kPrefix.size() + 5) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(file_name[i])) != kPrefix[i]) {
      return std::nullopt;
    }
  }
  const std::string_view rest = file_name.substr(kPrefix.size());
  if (rest[0] != '_' && rest[0] != '-') {
    return std::nullopt;
  }
  int year = 0;
  for (std::size_t i = 1; i <= 4; ++i) {
    if (!is_digit(rest[i])) {
      return std::nullopt;
    }
    year = year * 10 + (rest[i] - '0');
  }
  if (rest.size() > 5 && is_digit(rest[5])) {
    return std::nullopt;
  }
  return year;
}

void register_analyst_snapshots_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "analyst_snapshots",
      .file_patterns = {"analysts*.csv"},
      .header_signature = {},
      .dialect = headerless_dialect(),
      .model = &models::analyst_snapshots_model(),
      .make_converter =
          [](const pipeline::FileContext& file, const std::vector<std::string>* header,
             pipeline::ExtraColumns extra_columns) -> std::unique_ptr<pipeline::RowConverter> {
        const std::string name =
            file.logical_name.empty() ? file.path.filename().string() : file.logical_name;
        return std::make_unique<AnalystSnapshotsConverter>(snapshot_year_from_name(name), header,
                                                           extra_columns);
      },
  }));
}

}  // namespace dp::pipelines
