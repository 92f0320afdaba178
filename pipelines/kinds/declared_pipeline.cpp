#include "pipelines/kinds/declared_pipeline.hpp"

#include <utility>

#include "pipelines/kinds/declared_converter.hpp"

namespace dp::pipelines {

DeclaredPipeline::DeclaredPipeline(std::shared_ptr<const KindDeclaration> declaration)
    : declaration_(std::move(declaration)) {}

std::unique_ptr<pipeline::RowConverter> DeclaredPipeline::make_converter(
    const pipeline::FileContext& file, const std::vector<std::string>* header,
    pipeline::ExtraColumns extra_columns) const {
  return make_declared_converter(declaration_, file, header, extra_columns);
}

}  // namespace dp::pipelines
