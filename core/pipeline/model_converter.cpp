#include "core/pipeline/model_converter.hpp"

#include <stdexcept>
#include <utility>

#include "core/csv/utf8.hpp"
#include "core/table/message_text.hpp"
#include "core/table/value_parsers.hpp"

namespace dp::pipeline {
namespace {

using table::ColumnType;
using table::Parsed;
using table::quote_for_message;

/// Why one value did not convert, before it is placed in a row.
struct ValueFailure {
  csv::RowErrorKind kind = csv::RowErrorKind::kBadValue;
  std::string message;
};

std::string column_prefix(const ColumnModel& column) {
  return "column " + column.name + ": ";
}

template <typename T>
std::optional<ValueFailure> parse_failure(const ColumnModel& column, const Parsed<T>& parsed) {
  return ValueFailure{csv::RowErrorKind::kBadValue, column_prefix(column) + parsed.error};
}

/// The shared conversion: write_value reports only the message, write_field also the kind.
std::optional<ValueFailure> convert_value(const ColumnModel& column, std::string_view text,
                                          CopyRowWriter& out) {
  if (text.empty()) {
    if (column.nullable) {
      out.put_null();
      return std::nullopt;
    }
    return ValueFailure{csv::RowErrorKind::kMissingValue,
                        column_prefix(column) + "a value is required but the field is empty"};
  }
  switch (column.type) {
    case ColumnType::kText:
      if (const std::size_t bad = csv::find_invalid_text(text); bad != csv::kNoUtf8Error) {
        if (text[bad] == '\0') {
          return ValueFailure{csv::RowErrorKind::kBadValue,
                              column_prefix(column) +
                                  "value contains a NUL byte, which PostgreSQL text cannot store"};
        }
        return ValueFailure{csv::RowErrorKind::kInvalidUtf8,
                            column_prefix(column) + "value is not valid UTF-8"};
      }
      out.put_text(text);
      return std::nullopt;
    case ColumnType::kInt32: {
      const auto parsed = table::parse_int32(text);
      if (!parsed) {
        return parse_failure(column, parsed);
      }
      out.put_int32(*parsed.value);
      return std::nullopt;
    }
    case ColumnType::kInt64: {
      const auto parsed = table::parse_int64(text);
      if (!parsed) {
        return parse_failure(column, parsed);
      }
      out.put_int64(*parsed.value);
      return std::nullopt;
    }
    case ColumnType::kNumeric: {
      auto parsed = table::parse_decimal(text);
      if (!parsed) {
        return parse_failure(column, parsed);
      }
      if (column.numeric_precision > 0) {
        const std::string problem =
            table::fit_decimal(*parsed.value, column.numeric_precision, column.numeric_scale);
        if (!problem.empty()) {
          return ValueFailure{
              csv::RowErrorKind::kBadValue,
              column_prefix(column) + quote_for_message(text) + " is out of range: " + problem};
        }
      }
      out.put_numeric(*parsed.value);
      return std::nullopt;
    }
    case ColumnType::kBoolean: {
      const auto parsed = table::parse_bool(text);
      if (!parsed) {
        return parse_failure(column, parsed);
      }
      out.put_bool(*parsed.value);
      return std::nullopt;
    }
    case ColumnType::kDate: {
      const auto parsed = table::parse_date(text);
      if (!parsed) {
        return parse_failure(column, parsed);
      }
      out.put_date(*parsed.value);
      return std::nullopt;
    }
    case ColumnType::kTimestamp: {
      const auto parsed = table::parse_local_timestamp(text);
      if (!parsed) {
        return parse_failure(column, parsed);
      }
      out.put_timestamp(*parsed.value);
      return std::nullopt;
    }
    case ColumnType::kTimestampTz: {
      const auto parsed = table::parse_timestamp(text);
      if (!parsed) {
        return parse_failure(column, parsed);
      }
      out.put_timestamp(*parsed.value);
      return std::nullopt;
    }
    case ColumnType::kTextArray:
      break;
  }
  return ValueFailure{csv::RowErrorKind::kBadValue,
                      column_prefix(column) +
                          "a text[] column cannot be converted from one field; the kind's "
                          "converter must split the value and call CopyRowWriter::put_text_array"};
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) {
    text.remove_prefix(kBom.size());
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                           text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

bool same_name(std::string_view a, std::string_view b) {
  a = trim(a);
  b = trim(b);
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += (text.empty() ? "" : ", ") + quote_for_message(name);
  }
  return text;
}

/// The converter most kinds use: each sourced model column from its mapped field; derived
/// columns (nullable by construction) are written as NULL.
class ModelConverter final : public RowConverter {
 public:
  ModelConverter(TableModel model, ColumnMapping mapping)
      : model_(std::move(model)), mapping_(std::move(mapping)) {}

