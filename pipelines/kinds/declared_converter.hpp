#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/pipeline/pipeline.hpp"
#include "pipelines/kinds/kind_declaration.hpp"

namespace dp::pipelines {

/// The one converter of every declared kind: maps the declaration onto the file's header (or
/// positions), reads file-name captures once, and converts each row column by column. The
/// converter shares the declaration, so a re-read of the kinds cannot pull it away mid-file.
/// Throws pipeline::FileRejected when the header lacks a column or a capture does not convert.
std::unique_ptr<pipeline::RowConverter> make_declared_converter(
    std::shared_ptr<const KindDeclaration> kind, const pipeline::FileContext& file,
    const std::vector<std::string>* header, pipeline::ExtraColumns extra_columns);

}  // namespace dp::pipelines
