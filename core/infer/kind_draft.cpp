#include "core/infer/kind_draft.hpp"

#include <map>
#include <memory>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"
#include "core/csv/utf8.hpp"
#include "core/infer/column_names.hpp"
#include "core/infer/header_detector.hpp"
#include "core/infer/type_ladder.hpp"
#include "core/pipeline/model_converter.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/parse_support.hpp"

namespace dp::infer {
namespace {

/// Bytes the dialect is sniffed from: thousands of records of any usual feed.
constexpr std::size_t kSniffBytes = 1024 * 1024;

using Record = std::vector<std::string>;

/// The sample up to its last complete line when it is only the start of the file.
std::string_view complete_lines(std::string_view bytes, bool truncated) {
  if (!truncated) {
    return bytes;
  }
  const auto last = bytes.rfind('\n');
  return last == std::string_view::npos ? bytes : bytes.substr(0, last + 1);
}

void check_utf8(const std::string& file_name, std::string_view bytes) {
  const std::size_t bad = csv::find_invalid_utf8(bytes);
  if (bad == csv::kNoUtf8Error) {
    return;
  }
  std::uint64_t line = 1;
  for (std::size_t i = 0; i < bad; ++i) {
    line += bytes[i] == '\n' ? 1 : 0;
  }
  throw InferError(file_name + ": not valid UTF-8 at byte " + std::to_string(bad) + " (line " +
                   std::to_string(line) +
                   "); the loader reads UTF-8 only: convert the file first, e.g. iconv -f "
                   "WINDOWS-1252 -t UTF-8");
}

/// Up to `limit` records with the chosen dialect; a bad record ends the draft with its reason.
std::vector<Record> read_records(const std::string& file_name,
                                 std::unique_ptr<csv::ByteSource> source, const Dialect& dialect,
                                 std::uint64_t limit, bool& reached_end) {
  csv::CsvReaderOptions options;
  options.delimiter = dialect.delimiter;
  options.quote = dialect.quote;
  csv::CsvReader reader(std::move(source), options);
  std::vector<Record> records;
  csv::CsvRow row;
  csv::RowError error;
  reached_end = false;
  while (records.size() < limit) {
    const auto status = reader.next(row, error);
    if (status == csv::ReadStatus::kEnd) {
      reached_end = true;
      break;
    }
    if (status == csv::ReadStatus::kError) {
      throw InferError(file_name + ": line " + std::to_string(error.line) + ": " + error.message);
    }
    records.emplace_back(row.fields.begin(), row.fields.end());
  }
  if (!reached_end) {
    reached_end = reader.next(row, error) == csv::ReadStatus::kEnd;
  }
  return records;
}

/// The most common field count of the records: the draft's number of columns.
std::size_t modal_field_count(const std::vector<Record>& records) {
  std::map<std::size_t, std::size_t> frequency;
  for (const auto& record : records) {
    ++frequency[record.size()];
  }
  std::size_t best = 0;
  std::size_t best_records = 0;
  for (const auto& [fields, count] : frequency) {
    if (count > best_records) {
      best = fields;
      best_records = count;
    }
  }
  return best;
}

std::vector<InferredType> infer_types(const std::vector<Record>& records, std::size_t first,
                                      std::size_t fields) {
  std::vector<TypeLadder> ladders(fields);
  for (std::size_t r = first; r < records.size(); ++r) {
    if (records[r].size() != fields) {
      continue;
    }
    for (std::size_t i = 0; i < fields; ++i) {
      ladders[i].add(records[r][i]);
    }
  }
  std::vector<InferredType> types;
  for (const auto& ladder : ladders) {
    types.push_back(ladder.result());
  }
  return types;
}

table::ColumnModel column_model(const std::string& name, const InferredType& type) {
  table::ColumnModel model;
  model.name = name;
  model.type = type.type;
  model.nullable = !type.required;
  model.numeric_precision = type.precision;
  model.numeric_scale = type.scale;
  return model;
}

/// Whether the loader's own conversion (what a load runs) accepts every sampled value.
bool loads_every_value(const table::ColumnModel& model, const std::vector<Record>& records,
                       std::size_t first, std::size_t field) {
  table::CopyRowWriter writer;
  for (std::size_t r = first; r < records.size(); ++r) {
    if (records[r].size() <= field) {
      continue;
    }
    writer.begin_row(1);
    const bool failed = pipeline::write_value(model, records[r][field], writer).has_value();
    writer.abandon_row();
    if (failed) {
      return false;
    }
  }
  return true;
}

Dialect sniff(const std::string& file_name, std::string_view sample, bool truncated) {
  check_utf8(file_name, sample);
  const Dialect dialect = sniff_dialect(sample, truncated);
  if (dialect.line_ending == LineEnding::kCr) {
    throw InferError(file_name +
                     ": records end with a bare CR (old Mac line endings); the reader ends "
                     "records at LF or CRLF: convert the file first, e.g. tr '\\r' '\\n'");
  }
  return dialect;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') {
    return false;
  }
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

/// The draft from the first records of `source` read with `dialect`.
KindDraft draft_from_records(const std::string& file_name, const Dialect& dialect,
                             std::unique_ptr<csv::ByteSource> source, const InferOptions& options) {
  KindDraft draft;
  draft.file_name = file_name;
  draft.name = options.name.empty() ? kind_name_from_file(file_name) : options.name;
  if (!valid_name(draft.name)) {
    throw InferError("kind name \"" + draft.name +
                     "\" is not valid: use lower-case letters, digits and _, starting with a "
                     "letter (--name KIND)");
  }
  draft.pattern = file_pattern(file_name);
  draft.dialect = dialect;
  bool reached_end = false;
  auto records = read_records(file_name, std::move(source), dialect, options.rows + 1, reached_end);
  if (records.empty()) {
    throw InferError(file_name + ": the file holds no records to infer a kind from");
  }
  const std::size_t fields = modal_field_count(records);
  const auto body_types = infer_types(records, 1, fields);
  draft.header =
      records[0].size() == fields && looks_like_header(records[0], body_types, records.size() > 1);
  if (!draft.header && records.size() > options.rows) {
    records.pop_back();  // one record more was read in case the first was a header
    reached_end = false;
  }
  draft.whole_file = reached_end;
  const std::size_t first = draft.header ? 1 : 0;
  const auto types = draft.header ? body_types : infer_types(records, 0, fields);
  std::vector<std::string> names;
  if (draft.header) {
    for (const auto& name : records[0]) {
      draft.header_names.emplace_back(table::detail::trim_blanks(name));
    }
    for (const auto& name : draft.header_names) {
      if (name.empty()) {
        break;
      }
      draft.signature.push_back(name);
    }
    names = column_names(draft.header_names);
  } else {
    names = column_names(std::vector<std::string>(fields));
  }
  for (std::size_t i = 0; i < fields; ++i) {
    DraftColumn column;
    column.position = i + 1;
    column.model = column_model(names[i], types[i]);
    if (!loads_every_value(column.model, records, first, i)) {
      // The ladder and the loader disagree on some value: text loads whatever is valid UTF-8.
      InferredType text;
      text.required = types[i].required;
      column.model = column_model(names[i], text);
    }
    if (draft.header) {
      column.model.source = draft.header_names[i];
    }
    draft.columns.push_back(std::move(column));
  }
  for (std::size_t r = first; r < records.size(); ++r) {
    ++(records[r].size() == fields ? draft.sampled_rows : draft.odd_records);
  }
  return draft;
}
}  // namespace

bool is_valid_kind_name(const std::string& name) {
  return valid_name(name);
}

KindDraft draft_kind(const std::filesystem::path& file, const InferOptions& options) {
  const std::string file_name = file.filename().string();
  try {
    auto source = csv::open_input(file.string());
    std::string prefix(kSniffBytes, '\0');
    std::size_t filled = 0;
    while (filled < prefix.size()) {
      const std::size_t got = source->read(prefix.data() + filled, prefix.size() - filled);
      if (got == 0) {
        break;
      }
      filled += got;
    }
    prefix.resize(filled);
    char probe = 0;
    const bool truncated = filled == kSniffBytes && source->read(&probe, 1) == 1;
    if (!truncated) {
      return draft_kind_from_bytes(file_name, std::move(prefix), false, options);
    }
    // A large file: the dialect comes from its first MiB, the records from the file itself.
    const Dialect dialect = sniff(file_name, complete_lines(prefix, true), true);
    return draft_from_records(file_name, dialect, csv::open_input(file.string()), options);
  } catch (const csv::InputError& error) {
    throw InferError(error.what());
  }
}

KindDraft draft_kind_from_bytes(const std::string& file_name, std::string bytes, bool truncated,
                                const InferOptions& options) {
  const std::string sample(complete_lines(bytes, truncated));
  const Dialect dialect = sniff(file_name, sample, truncated);
  return draft_from_records(file_name, dialect, std::make_unique<csv::MemorySource>(sample),
                            options);
}

}  // namespace dp::infer
