#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "pipelines/generation/random_source.hpp"

namespace dp::pipelines {

/// How big a generated support desk is. The defaults are the sample's: five yearly analyst
/// snapshots of 200 seats, 264 product lines, 238 groups, 1000 products, 400 cases in 2011-2014.
struct SupportDeskShape {
  int first_year = 2010;
  /// Yearly analyst snapshots first_year .. first_year + snapshot_years - 1; cases run from the
  /// second snapshot year to the last.
  int snapshot_years = 5;
  /// Seats per snapshot: every snapshot has exactly this many analysts.
  std::uint64_t analysts = 200;
  std::uint64_t product_lines = 264;
  std::uint64_t product_groups = 238;
  std::uint64_t products = 1000;
  /// Cases over all case years together.
  std::uint64_t cases = 400;
};

/// One analyst row as a snapshot (or the change file) lists it.
struct AnalystRecord {
  std::string aid;
  std::string name;
  std::string team;
  std::string skills;
  std::int64_t created_seconds = 0;
  /// Microseconds; printed without a fraction when `updated_at_new_year` (the sample's
  /// `YYYY-01-01 00:00:00` of a yearly update).
  std::int64_t updated_micros = 0;
  bool updated_at_new_year = false;
  int hire_year = 0;
};

/// A case as the cases file lists it, plus what its log needs.
struct CaseRecord {
  std::string cid;
  int priority = 1;
  std::int64_t created_seconds = 0;
  std::string aid;
  std::string pid;
  bool has_logs = true;
  /// State of the case's own random stream, for its log events.
  std::uint64_t log_stream = 0;
};

/// The generated support desk as pure functions of (seed, shape): an analyst seat's history,
/// a product's id and parent, a case's attributes are computed when needed, never stored, so
/// every file of the set agrees with the others in constant memory.
class SupportDeskWorld {
 public:
  SupportDeskWorld(std::uint64_t seed, SupportDeskShape shape);

  const SupportDeskShape& shape() const { return shape_; }
  int last_snapshot_year() const { return shape_.first_year + shape_.snapshot_years - 1; }
  int first_case_year() const { return shape_.first_year + 1; }
  int last_case_year() const { return last_snapshot_year(); }

  /// The analyst holding `seat` in the snapshot of `year` (state at the end of that year).
  AnalystRecord analyst(std::uint64_t seat, int year) const;
  /// The year the analyst holding `seat` at the end of `year` was hired (cheaper than analyst()).
  int hire_year(std::uint64_t seat, int year) const;
  /// The change-file row of `seat` (an update in the year after the last snapshot), or false.
  bool analyst_change(std::uint64_t seat, AnalystRecord& out) const;

  /// Product levels: 0 line, 1 group, 2 product.
  std::uint64_t level_size(int level) const;
  void append_pid(std::string& out, int level, std::uint64_t index) const;
  /// Index of the parent (one level up) of a group or product.
  std::uint64_t parent_index(int level, std::uint64_t index) const;

  /// Cases created in `year`; years after the case range (used when only logs are generated and
  /// more are needed) get the average.
  std::uint64_t cases_in_year(int year) const;
  /// Case `index` of `year` (0-based, in creation order); `cid_prefixes` is the year's
  /// permutation of case numbers (gen::Permutation(cases_in_year(year), ...)).
  CaseRecord case_at(int year, std::uint64_t index, const gen::Permutation& cid_prefixes) const;
  /// Just the cid of that case (what each of its log lines needs), without the rest.
  void append_case_cid(std::string& out, int year, std::uint64_t index,
                       const gen::Permutation& cid_prefixes) const;
  /// The permutation that case_at expects for `year`.
  gen::Permutation case_prefixes(int year) const;

 private:
  struct SeatState;
  SeatState hire(std::uint64_t seat, unsigned hire_number, int year) const;
  SeatState seat_state(std::uint64_t seat, int year) const;
  AnalystRecord record_of(std::uint64_t seat, const SeatState& state) const;

  std::uint64_t seed_;
  SupportDeskShape shape_;
  gen::Permutation seat_prefixes_;
};

/// Seconds since 1970 of midnight, January 1st of `year`.
std::int64_t year_start_seconds(int year);

}  // namespace dp::pipelines
