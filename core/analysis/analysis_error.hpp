#pragma once

#include <stdexcept>

namespace dp::analysis {

/// `--analysis` could not finish: a view file failed (the message names the file, the line and
/// the database's error), a view has a name unfit for a file, or an export could not be
/// written. The mode reports it and exits 1; nothing half-written replaces an earlier export.
class AnalysisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace dp::analysis