  std::optional<csv::RowError> convert(const csv::CsvRow& row, CopyRowWriter& out) override {
    if (auto error = check_field_count(row, mapping_.expected_fields)) {
      return error;
    }
    for (std::size_t i = 0; i < model_.columns.size(); ++i) {
      const int field = mapping_.field_index[i];
      if (field < 0) {
        out.put_null();
      } else if (auto error =
                     write_field(model_.columns[i], row, static_cast<std::size_t>(field), out)) {
        return error;
      }
    }
    return std::nullopt;
  }

  std::vector<std::string> warnings() const override { return mapping_.warnings; }

 private:
  TableModel model_;
  ColumnMapping mapping_;
};

}  // namespace

std::string header_key(std::string_view name) {
  std::string key(trim(name));
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + 32);
    }
  }
  return key;
}

std::optional<std::string> write_value(const ColumnModel& column, std::string_view text,
                                       CopyRowWriter& out) {
  if (auto failure = convert_value(column, text, out)) {
    return std::move(failure->message);
  }
  return std::nullopt;
}

std::optional<csv::RowError> write_field(const ColumnModel& column, const csv::CsvRow& row,
                                         std::size_t field, CopyRowWriter& out) {
  const std::string_view text = row.fields[field];
  auto failure = convert_value(column, text, out);
  if (!failure) {
    return std::nullopt;
  }
  csv::RowError error;
  error.kind = failure->kind;
  error.line = row.line;
  error.byte_offset = row.byte_offset;
  error.column = column.name;
  error.value = std::string(text);
  error.raw_line = std::string(row.raw);
  error.message = std::move(failure->message);
  return error;
}

std::optional<csv::RowError> check_field_count(const csv::CsvRow& row, std::size_t expected) {
  if (row.fields.size() == expected) {
    return std::nullopt;
  }
  csv::RowError error;
  error.kind = row.fields.size() < expected ? csv::RowErrorKind::kTooFewColumns
                                            : csv::RowErrorKind::kTooManyColumns;
  error.line = row.line;
  error.byte_offset = row.byte_offset;
  error.raw_line = std::string(row.raw);
  error.message = "expected " + std::to_string(expected) + " columns, found " +
                  std::to_string(row.fields.size());
  return error;
}

ColumnMapping map_columns(const TableModel& model, const std::vector<std::string>* header,
                          ExtraColumns extra) {
  ColumnMapping mapping;
  mapping.field_index.assign(model.columns.size(), -1);
  if (header == nullptr) {
    int next = 0;
    for (std::size_t i = 0; i < model.columns.size(); ++i) {
      if (!model.columns[i].source.empty()) {
        mapping.field_index[i] = next++;
      }
    }
    mapping.expected_fields = static_cast<std::size_t>(next);
    return mapping;
  }
  mapping.expected_fields = header->size();
  std::vector<bool> used(header->size(), false);
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < model.columns.size(); ++i) {
    const std::string& source = model.columns[i].source;
    if (source.empty()) {
      continue;
    }
    for (std::size_t field = 0; field < header->size(); ++field) {
      if (!same_name((*header)[field], source)) {
        continue;
      }
      if (mapping.field_index[i] >= 0) {
        throw FileRejected("header names column " + quote_for_message(source) +
                           " twice (positions " + std::to_string(mapping.field_index[i] + 1) +
                           " and " + std::to_string(field + 1) + ")");
      }
      mapping.field_index[i] = static_cast<int>(field);
      used[field] = true;
    }
    if (mapping.field_index[i] < 0) {
      missing.push_back(source);
    }
  }
  if (!missing.empty()) {
    throw FileRejected((missing.size() == 1 ? "header lacks column " : "header lacks columns ") +
                       quoted_list(missing));
  }
  for (std::size_t field = 0; field < header->size(); ++field) {
    if (used[field]) {
      continue;
    }
    const std::string where = " (position " + std::to_string(field + 1) + ")";
    const std::string name = quote_for_message(trim((*header)[field]));
    if (extra == ExtraColumns::kFail) {
      throw FileRejected("header has unexpected column " + name + where);
    }
    mapping.warnings.push_back("ignoring header column " + name + where +
                               ": no staging column takes it");
  }
  return mapping;
}

std::unique_ptr<RowConverter> make_model_converter(const TableModel& model,
                                                   const std::vector<std::string>* header,
                                                   ExtraColumns extra) {
  for (const ColumnModel& column : model.columns) {
    if (column.source.empty() && !column.nullable) {
      throw std::logic_error("staging column " + column.name +
                             " is NOT NULL and has no source: the kind must supply its own "
                             "converter");
    }
    if (!column.source.empty() && column.type == ColumnType::kTextArray) {
      throw std::logic_error("staging column " + column.name +
                             " is text[]: the kind must split the field in its own converter");
    }
  }
  return std::make_unique<ModelConverter>(model, map_columns(model, header, extra));
}

}  // namespace dp::pipeline
