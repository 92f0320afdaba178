#pragma once

#include <cstdint>
#include <string>

#include "pipelines/generation/generated_csv_file.hpp"
#include "pipelines/kinds/kind_declaration.hpp"

namespace dp::pipelines::gen {

/// Writes `rows` random rows of any declared kind, with no code of its own: each column gets
/// values of its type and constraints (required never empty, allowed values only, numeric
/// within its precision, text[] spread over the remaining fields), in the kind's dialect; the
/// file name matches the kind's first pattern and every file-name capture. `bad_rows` rows get
/// one field too few or too many. Throws std::invalid_argument when no such name can be made
/// or bad rows cannot be made for the kind.
GeneratedFile generate_declared(const GeneratorContext& context, const KindDeclaration& kind,
                                std::uint64_t rows, std::uint64_t bad_rows);

/// The file name generate_declared uses for `kind`.
std::string declared_file_name(const KindDeclaration& kind);

}  // namespace dp::pipelines::gen
