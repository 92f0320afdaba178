#include "pipelines/common/declared_pipeline.hpp"

#include <stdexcept>
#include <utility>

#include "core/table/model_converter.hpp"

namespace dp::pipelines {

DeclaredPipeline::DeclaredPipeline(PipelineDeclaration declaration)
    : declaration_(std::move(declaration)) {
  if (declaration_.name.empty() || declaration_.file_patterns.empty() ||
      declaration_.model == nullptr) {
    throw std::logic_error("pipeline declaration '" + declaration_.name +
                           "' needs a name, a file pattern and a staging model");
  }
}

std::unique_ptr<pipeline::RowConverter> DeclaredPipeline::make_converter(
    const pipeline::FileContext& file, const std::vector<std::string>* header,
    pipeline::ExtraColumns extra_columns) const {
  if (declaration_.make_converter) {
    return declaration_.make_converter(file, header, extra_columns);
  }
  return table::make_model_converter(*declaration_.model, header, extra_columns);
}

pipeline::CsvDialect headerless_dialect() {
  pipeline::CsvDialect dialect;
  dialect.has_header = false;
  return dialect;
}

}  // namespace dp::pipelines
