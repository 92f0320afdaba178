#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/pipeline.hpp"
#include "core/table/table_model.hpp"

namespace dp::pipelines {

/// Builds a kind's per-file converter; the header is null for headerless dialects.
using ConverterFactory = std::function<std::unique_ptr<pipeline::RowConverter>(
    const pipeline::FileContext& file, const std::vector<std::string>* header,
    pipeline::ExtraColumns extra_columns)>;

/// Everything a kind declares, written as data, so that a kind's file states its facts once
/// instead of repeating the Pipeline boilerplate.
struct PipelineDeclaration {
  /// Kind name for the ledger and settings; equal to the staging table's name for every kind.
  std::string name;
  /// Case-insensitive globs on the file name without `.gz`.
  std::vector<std::string> file_patterns;
  /// Leading header names that identify the kind when its file name does not.
  std::vector<std::string> header_signature;
  pipeline::CsvDialect dialect;
  /// The staging model from models/; must outlive the pipeline (models are static).
  const table::TableModel* model = nullptr;
  /// The kind's own converter; when empty, table::make_model_converter is used.
  ConverterFactory make_converter;
};

/// A Pipeline whose every answer comes from a PipelineDeclaration.
class DeclaredPipeline final : public pipeline::Pipeline {
 public:
  /// Throws std::logic_error when the declaration has no name, no pattern or no model.
  explicit DeclaredPipeline(PipelineDeclaration declaration);

  std::string_view name() const override { return declaration_.name; }
  std::vector<std::string> file_patterns() const override { return declaration_.file_patterns; }
  std::vector<std::string> header_signature() const override {
    return declaration_.header_signature;
  }
  pipeline::CsvDialect dialect() const override { return declaration_.dialect; }
  const table::TableModel& staging_model() const override { return *declaration_.model; }
  std::unique_ptr<pipeline::RowConverter> make_converter(
      const pipeline::FileContext& file, const std::vector<std::string>* header,
      pipeline::ExtraColumns extra_columns) const override;

 private:
  PipelineDeclaration declaration_;
};

/// The dialect of the support-desk extracts: comma, double quote, no header line.
pipeline::CsvDialect headerless_dialect();

}  // namespace dp::pipelines
