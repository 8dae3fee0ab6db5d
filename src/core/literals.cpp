#include "core/literals.hpp"

#include <hs/hs.h>

#include <cassert>
#include <limits>

#include "core/text.hpp"

namespace constable::text {

namespace {

// The calling thread's scratch space, grown to fit each database it scans
// with: one per thread for every set, since a thread scans one text at a time.
class Scratch {
 public:
  ~Scratch() {
    if (scratch_ != nullptr) hs_free_scratch(scratch_);
  }
  hs_scratch_t* fitted_to(const hs_database_t* database) {
    for (const hs_database_t* fitted : fitted_)
      if (fitted == database) return scratch_;
    if (hs_alloc_scratch(database, &scratch_) != HS_SUCCESS) return nullptr;
    fitted_.push_back(database);
    return scratch_;
  }

 private:
  hs_scratch_t* scratch_ = nullptr;
  std::vector<const hs_database_t*> fitted_;
};

struct Hits {
  std::uint64_t found = 0;
  std::uint64_t all = 0;
  bool stop_at_first = false;
};

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/, unsigned int /*flags*/,
             void* context) {
  auto& hits = *static_cast<Hits*>(context);
  hits.found |= std::uint64_t{1} << id;
  return hits.stop_at_first || hits.found == hits.all ? 1 : 0;  // non-zero ends the scan
}

}  // namespace

Literals::Literals(std::initializer_list<std::string_view> literals, Case match_case) : case_(match_case) {
  assert(literals.size() <= kMaxLiterals);
  for (const std::string_view literal : literals) {
    assert(!literal.empty());
    all_ |= std::uint64_t{1} << literals_.size();
    literals_.emplace_back(literal);
  }
}

Literals::~Literals() {
  if (database_ != nullptr) hs_free_database(database_);
}

std::uint64_t Literals::bit(std::string_view literal) const {
  for (std::size_t i = 0; i < literals_.size(); ++i)
    if (literals_[i] == literal) return std::uint64_t{1} << i;
  return 0;
}

const hs_database* Literals::database_for(std::string_view text) const {
  // Past 4 GiB, block mode's length limit, literal by literal.
  if (text.size() > std::numeric_limits<unsigned int>::max()) return nullptr;
  if (compiled_.done()) return database_;
  if (searched_.load(std::memory_order_relaxed) < kCompileAfter) return nullptr;
  compiled_.call([&] {
    std::vector<const char*> expressions;
    std::vector<unsigned int> flags(literals_.size(),
                                    HS_FLAG_SINGLEMATCH | (case_ == Case::insensitive ? HS_FLAG_CASELESS : 0u));
    std::vector<unsigned int> ids;
    std::vector<std::size_t> lengths;
    for (std::size_t i = 0; i < literals_.size(); ++i) {
      expressions.push_back(literals_[i].data());
      ids.push_back(static_cast<unsigned int>(i));
      lengths.push_back(literals_[i].size());
    }
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                             static_cast<unsigned int>(literals_.size()), HS_MODE_BLOCK, nullptr, &database,
                             &error) == HS_SUCCESS)
      database_ = database;
    else
      hs_free_compile_error(error);
  });
  return database_;
}

std::uint64_t Literals::scan(std::string_view text, bool stop_at_first) const {
  if (text.empty()) return 0;  // (and no null pointer for Vectorscan)
  if (const hs_database* database = database_for(text); database != nullptr) {
    thread_local Scratch scratch;
    if (hs_scratch_t* space = scratch.fitted_to(database); space != nullptr) {
      Hits hits{.found = 0, .all = all_, .stop_at_first = stop_at_first};
      const hs_error_t status =
          hs_scan(database, text.data(), static_cast<unsigned int>(text.size()), 0, space, on_match, &hits);
      if (status == HS_SUCCESS || status == HS_SCAN_TERMINATED) return hits.found;
    }
  }
  searched_.fetch_add(text.size() * literals_.size(), std::memory_order_relaxed);
  std::uint64_t found = 0;
  for (std::size_t i = 0; i < literals_.size(); ++i) {
    if (!(case_ == Case::insensitive ? icontains(text, literals_[i]) : contains(text, literals_[i]))) continue;
    found |= std::uint64_t{1} << i;
    if (stop_at_first) break;
  }
  return found;
}

bool Literals::any_in(std::string_view text) const { return scan(text, true) != 0; }

bool Literals::Found::has(std::string_view literal) const {
  const std::uint64_t bit = set_->bit(literal);
  assert(bit != 0 && "not a literal of the set: a typo would never match");
  return (bits & bit) != 0;
}

Literals::Found Literals::found_in(std::string_view text) const {
  Found found(*this);
  found.bits = scan(text, false);
  return found;
}

}  // namespace constable::text
