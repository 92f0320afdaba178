#include "pipelines/kinds/kind_file_parser.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/pipeline/model_converter.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/message_text.hpp"

namespace dp::pipelines {
namespace {

using table::ColumnType;

constexpr std::string_view kTypeList =
    "text, integer, bigint, numeric, numeric(p,s), boolean, date, timestamp, timestamptz, text[]";

/// Reads one TOML file's keys, raising errors that say where the offending key is.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const toml::node* node, std::string_view key,
                         const std::string& message) const {
    const int line = node != nullptr ? static_cast<int>(node->source().begin.line) : 0;
    throw KindFileError(
        fmt::format("{}:{}: {}{}{}", source_, line, key, key.empty() ? "" : ": ", message));
  }

  void only_keys(const toml::table& table, std::string_view prefix,
                 const std::set<std::string, std::less<>>& known) const {
    for (auto&& [key, node] : table) {
      if (!known.contains(key.str())) {
        std::string list;
        for (const std::string& name : known) {
          list += (list.empty() ? "" : ", ") + name;
        }
        fail(&node, std::string(prefix) + std::string(key.str()),
             fmt::format("unknown key (known here: {})", list));
      }
    }
  }

  /// The value of `key` when present; fails naming the key when it has another TOML type.
  template <typename T>
  std::optional<T> typed(const toml::table& table, std::string_view key, std::string_view where,
                         const char* expected) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    const auto* value = node->as<T>();
    if (value == nullptr) {
      fail(node, std::string(where) + std::string(key), expected);
    }
    return value->get();
  }

  std::optional<std::string> text(const toml::table& table, std::string_view key,
                                  std::string_view where) const {
    return typed<std::string>(table, key, where, "must be a string");
  }

  std::optional<bool> flag(const toml::table& table, std::string_view key,
                           std::string_view where) const {
    return typed<bool>(table, key, where, "must be true or false");
  }

  std::optional<std::int64_t> number(const toml::table& table, std::string_view key,
                                     std::string_view where) const {
    return typed<std::int64_t>(table, key, where, "must be an integer");
  }

  std::vector<std::string> texts(const toml::table& table, std::string_view key,
                                 std::string_view where) const {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      return out;
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
      fail(node, std::string(where) + std::string(key), "must be an array of strings");
    }
    for (const toml::node& item : *array) {
      const auto* value = item.as_string();
      if (value == nullptr) {
        fail(&item, std::string(where) + std::string(key), "must hold strings only");
      }
      out.push_back(value->get());
    }
    return out;
  }

  const std::string& source() const { return source_; }

 private:
  std::string source_;
};

bool valid_identifier(std::string_view name) {
  if (name.empty() || name.size() > 63 || !(name[0] >= 'a' && name[0] <= 'z')) {
    return false;
  }
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

/// One character of a dialect: `","`, `"\t"`, `"'"`.
char dialect_char(const Reader& reader, const toml::table& dialect, std::string_view key,
                  char fallback) {
  const auto value = reader.text(dialect, key, "dialect.");
  if (!value) {
    return fallback;
  }
  if (value->size() != 1 || (*value)[0] == '\n' || (*value)[0] == '\r') {
    reader.fail(dialect.get(key), "dialect." + std::string(key),
                "must be one character other than a line break (\"\\t\" for a tab)");
  }
  return (*value)[0];
}

pipeline::CsvDialect read_dialect(const Reader& reader, const toml::table& root) {
  pipeline::CsvDialect dialect;
  const toml::node* node = root.get("dialect");
  if (node == nullptr) {
    return dialect;
  }
  const auto* table = node->as_table();
  if (table == nullptr) {
    reader.fail(node, "dialect", "must be a table ([dialect])");
  }
  reader.only_keys(*table, "dialect.", {"delimiter", "quote", "header", "encoding"});
  dialect.delimiter = dialect_char(reader, *table, "delimiter", ',');
  dialect.quote = dialect_char(reader, *table, "quote", '"');
  if (dialect.delimiter == dialect.quote) {
    reader.fail(table->get("quote"), "dialect.quote", "must differ from the delimiter");
  }
  dialect.has_header = reader.flag(*table, "header", "dialect.").value_or(true);
  if (const auto encoding = reader.text(*table, "encoding", "dialect.")) {
    std::string lower;
    for (const char c : *encoding) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower != "utf-8" && lower != "utf8") {
      reader.fail(table->get("encoding"), "dialect.encoding",
                  "\"" + *encoding +
                      "\" is not supported (only \"utf-8\" is, which the reader "
                      "checks)");
    }
  }
  return dialect;
}

