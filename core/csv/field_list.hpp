#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace dp::csv {

/// The field views of one record. Slots are reused from record to record, so a steady stream
/// allocates nothing; hot loops write through an Appender, which keeps its cursor in registers
/// (a vector's emplace_back reloads its end pointers after every store of a view).
class FieldList {
 public:
  /// The fields of the current record, as CsvRow hands them on.
  std::span<const std::string_view> view() const noexcept { return {slots_.data(), size_}; }
  /// Number of fields of the current record.
  std::size_t size() const noexcept { return size_; }
  /// One field of the current record.
  std::string_view operator[](std::size_t index) const noexcept { return slots_[index]; }

  /// Writes a record's fields from the first slot on; the list holds them once finish() ran.
  class Appender {
   public:
    explicit Appender(FieldList& list) noexcept
        : list_(list), next_(list.slots_.data()), limit_(list.slots_.data() + list.slots_.size()) {}
    /// Appends one field.
    void add(const char* data, std::size_t size) {
      if (next_ == limit_) {
        grow();
      }
      *next_++ = std::string_view(data, size);
    }
    /// Publishes the fields written so far as the list's contents.
    void finish() noexcept { list_.size_ = static_cast<std::size_t>(next_ - list_.slots_.data()); }

   private:
    void grow();

    FieldList& list_;
    std::string_view* next_;
    std::string_view* limit_;
  };

 private:
  std::vector<std::string_view> slots_;
  std::size_t size_ = 0;
};

inline void FieldList::Appender::grow() {
  const auto used = static_cast<std::size_t>(next_ - list_.slots_.data());
  list_.slots_.resize(list_.slots_.empty() ? 16 : list_.slots_.size() * 2);
  next_ = list_.slots_.data() + used;
  limit_ = list_.slots_.data() + list_.slots_.size();
}

}  // namespace dp::csv
