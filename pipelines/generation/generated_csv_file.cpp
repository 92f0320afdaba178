#include "pipelines/generation/generated_csv_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace dp::pipelines::gen {
namespace {

/// Buffer size: large enough that write(2) calls cost nothing next to formatting the rows.
constexpr std::size_t kBufferBytes = 1 << 20;
/// Rows between two looks at the clock for the progress line.
constexpr std::uint64_t kProgressStride = 1 << 16;

[[noreturn]] void throw_io(const std::string& what, const std::filesystem::path& path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw_io("cannot write", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

/// Writes a small file the same safe way as the data: temporary name, fsync, rename.
void write_small_file(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path temp = path.parent_path() / ("." + path.filename().string() + "." +
                                                           std::to_string(::getpid()) + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw_io("cannot create", temp);
  }
  try {
    write_all(fd, content, temp);
    if (::fsync(fd) != 0) {
      throw_io("cannot fsync", temp);
    }
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    throw_io("cannot rename into", path);
  }
}

/// Whether a field must be quoted to read back as itself; a plain loop, since find_first_of
/// runs one memchr per character sought and fields are short.
bool needs_quotes(std::string_view field, const CsvFileStyle& style) {
  for (const char c : field) {
    if (c == style.delimiter || c == style.quote || c == '\r' || c == '\n') {
      return true;
    }
  }
  return false;
}

std::string manifest_name(const std::string& file_name) {
  constexpr std::string_view kCsv = ".csv";
  std::string stem = file_name;
  if (stem.size() > kCsv.size() && stem.ends_with(kCsv)) {
    stem.resize(stem.size() - kCsv.size());
  }
  return stem + ".bad-rows.txt";
}

std::string with_thousands(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      grouped += ',';
    }
    grouped += digits[i];
  }
  return grouped;
}

}  // namespace

GeneratedCsvFile::GeneratedCsvFile(const GeneratorContext& context, std::string file_name,
                                   CsvFileStyle style, std::uint64_t planned_rows, BadRowPlan plan,
                                   std::span<const Spoiler> spoilers)
    : context_(context),
      file_name_(std::move(file_name)),
      final_path_(context.out / file_name_),
      temp_path_(context.out / ("." + file_name_ + "." + std::to_string(::getpid()) + ".tmp")),
      style_(style),
      planned_rows_(planned_rows),
      plan_(std::move(plan)),
      spoilers_(spoilers),
      progress_(context.show_progress && ::isatty(STDERR_FILENO) == 1),
      last_progress_(std::chrono::steady_clock::now()) {
  if (plan_.size() > 0 && spoilers_.empty()) {
    throw std::logic_error("bad rows asked for " + file_name_ + " but it has no spoilers");
  }
  std::error_code ignored;
  std::filesystem::create_directories(context.out, ignored);
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw_io("cannot create", temp_path_);
  }
  buffer_.reserve(kBufferBytes + 4096);
}

GeneratedCsvFile::~GeneratedCsvFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_path_.c_str());
  }
}

void GeneratedCsvFile::write_header(std::span<const std::string_view> names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      buffer_ += style_.delimiter;
    }
    append_field(names[i]);
  }
  end_line();
}

void GeneratedCsvFile::write_row(std::vector<std::string>& fields) {
  if (plan_.is_bad(rows_)) {
    const Spoiler& spoiler = spoilers_[spoiled_.size() % spoilers_.size()];
    spoiler.apply(fields, plan_.random());
    spoiled_.push_back(BadRowRecord{line_, spoiler.column, spoiler.reason});
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) {
      buffer_ += style_.delimiter;
    }
    append_field(fields[i]);
  }
  end_line();
  ++rows_;
  if (progress_ && rows_ % kProgressStride == 0) {
    report_progress(false);
  }
}

void GeneratedCsvFile::append_field(std::string_view field) {
  const bool quote = style_.quote_all || needs_quotes(field, style_);
  if (!quote) {
    buffer_.append(field);
    return;
  }
  buffer_ += style_.quote;
  for (const char c : field) {
    if (c == style_.quote) {
      buffer_ += style_.quote;
    }
    buffer_ += c;
  }
  buffer_ += style_.quote;
}

void GeneratedCsvFile::end_line() {
  buffer_.append(style_.crlf ? "\r\n" : "\n");
  ++line_;
  if (buffer_.size() >= kBufferBytes) {
    flush();
  }
}

void GeneratedCsvFile::flush() {
  write_all(fd_, buffer_, temp_path_);
  buffer_.clear();
}

void GeneratedCsvFile::report_progress(bool final) {
  const auto now = std::chrono::steady_clock::now();
  if (!final && now - last_progress_ < std::chrono::milliseconds(250)) {
    return;
  }
  last_progress_ = now;
  std::string line = "\r" + file_name_ + ": " + with_thousands(rows_);
  if (planned_rows_ > 0) {
    const auto percent = static_cast<unsigned>(rows_ * 100 / planned_rows_);
    line += " / " + with_thousands(planned_rows_) + " rows (" + std::to_string(percent) + "%)";
  } else {
    line += " rows";
  }
  line += final ? "\n" : "   ";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

GeneratedFile GeneratedCsvFile::commit() {
  flush();
  if (::fsync(fd_) != 0) {
    throw_io("cannot fsync", temp_path_);
  }
  if (::close(fd_) != 0) {
    fd_ = -1;
    ::unlink(temp_path_.c_str());
    throw_io("cannot close", temp_path_);
  }
  fd_ = -1;
  GeneratedFile result;
  result.path = final_path_;
  result.rows = rows_;
  result.bad_rows = spoiled_.size();
  const std::filesystem::path manifest = context_.out / manifest_name(file_name_);
  if (!spoiled_.empty()) {
    std::string text = "# " + file_name_ + ": " + std::to_string(spoiled_.size()) +
                       " rows spoiled on purpose by dataprocessor --generate (seed " +
                       std::to_string(context_.seed) + ")\n# line\tcolumn\treason\n";
    for (const BadRowRecord& record : spoiled_) {
      text += std::to_string(record.line) + '\t' + record.column + '\t' + record.reason + '\n';
    }
    write_small_file(manifest, text);
    result.bad_rows_manifest = manifest;
  } else {
    std::error_code ignored;  // a manifest left by an earlier run would describe other bytes
    std::filesystem::remove(manifest, ignored);
  }
  if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
    ::unlink(temp_path_.c_str());
    throw_io("cannot rename into", final_path_);
  }
  if (progress_) {
    report_progress(true);
  }
  return result;
}

}  // namespace dp::pipelines::gen
