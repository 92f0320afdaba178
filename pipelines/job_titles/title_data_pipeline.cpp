#include "pipelines/job_titles/title_data_pipeline.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/table/model_converter.hpp"
#include "models/title_data_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"
#include "pipelines/common/row_checks.hpp"

namespace dp::pipelines {
namespace {

/// Related values a row may carry when the header does not announce more.
constexpr std::size_t kRelatedValues = 19;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool same_name(std::string_view a, std::string_view b) {
  a = trim(a);
  b = trim(b);
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// Where the three columns sit in a file: the header names `title`, `pdl count` and `top related
/// titles`, and every column after the last one continues the related list (the real export
/// leaves their names empty).
struct TitleLayout {
  std::size_t title = 0;
  std::size_t count = 1;
  std::size_t related = 2;
  std::size_t max_fields = 2 + kRelatedValues;
  std::vector<std::string> warnings;
};

TitleLayout layout_from_header(const std::vector<std::string>& header,
                               pipeline::ExtraColumns extra_columns) {
  const auto find = [&](std::string_view name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (same_name(header[i], name)) {
        return i;
      }
    }
    throw pipeline::FileRejected("title data: the header has no column '" + std::string(name) +
                                 "'");
  };
  TitleLayout layout;
  layout.title = find("title");
  layout.count = find("pdl count");
  layout.related = find("top related titles");
  if (layout.related < layout.title || layout.related < layout.count) {
    throw pipeline::FileRejected(
        "title data: 'top related titles' must come after 'title' and 'pdl count', since the "
        "related values run to the end of the row");
  }
  layout.max_fields = std::max(header.size(), layout.related + kRelatedValues);
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (i == layout.title || i == layout.count || i == layout.related || trim(header[i]).empty()) {
      continue;
    }
    const std::string what = "title data: unexpected column '" + header[i] + "'";
    if (extra_columns == pipeline::ExtraColumns::kFail) {
      throw pipeline::FileRejected(what);
    }
    layout.warnings.push_back(i > layout.related ? what + " is read as a related value"
                                                 : what + " is ignored");
  }
  return layout;
}

class TitleDataConverter final : public pipeline::RowConverter {
 public:
  explicit TitleDataConverter(TitleLayout layout)
      : layout_(std::move(layout)),
        title_(model_column(models::title_data_model(), "title")),
        count_(model_column(models::title_data_model(), "pdl_count")) {}

  std::optional<csv::RowError> convert(const csv::CsvRow& row, table::CopyRowWriter& out) override {
    const std::size_t min_fields = std::max(layout_.title, layout_.count) + 1;
    if (auto error = check_field_range(row, min_fields, layout_.max_fields)) {
      return error;
    }
    const std::string_view title = row.fields[layout_.title];
    if (trim(title).empty()) {
      return make_row_error(row, csv::RowErrorKind::kMissingValue, title_.name, std::string(title),
                            "column title: a value is required but the field is empty");
    }
    related_.clear();
    for (std::size_t i = layout_.related; i < row.fields.size(); ++i) {
      const std::string_view value = trim(row.fields[i]);
      if (value.find('\0') != std::string_view::npos) {
        return make_row_error(row, csv::RowErrorKind::kBadValue, "related", std::string(value),
                              "column related: value contains a NUL byte, which PostgreSQL "
                              "text cannot store");
      }
      if (!value.empty()) {
        related_.push_back(value);
      }
    }
    // The title is kept as written (case, punctuation and spaces: `c.e.o.` and `ceo` are
    // different rows in the export); only the related values are trimmed.
    if (auto error = table::write_field(title_, row, layout_.title, out)) {
      return error;
    }
    if (auto error = table::write_field(count_, row, layout_.count, out)) {
      return error;
    }
    out.put_text_array(related_);
    return std::nullopt;
  }

  std::vector<std::string> warnings() const override { return layout_.warnings; }

 private:
  TitleLayout layout_;
  const table::ColumnModel& title_;
  const table::ColumnModel& count_;
  std::vector<std::string_view> related_;
};

}  // namespace

void register_title_data_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "title_data",
      .file_patterns = {"*title_data*.csv"},
      .header_signature = {"title", "pdl count", "top related titles"},
      .dialect = {},
      .model = &models::title_data_model(),
      .make_converter =
          [](const pipeline::FileContext&, const std::vector<std::string>* header,
             pipeline::ExtraColumns extra_columns) -> std::unique_ptr<pipeline::RowConverter> {
        return std::make_unique<TitleDataConverter>(
            header != nullptr ? layout_from_header(*header, extra_columns) : TitleLayout{});
      },
  }));
}

}  // namespace dp::pipelines
