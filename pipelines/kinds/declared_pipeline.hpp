#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/pipeline.hpp"
#include "pipelines/kinds/kind_declaration.hpp"

namespace dp::pipelines {

/// A Pipeline whose every answer comes from a kind's TOML declaration. The declaration is held
/// by shared_ptr so that a load that started before a SIGHUP re-read finishes with it.
class DeclaredPipeline final : public pipeline::Pipeline {
 public:
  explicit DeclaredPipeline(std::shared_ptr<const KindDeclaration> declaration);

  std::string_view name() const override { return declaration_->name; }
  std::vector<std::string> file_patterns() const override { return declaration_->patterns; }
  std::vector<std::string> header_signature() const override {
    return declaration_->header_signature;
  }
  pipeline::CsvDialect dialect() const override { return declaration_->dialect; }
  std::string source() const override { return declaration_->source; }
  const table::TableModel& staging_model() const override { return declaration_->model; }
  std::unique_ptr<pipeline::RowConverter> make_converter(
      const pipeline::FileContext& file, const std::vector<std::string>* header,
      pipeline::ExtraColumns extra_columns) const override;

  /// The declaration itself (for --kinds, --generate and validation).
  const KindDeclaration& declaration() const { return *declaration_; }

 private:
  std::shared_ptr<const KindDeclaration> declaration_;
};

}  // namespace dp::pipelines
