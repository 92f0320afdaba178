#pragma once

#include <memory>

#include "core/pipeline/model_converter.hpp"
#include "core/pipeline/pipeline.hpp"
#include "core/pipeline/pipeline_registry.hpp"

namespace dp::test {

/// A small kind that exists only in the engine's tests (core knows no real kinds):
/// `people*.csv` with header `id,name,born` into staging.people.
class PeoplePipeline : public pipeline::Pipeline {
 public:
  std::string_view name() const override { return "people"; }
  std::vector<std::string> file_patterns() const override { return {"people*.csv"}; }
  std::vector<std::string> header_signature() const override { return {"id", "name", "born"}; }
  const table::TableModel& staging_model() const override {
    static const table::TableModel model{"people",
                                         {{"id", table::ColumnType::kInt64, false, "id", 0, 0},
                                          {"name", table::ColumnType::kText, true, "name", 0, 0},
                                          {"born", table::ColumnType::kDate, true, "born", 0, 0}}};
    return model;
  }
  std::unique_ptr<pipeline::RowConverter> make_converter(
      const pipeline::FileContext&, const std::vector<std::string>* header,
      pipeline::ExtraColumns extra) const override {
    return pipeline::make_model_converter(staging_model(), header, extra);
  }
};

/// A registry holding only the test kind.
inline std::unique_ptr<pipeline::PipelineRegistry> people_registry_for_test() {
  auto registry = std::make_unique<pipeline::PipelineRegistry>();
  registry->add(std::make_unique<PeoplePipeline>());
  return registry;
}

}  // namespace dp::test
