#pragma once
// What a run is doing, for progress displays (-v, --progress): phases, and
// the files and charts each one works on. The runner calls the listener from
// its worker threads, so implementations must be thread-safe; without a
// listener (the default) the runner only tests a null pointer.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace constable::engine {

enum class Phase : std::uint8_t {
  constitution,  // parsing the constitution; finished with the clause count
  discover,      // walking the repository; finished with the file count
  bind,          // binding checks to clauses; finished with the active check count
  repository,    // repository-scope checks (git, documentation, layout)
  files,         // the file phase: items are files
  charts,        // rendering Helm charts: items are charts
  manifests,     // checks over the whole manifest set; finished with the object count
  report,        // rendering the report
};
std::string_view to_string(Phase phase);

class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  // `total` items are expected (0 when unknown).
  virtual void phase_started(Phase phase, std::size_t total) = 0;
  // `count` says how much the phase did or found.
  virtual void phase_finished(Phase phase, std::size_t count) = 0;
  virtual void item_started(Phase phase, std::string_view item) = 0;
  virtual void item_finished(Phase phase, std::string_view item) = 0;
};

// Reports an item as started when made and as finished when its scope ends,
// whichever way it ends. Does nothing without a listener.
class ProgressItem {
 public:
  ProgressItem(ProgressListener* listener, Phase phase, std::string_view item)
      : listener_(listener), phase_(phase), item_(item) {
    if (listener_ != nullptr) listener_->item_started(phase_, item_);
  }
  ~ProgressItem() {
    if (listener_ != nullptr) listener_->item_finished(phase_, item_);
  }
  ProgressItem(const ProgressItem&) = delete;
  ProgressItem& operator=(const ProgressItem&) = delete;

 private:
  ProgressListener* listener_;
  Phase phase_;
  std::string_view item_;
};

}  // namespace constable::engine
