#pragma once
// Which of a fixed set of literals a text holds, in one pass over it: for the
// prefilters checks run over whole files ("does it name any of these?"),
// where a memmem per literal read a chart repository's tens of megabytes once
// for each, and restarted at every near miss ("ampl" in every "example").
//
// The pass is Vectorscan's literal matcher. Compiling its database costs
// about two milliseconds, what memmem spends on some fifteen megabytes of
// text it has cached, so a set compiles once it has searched kCompileAfter
// bytes literal by literal (bytes times literals): a repository of small
// files never pays for it. In a run the texts a check scans come from memory,
// not the cache, and memmem reads them at a third of that pace; the bound is
// set for that. Both ways give the same answer.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/once.hpp"

struct hs_database;

namespace constable::text {

class Literals {
 public:
  static constexpr std::size_t kMaxLiterals = 64;
  static constexpr std::uint64_t kCompileAfter = 8ULL * 1024 * 1024;

  enum class Case : std::uint8_t { sensitive, insensitive /* ASCII letters */ };
  // Non-empty literals; at most kMaxLiterals.
  Literals(std::initializer_list<std::string_view> literals, Case match_case = Case::sensitive);
  ~Literals();
  Literals(const Literals&) = delete;
  Literals& operator=(const Literals&) = delete;

  // Which literals one text holds.
  class Found {
   public:
    bool has(std::string_view literal) const;  // `literal` must be one of the set's
    std::uint64_t bits = 0;  // one per literal, in the order given

   private:
    friend class Literals;
    explicit Found(const Literals& set) : set_(&set) {}
    const Literals* set_;
  };

  // Whether any literal occurs in `text`.
  bool any_in(std::string_view text) const;
  Found found_in(std::string_view text) const;
  // Whether every literal occurs in `text`.
  bool all_in(std::string_view text) const { return found_in(text).bits == all_; }

  std::uint64_t bit(std::string_view literal) const;  // 0 for a literal not in the set
  // Whether the set searches through its compiled matcher now.
  bool compiled() const { return compiled_.done() && database_ != nullptr; }

 private:
  // The compiled database, or null while searching literal by literal.
  const hs_database* database_for(std::string_view text) const;
  std::uint64_t scan(std::string_view text, bool stop_at_first) const;

  std::vector<std::string> literals_;
  Case case_;
  std::uint64_t all_ = 0;
  mutable std::atomic<std::uint64_t> searched_{0};  // bytes times literals, literal by literal
  mutable Once compiled_;
  mutable hs_database* database_ = nullptr;  // null also when compiling failed: literal by literal then
};

}  // namespace constable::text
