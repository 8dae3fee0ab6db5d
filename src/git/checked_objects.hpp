#pragma once
// Internal to the git layer: the object database constable reads a
// repository through.
//
// libgit2 1.5 loops forever on a loose object whose zlib stream is cut short
// (a truncated file under .git/objects). The database installed here reads
// loose objects itself and fails cleanly on any damage (truncation, garbage,
// a size the data cannot hold, a FIFO in place of a file); packed objects
// and alternates are read by libgit2's own backends.

#include <git2.h>

#include "core/error.hpp"

namespace constable::git::detail {

// Replaces `repo`'s object database (read-only from then on).
Result<void> use_checked_objects(git_repository* repo);

}  // namespace constable::git::detail
