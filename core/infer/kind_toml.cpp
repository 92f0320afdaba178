// render_kind_toml (declared in kind_draft.hpp): the draft in the kind contract's TOML keys.
#include <fmt/format.h>

#include "core/infer/kind_draft.hpp"
#include "core/table/ddl.hpp"

namespace dp::infer {
namespace {

/// A TOML basic string: quotes, backslashes and control characters escaped, UTF-8 kept.
std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string toml_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : ", ") + toml_string(values[i]);
  }
  return out + "]";
}

/// The contract's type names are PostgreSQL's (the staging DDL's), numeric without its
/// precision (declared apart).
std::string type_name(const table::ColumnModel& model) {
  table::ColumnModel plain = model;
  plain.numeric_precision = 0;
  return table::sql_type(plain);
}

}  // namespace

std::string render_kind_toml(const KindDraft& draft) {
  std::string out;
  out +=
      fmt::format("# Kind drafted by dataprocessor --infer from {}: {} data records sampled{}.\n",
                  draft.file_name, draft.sampled_rows,
                  draft.whole_file ? " (the whole file)" : " from the start of the file");
  out +=
      "# Review the names and types before use: a later file may hold values the sample "
      "did not.\n";
  out += fmt::format("# Line ending: {}. Encoding: the sample is valid UTF-8.\n",
                     describe(draft.dialect.line_ending));
  if (draft.odd_records > 0) {
    out += fmt::format(
        "# Warning: {} sampled records do not have {} fields; a load rejects such records.\n",
        draft.odd_records, draft.columns.size());
  }
  out += fmt::format("name = {}\n", toml_string(draft.name));
  out += fmt::format("table = {}\n", toml_string(draft.name));
  out += fmt::format("patterns = {}\n", toml_array({draft.pattern}));
  if (!draft.signature.empty()) {
    out += fmt::format("header_signature = {}\n", toml_array(draft.signature));
  }
  out += "\n[dialect]\n";
  out += fmt::format("delimiter = {}\n", toml_string(std::string(1, draft.dialect.delimiter)));
  out += fmt::format("quote = {}\n", toml_string(std::string(1, draft.dialect.quote)));
  out += fmt::format("header = {}\n", draft.header ? "true" : "false");
  out += "encoding = \"utf-8\"\n";
  for (const auto& column : draft.columns) {
    const auto& model = column.model;
    out += "\n[[columns]]\n";
    out += fmt::format("name = {}\n", toml_string(model.name));
    out += fmt::format("type = {}\n", toml_string(type_name(model)));
    out += fmt::format("required = {}\n", model.nullable ? "false" : "true");
    if (draft.header && !model.source.empty()) {
      out += fmt::format("from = {}\n", toml_string(model.source));
    } else {
      // Without a header, or under an empty header name, the field is found by its position.
      out += fmt::format("position = {}\n", column.position);
    }
    if (model.type == table::ColumnType::kNumeric && model.numeric_precision > 0) {
      out +=
          fmt::format("precision = {}\nscale = {}\n", model.numeric_precision, model.numeric_scale);
    }
  }
  return out;
}

}  // namespace dp::infer
