// Names a writer uses while a file is unfinished, and hidden names, are never touched.

#include "core/watch/name_filter.hpp"

#include <doctest/doctest.h>

namespace dp::watch {
namespace {

TEST_CASE("ordinary data file names are accepted") {
  for (const char* name : {"sales.csv", "user_traffic.csv.gz", "report 2024.CSV", "part.csv", "tmp",
                           "data.partial.csv", "x.tmp.csv"}) {
    CAPTURE(name);
    CHECK(classify_name(name) == NameVerdict::kAccept);
    CHECK_FALSE(is_ignored_name(name));
  }
}

TEST_CASE("hidden names, including the service's own subfolders, are ignored") {
  for (const char* name :
       {".hidden.csv", ".processed", ".failed", ".~lock.sales.csv#", ".sales.csv.swp", "."}) {
    CAPTURE(name);
    CHECK(classify_name(name) == NameVerdict::kHidden);
  }
  CHECK(classify_name(kProcessedFolderName) == NameVerdict::kHidden);
  CHECK(classify_name(kFailedFolderName) == NameVerdict::kHidden);
  CHECK(classify_name("") == NameVerdict::kHidden);
}

TEST_CASE("temporary suffixes are ignored whatever their case") {
  for (const char* name : {"sales.csv.part", "sales.csv.PART", "sales.tmp", "sales.csv.Tmp",
                           "sales.csv.crdownload", "sales.CRDOWNLOAD", "upload.filepart",
                           "upload.FilePart", "sales.swp", "sales.SWP", ".part"}) {
    CAPTURE(name);
    CHECK(is_ignored_name(name));
  }
  CHECK(classify_name("sales.csv.part") == NameVerdict::kTemporary);
  CHECK(classify_name("sales.csv.crdownload") == NameVerdict::kTemporary);
}

}  // namespace
}  // namespace dp::watch
