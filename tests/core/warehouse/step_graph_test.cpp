#include "core/warehouse/step_graph.hpp"

#include <doctest/doctest.h>

using dp::warehouse::ManifestError;
using dp::warehouse::StepGraph;
using dp::warehouse::StepSpec;

namespace {

StepSpec step(const std::string& name, std::vector<std::string> depends_on = {}) {
  StepSpec spec;
  spec.name = name;
  spec.depends_on = std::move(depends_on);
  return spec;
}

}  // namespace

TEST_CASE("dependencies and dependents are indexed by manifest position") {
  const StepGraph graph(
      {step("fact", {"dim_a", "dim_b"}), step("dim_a"), step("dim_b", {"dim_a"})});
  CHECK(graph.size() == 3);
  CHECK(graph.dependencies(0) == std::vector<std::size_t>{1, 2});
  CHECK(graph.dependents(1) == std::vector<std::size_t>{0, 2});
  CHECK(graph.dependents(0).empty());
  // Every step after its dependencies; among independent steps, manifest order.
  CHECK(graph.sequential_order() == std::vector<std::size_t>{1, 2, 0});
}

TEST_CASE("all_dependents follows the graph transitively, each step once") {
  const StepGraph graph(
      {step("a"), step("b", {"a"}), step("c", {"b"}), step("d", {"a", "c"}), step("e")});
  CHECK(graph.all_dependents(0) == std::vector<std::size_t>{1, 2, 3});
  CHECK(graph.all_dependents(2) == std::vector<std::size_t>{3});
  CHECK(graph.all_dependents(4).empty());
}

TEST_CASE("cycles of any length are rejected, including through a long chain") {
  CHECK_THROWS_WITH_AS(StepGraph({step("a", {"b"}), step("b", {"a"})}),
                       doctest::Contains("dependency cycle"), ManifestError);
  std::vector<StepSpec> chain;
  for (int i = 0; i < 500; ++i) {
    chain.push_back(step("s" + std::to_string(i), {"s" + std::to_string((i + 1) % 500)}));
  }
  CHECK_THROWS_WITH_AS(StepGraph{chain}, doctest::Contains("s0 -> s1 -> s2"), ManifestError);
  chain.back().depends_on.clear();  // s499 needs nothing now: a valid 500-step chain
  CHECK(StepGraph(chain).sequential_order().front() == 499);
}

TEST_CASE("a cycle behind a valid prefix is still found") {
  CHECK_THROWS_WITH_AS(
      StepGraph({step("root"), step("x", {"root", "z"}), step("y", {"x"}), step("z", {"y"})}),
      doctest::Contains("x -> z -> y -> x"), ManifestError);
}

TEST_CASE("unknown and self dependencies are rejected") {
  CHECK_THROWS_WITH_AS(StepGraph({step("a", {"nope"})}),
                       "step a depends on nope, which is not a step", ManifestError);
  CHECK_THROWS_WITH_AS(StepGraph({step("a", {"a"})}), "step a depends on itself", ManifestError);
}
