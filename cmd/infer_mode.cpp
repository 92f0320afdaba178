#include "cmd/infer_mode.hpp"

#include "cmd/modes.hpp"
#include "core/infer/kind_draft.hpp"

namespace dp::cmd {

int run_infer(const InferArguments& arguments, std::ostream& out, std::ostream& err) {
  if (!arguments.name.empty() && !infer::is_valid_kind_name(arguments.name)) {
    err << "dataprocessor: --name \"" << arguments.name
        << "\" is not a valid kind name: lower-case letters, digits and _, starting with a "
           "letter\n";
    return kExitUsage;
  }
  infer::InferOptions options;
  options.name = arguments.name;
  options.rows = arguments.rows;
  try {
    out << infer::render_kind_toml(infer::draft_kind(arguments.file, options));
    return kExitOk;
  } catch (const infer::InferError& error) {
    err << "dataprocessor: --infer: " << error.what() << "\n";
  }
  return kExitWorkFailed;
}

}  // namespace dp::cmd