/// Checks that a value given in the declaration (default, allowed) converts with the column's
/// type, so that a typo fails at start-up rather than on every row.
void check_literal(const Reader& reader, const toml::node* node, const std::string& key,
                   const table::ColumnModel& column, const std::string& text) {
  if (column.type == ColumnType::kTextArray) {
    reader.fail(node, key, "a text[] column takes no literal values");
  }
  table::CopyRowWriter scratch;
  scratch.begin_row(1);
  table::ColumnModel nullable = column;
  nullable.nullable = true;
  if (auto problem = pipeline::write_value(nullable, text, scratch)) {
    reader.fail(node, key, *problem);
  }
}

DeclaredColumn read_column(const Reader& reader, const toml::table& table, std::size_t index,
                           const pipeline::CsvDialect& dialect) {
  const std::string where = fmt::format("columns[{}].", index + 1);
  reader.only_keys(table, where,
                   {"name", "type", "required", "from", "position", "precision", "scale", "collect",
                    "max_items", "convert", "from_file_name", "capture", "trim", "null_if",
                    "default", "allowed", "description"});
  DeclaredColumn column;
  column.line = static_cast<int>(table.source().begin.line);
  const auto name = reader.text(table, "name", where);
  if (!name || !valid_identifier(*name)) {
    reader.fail(name ? table.get("name") : &table, where + "name",
                "every column needs name = \"...\" in snake_case ([a-z][a-z0-9_]*)");
  }
  column.model.name = *name;
  const auto type = reader.text(table, "type", where);
  if (!type) {
    reader.fail(&table, where + "type",
                "column " + *name + " needs type = \"...\" (" + std::string(kTypeList) + ")");
  }
  if (!parse_column_type(*type, column.model)) {
    reader.fail(table.get("type"), where + "type",
                "unknown type \"" + *type + "\" (known: " + std::string(kTypeList) + ")");
  }
  const auto precision = reader.number(table, "precision", where);
  const auto scale = reader.number(table, "scale", where);
  if (precision || scale) {
    if (column.model.type != ColumnType::kNumeric || column.model.numeric_precision > 0) {
      reader.fail(table.get(precision ? "precision" : "scale"),
                  where + (precision ? "precision" : "scale"),
                  "only a plain numeric column takes precision and scale");
    }
    if (!precision || *precision < 1 || *precision > 1000 || scale.value_or(0) < 0 ||
        scale.value_or(0) > *precision) {
      reader.fail(table.get(precision ? "precision" : "scale"),
                  where + (precision ? "precision" : "scale"),
                  "numeric needs 1 <= precision <= 1000 and 0 <= scale <= precision");
    }
    column.model.numeric_precision = static_cast<int>(*precision);
    column.model.numeric_scale = static_cast<int>(scale.value_or(0));
  }
  column.model.nullable = !reader.flag(table, "required", where).value_or(false);

  const auto from = reader.text(table, "from", where);
  const auto position = reader.number(table, "position", where);
  const auto file_name = reader.text(table, "from_file_name", where);
  const int origins = (from ? 1 : 0) + (position ? 1 : 0) + (file_name ? 1 : 0);
  if (origins != 1) {
    reader.fail(&table, where + "from",
                "column " + *name +
                    " needs exactly one of from = \"<header name>\", position = N or "
                    "from_file_name = \"<regex>\"");
  }
  if (from) {
    if (!dialect.has_header) {
      reader.fail(table.get("from"), where + "from",
                  "the kind's files have no header ([dialect] header = false): use position");
    }
    if (from->empty()) {
      reader.fail(table.get("from"), where + "from", "must name a header column");
    }
    column.model.source = *from;
  }
  if (position) {
    if (*position < 1 || *position > 1600) {
      reader.fail(table.get("position"), where + "position", "must be between 1 and 1600");
    }
    column.position = static_cast<int>(*position);
    column.model.source = column.model.name;
  }
  if (file_name) {
    column.origin = ValueOrigin::kFileName;
    column.file_name_pattern_text = *file_name;
    try {
      column.file_name_pattern = std::make_shared<const std::regex>(
          *file_name, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& error) {
      reader.fail(
          table.get("from_file_name"), where + "from_file_name",
          "the regular expression \"" + *file_name + "\" does not compile: " + error.what());
    }
    column.capture = static_cast<int>(reader.number(table, "capture", where).value_or(1));
    if (column.capture < 0 ||
        static_cast<std::size_t>(column.capture) > column.file_name_pattern->mark_count()) {
      reader.fail(
          table.get("capture") != nullptr ? table.get("capture") : table.get("from_file_name"),
          where + "capture",
          fmt::format("the expression has {} capture group(s); capture = {} names none",
                      column.file_name_pattern->mark_count(), column.capture));
    }
  } else if (table.get("capture") != nullptr) {
    reader.fail(table.get("capture"), where + "capture", "only a from_file_name column has one");
  }

  if (const auto collect = reader.text(table, "collect", where)) {
    if (*collect != "remaining") {
      reader.fail(table.get("collect"), where + "collect",
                  "\"" + *collect + "\" is not known (collect = \"remaining\")");
    }
    if (column.model.type != ColumnType::kTextArray || column.origin == ValueOrigin::kFileName) {
      reader.fail(table.get("collect"), where + "collect",
                  "collects fields into a text[] column read from a field (type = \"text[]\")");
    }
    column.origin = ValueOrigin::kRemainingFields;
    const auto max_items = reader.number(table, "max_items", where).value_or(0);
    if (max_items < 0) {
      reader.fail(table.get("max_items"), where + "max_items", "must not be negative");
    }
    column.max_items = static_cast<std::size_t>(max_items);
  } else {
    if (table.get("max_items") != nullptr) {
      reader.fail(table.get("max_items"), where + "max_items", "only a collect column has one");
    }
    if (column.model.type == ColumnType::kTextArray) {
      reader.fail(table.get("type"), where + "type",
                  "a text[] column is filled by collect = \"remaining\"");
    }
  }

  if (const auto convert = reader.text(table, "convert", where)) {
    if (*convert != "epoch_seconds") {
      reader.fail(table.get("convert"), where + "convert",
                  "\"" + *convert + "\" is not known (convert = \"epoch_seconds\")");
    }
    if (column.model.type != ColumnType::kTimestampTz &&
        column.model.type != ColumnType::kTimestamp) {
      reader.fail(table.get("convert"), where + "convert",
                  "epoch_seconds makes a timestamptz (or timestamp) column");
    }
    column.conversion = ValueConversion::kEpochSeconds;
  }
  column.trim = reader.flag(table, "trim", where).value_or(false);
  column.null_if = reader.texts(table, "null_if", where);
  column.allowed = reader.texts(table, "allowed", where);
  for (const std::string& value : column.allowed) {
    if (column.conversion == ValueConversion::kAsWritten) {
      check_literal(reader, table.get("allowed"), where + "allowed", column.model, value);
    }
  }
  if (const toml::node* node = table.get("default"); node != nullptr) {
    if (const auto* text = node->as_string()) {
      column.default_value = text->get();
    } else if (const auto* integer = node->as_integer()) {
      column.default_value = std::to_string(integer->get());
    } else if (const auto* boolean = node->as_boolean()) {
      column.default_value = boolean->get() ? "true" : "false";
    } else if (const auto* real = node->as_floating_point()) {
      column.default_value = fmt::format("{}", real->get());
    } else {
      reader.fail(node, where + "default", "must be a string, an integer, a number or a boolean");
    }
    if (column.conversion == ValueConversion::kAsWritten) {
      check_literal(reader, node, where + "default", column.model, *column.default_value);
    }
  }
  if (column.origin == ValueOrigin::kRemainingFields &&
      (column.trim || !column.null_if.empty() || column.default_value || !column.allowed.empty() ||
       column.conversion != ValueConversion::kAsWritten)) {
    reader.fail(&table, where + "collect",
                "a collect column takes no trim, null_if, default, allowed or convert (its values "
                "are always trimmed and empties dropped)");
  }
  return column;
}

void check_unique(const Reader& reader, const toml::array& columns,
                  const std::vector<DeclaredColumn>& declared) {
  std::set<std::string, std::less<>> names;
  std::set<int> positions;
  bool collect_seen = false;
  for (std::size_t i = 0; i < declared.size(); ++i) {
    const DeclaredColumn& column = declared[i];
    const std::string where = fmt::format("columns[{}].", i + 1);
    if (!names.insert(column.model.name).second || column.model.name == table::kFileIdColumn ||
        column.model.name == table::kLineNoColumn) {
      reader.fail(columns.get(i), where + "name",
                  "column " + column.model.name +
                      " is declared twice (file_id and line_no are the lineage columns)");
    }
    if (column.position > 0 && !positions.insert(column.position).second) {
      reader.fail(columns.get(i), where + "position",
                  fmt::format("position {} is taken by another column", column.position));
    }
    if (column.origin == ValueOrigin::kRemainingFields) {
      if (collect_seen) {
        reader.fail(columns.get(i), where + "collect", "only one column may collect");
      }
      collect_seen = true;
    }
  }
}

}  // namespace

