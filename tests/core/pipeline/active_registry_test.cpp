// The kinds in force are replaced as a whole; whoever took the old set keeps it intact.
#include <doctest/doctest.h>

#include "core/pipeline/active_registry.hpp"
#include "tests/core/ingest/test_kind.hpp"

namespace dp::test {
namespace {

TEST_CASE("a load keeps the kinds it started with while new loads see the replacement") {
  std::shared_ptr<const pipeline::PipelineRegistry> first = people_registry_for_test();
  pipeline::ActiveRegistry active(first);
  const auto in_flight = active.current();
  const pipeline::Pipeline* kind = in_flight->find("people");
  REQUIRE(kind != nullptr);

  first.reset();
  active.replace(std::make_shared<const pipeline::PipelineRegistry>());
  CHECK(active.current()->find("people") == nullptr);
  // The in-flight load's kind is still alive and usable.
  const std::vector<std::string> header{"id", "name", "born"};
  CHECK(kind->make_converter({}, &header, pipeline::ExtraColumns::kFail) != nullptr);
  CHECK(in_flight->all().size() == 1);
}

TEST_CASE("a fixed registry is the caller's and is never freed by the holder") {
  const auto registry = people_registry_for_test();
  {
    const auto active = pipeline::ActiveRegistry::fixed(*registry);
    CHECK(active->current().get() == registry.get());
  }
  CHECK(registry->find("people") != nullptr);
}

}  // namespace
}  // namespace dp::test
