// --generate for any declared kind with no code of its own: random values of each column's type
// and constraints that the kind's own converter accepts, in the kind's dialect, under a name
// its pattern and file-name captures accept.
#include <doctest/doctest.h>

#include "pipelines/generation/declared_generator.hpp"
#include "pipelines/kinds/declared_pipeline.hpp"
#include "pipelines/kinds/kind_file_parser.hpp"
#include "pipelines/register_all.hpp"
#include "tests/pipelines/generators/generator_test_support.hpp"

namespace dp::test {
namespace {

constexpr const char* kOrders = R"toml(name = "orders"
patterns = ["orders_*.csv"]

[dialect]
delimiter = ";"

[[columns]]
name = "order_id"
type = "bigint"
required = true
from = "order_id"

[[columns]]
name = "status"
type = "text"
required = true
from = "status"
allowed = ["open", "paid"]

[[columns]]
name = "amount"
type = "numeric(6,2)"
from = "amount"

[[columns]]
name = "placed"
type = "timestamptz"
from = "placed"

[[columns]]
name = "paid"
type = "boolean"
from = "paid"

[[columns]]
name = "day"
type = "date"
from = "day"

[[columns]]
name = "region_code"
type = "integer"
required = true
from_file_name = "^orders_([0-9]+)_"

[[columns]]
name = "tags"
type = "text[]"
from = "tags"
collect = "remaining"
max_items = 2
)toml";

pipelines::gen::GeneratorContext context_for(const TempDir& dir) {
  pipelines::gen::GeneratorContext context;
  context.out = dir.path();
  return context;
}

TEST_CASE("a user kind's generated file loads with no reject, allowed values and captures kept") {
  const auto declaration = std::make_shared<const pipelines::KindDeclaration>(
      pipelines::parse_kind(kOrders, "orders.toml"));
  const pipelines::DeclaredPipeline kind(declaration);
  TempDir dir;
  const auto file = pipelines::gen::generate_declared(context_for(dir), *declaration, 2000, 0);
  CHECK(file.path.filename().string().starts_with("orders_"));
  CHECK(file.rows == 2000);
  const auto converted = convert_file(file.path, kind);
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 2000);
  TestDatabase db;
  REQUIRE(load_into(db, kind, converted) == 2000);
  CHECK(db.scalar("SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM staging.orders") ==
        "open,paid");
  CHECK(db.scalar("SELECT count(*) FROM staging.orders WHERE region_code IS NULL") == "0");
  CHECK(db.scalar("SELECT max(cardinality(tags)) FROM staging.orders") == "2");
  CHECK(db.scalar("SELECT count(*) > 0 FROM staging.orders WHERE amount IS NULL") == "t");
}

TEST_CASE("the declared generator serves every built-in kind too: no reject from its converter") {
  for (const auto& declaration : pipelines::read_kinds({})) {
    CAPTURE(declaration->name);
    const pipelines::DeclaredPipeline kind(declaration);
    TempDir dir;
    const auto file = pipelines::gen::generate_declared(context_for(dir), *declaration, 500, 0);
    REQUIRE(all_kinds().match_name(file.path.filename().string()).size() == 1);
    const auto converted = convert_file(file.path, kind);
    CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
    CHECK(converted.rows == 500);
  }
}

TEST_CASE("bad rows of a declared kind are rejected on the lines the manifest names") {
  const auto declaration = pipelines::read_kinds({}).front();
  const pipelines::DeclaredPipeline kind(declaration);
  TempDir dir;
  const auto file = pipelines::gen::generate_declared(context_for(dir), *declaration, 300, 7);
  const auto converted = convert_file(file.path, kind);
  CHECK(converted.reject_lines() == manifest_lines(file.bad_rows_manifest));
  CHECK(converted.rejects.size() == 7);
}

TEST_CASE("--generate takes a kind from kinds_dir by name, with no code for it") {
  TempDir kinds;
  std::ofstream(kinds.path() / "orders.toml") << kOrders;
  const auto registry = pipelines::load_kinds(kinds.path());
  const auto names = pipelines::generator_names(registry.get());
  CHECK(std::find(names.begin(), names.end(), "orders") != names.end());
  TempDir out;
  pipelines::GenerateRequest request;
  request.kind = "orders";
  request.rows = 10;
  request.out = out.path();
  request.show_progress = false;
  request.kinds = registry.get();
  const auto files = pipelines::generate_files(request);
  REQUIRE(files.size() == 1);
  CHECK(files.front().rows == 10);
}

}  // namespace
}  // namespace dp::test