bool parse_column_type(std::string_view text, table::ColumnModel& column) {
  static const std::vector<std::pair<std::string_view, ColumnType>> kTypes = {
      {"text", ColumnType::kText},           {"integer", ColumnType::kInt32},
      {"bigint", ColumnType::kInt64},        {"numeric", ColumnType::kNumeric},
      {"boolean", ColumnType::kBoolean},     {"date", ColumnType::kDate},
      {"timestamp", ColumnType::kTimestamp}, {"timestamptz", ColumnType::kTimestampTz},
      {"text[]", ColumnType::kTextArray},
  };
  for (const auto& [name, type] : kTypes) {
    if (text == name) {
      column.type = type;
      return true;
    }
  }
  int precision = 0;
  int scale = 0;
  char close = 0;
  std::string spelled(text);
  if (std::sscanf(spelled.c_str(), "numeric(%d,%d%c", &precision, &scale, &close) == 3 &&
      close == ')' && precision >= 1 && precision <= 1000 && scale >= 0 && scale <= precision &&
      spelled == fmt::format("numeric({},{})", precision, scale)) {
    column.type = ColumnType::kNumeric;
    column.numeric_precision = precision;
    column.numeric_scale = scale;
    return true;
  }
  return false;
}

KindDeclaration parse_kind(std::string_view toml_text, const std::string& source) {
  const Reader reader(source);
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& error) {
    throw KindFileError(fmt::format("{}:{}: {} (column {})", source, error.source().begin.line,
                                    error.description(), error.source().begin.column));
  }
  reader.only_keys(
      root, "",
      {"name", "table", "description", "patterns", "header_signature", "dialect", "columns"});
  KindDeclaration kind;
  kind.source = source;
  const auto name = reader.text(root, "name", "");
  if (!name || !valid_identifier(*name)) {
    reader.fail(name ? root.get("name") : nullptr, "name",
                "a kind needs name = \"...\" made of [a-z][a-z0-9_]*");
  }
  kind.name = *name;
  const auto line_of = [&](std::string_view key) {
    const toml::node* node = root.get(key);
    return node != nullptr ? static_cast<int>(node->source().begin.line) : 0;
  };
  kind.name_line = line_of("name");
  kind.table_line = line_of("table") > 0 ? line_of("table") : kind.name_line;
  kind.patterns_line = line_of("patterns");
  kind.model.table = reader.text(root, "table", "").value_or(kind.name);
  if (!valid_identifier(kind.model.table)) {
    reader.fail(root.get("table"), "table", "the staging table name must be [a-z][a-z0-9_]*");
  }
  kind.description = reader.text(root, "description", "").value_or("");
  kind.patterns = reader.texts(root, "patterns", "");
  if (kind.patterns.empty()) {
    reader.fail(root.get("patterns"), "patterns",
                "a kind needs patterns = [\"name*.csv\", ...] (globs on the file name)");
  }
  for (const std::string& pattern : kind.patterns) {
    if (pattern.empty() || pattern.find('/') != std::string::npos) {
      reader.fail(root.get("patterns"), "patterns",
                  "\"" + pattern + "\" is not a file-name glob (no '/', not empty)");
    }
  }
  kind.header_signature = reader.texts(root, "header_signature", "");
  kind.dialect = read_dialect(reader, root);
  if (!kind.dialect.has_header && !kind.header_signature.empty()) {
    reader.fail(root.get("header_signature"), "header_signature",
                "a kind without a header ([dialect] header = false) cannot be told by one");
  }
  const toml::node* columns_node = root.get("columns");
  const auto* columns = columns_node != nullptr ? columns_node->as_array() : nullptr;
  if (columns == nullptr || columns->empty()) {
    reader.fail(columns_node, "columns", "a kind needs at least one [[columns]] table");
  }
  for (std::size_t i = 0; i < columns->size(); ++i) {
    const auto* table = columns->get(i)->as_table();
    if (table == nullptr) {
      reader.fail(columns->get(i), fmt::format("columns[{}]", i + 1),
                  "must be a table ([[columns]])");
    }
    kind.columns.push_back(read_column(reader, *table, i, kind.dialect));
    if (!kind.dialect.has_header && kind.columns.back().origin != ValueOrigin::kFileName &&
        kind.columns.back().position == 0) {
      reader.fail(table, fmt::format("columns[{}].position", i + 1),
                  "the kind's files have no header: the column needs position = N");
    }
  }
  check_unique(reader, *columns, kind.columns);
  for (const DeclaredColumn& column : kind.columns) {
    kind.model.columns.push_back(column.model);
  }
  return kind;
}

KindDeclaration parse_kind_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw KindFileError(path.string() + ": cannot read the kind file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_kind(text.str(), path.string());
}

}  // namespace dp::pipelines
