// docs/adr-supersede: a superseded ADR names its successor, which exists and
// references it.

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "checks/docs/adr_support.hpp"
#include "checks/docs/docs_checks.hpp"
#include "checks/docs/docs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

namespace {
namespace adr_supersede_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/adr-supersede",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Link superseding and superseded ADRs both ways",
    .rationale = "Accepted ADRs are immutable, so the trail of superseding records is the only history of a "
                 "decision; a broken link in it hides why the current decision was made. An ADR whose status "
                 "says 'Superseded by ADR-0007' (or links to 0007-....md) must name an ADR that exists, and that "
                 "ADR must reference the one it supersedes (its number as ADR-0003, ADR 3, 0003, or its file "
                 "name). An ADR whose status says 'Supersedes ...' must name ADRs that exist.",
    .remediation = "Fix the number in the status line, and mention the superseded ADR in the new one "
                   "(`Supersedes [ADR-0003](0003-old-decision.md)`).",
    .bad_example = "docs/adr/0003-rest.md:    - Status: Superseded by ADR-0007\n"
                   "docs/adr/0007-grpc.md:    - Status: Accepted   (never mentions 0003)\n",
    .good_example = "docs/adr/0003-rest.md:    - Status: Superseded by ADR-0007\n"
                    "docs/adr/0007-grpc.md:    - Status: Accepted, supersedes ADR-0003\n",
    .parameters = "",
    .clause = {.section = "adr lifecycle|architectural decision", .text = "supersede"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

struct Adr {
  const workspace::File* file = nullptr;
  long number = -1;
  std::string padded;  // the number as in the file name, "0003"
  std::string text;
  AdrStatus status;
};

// ADR numbers a text names: "ADR-0007", "ADR 7", "adr_0007", "[0007](0007-grpc.md)", "0007-grpc.md".
std::vector<long> referenced_numbers(std::string_view text) {
  static const RE2 kReference(R"((?i)(?:\badr[-_ #]*0*(\d{1,5})\b|\b0*(\d{1,5})-[\w.-]*\.md\b|\b(\d{4})(?:[\s,;.)\]]|$)))");
  std::vector<long> out;
  re2::StringPiece input(text.data(), text.size());
  std::string a, b, c;
  while (RE2::FindAndConsume(&input, kReference, &a, &b, &c)) {
    const std::string& digits = !a.empty() ? a : (!b.empty() ? b : c);
    if (!digits.empty()) out.push_back(std::stol(digits));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool mentions(const Adr& adr, const Adr& other) {
  for (long n : referenced_numbers(adr.text))
    if (n == other.number) return true;
  const auto slash = other.file->path.rfind('/');
  return adr.text.find(other.file->path.substr(slash + 1)) != std::string::npos;
}

class AdrSupersedeCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    std::vector<Adr> adrs;
    for (const auto& file : repo.workspace().files) {
      if (file.kind != FileKind::markdown || !is_adr_path(file.path)) continue;
      Adr adr{.file = &file, .number = -1, .padded = adr_number(file.path), .text = std::string(read_file(repo, file)), .status = {}};
      if (!adr.padded.empty()) adr.number = std::stol(adr.padded);
      adr.status = adr_status(adr.text);
      adrs.push_back(std::move(adr));
    }
    std::map<long, const Adr*> by_number;
    for (const Adr& adr : adrs)
      if (adr.number >= 0) by_number.emplace(adr.number, &adr);
    static const RE2 kSupersededBy(R"((?i)superseded\s+by\b(.*))");
    static const RE2 kSupersedes(R"((?i)\bsupersedes\b(.*))");
    for (const Adr& adr : adrs) {
      std::string tail;
      if (RE2::PartialMatch(adr.status.value, kSupersededBy, &tail)) {
        const auto successors = referenced_numbers(tail);
        if (successors.empty()) {
          emit_at(out, adr.file->path, adr.status.line, "superseded, but the status names no ADR that supersedes it");
          continue;
        }
        for (long n : successors) {
          const auto it = by_number.find(n);
          if (it == by_number.end()) {
            emit_at(out, adr.file->path, adr.status.line,
                    fmt::format("superseded by ADR {}, which does not exist", n));
          } else if (!mentions(*it->second, adr)) {
            const Adr& successor = *it->second;
            emit_at(out, successor.file->path, successor.status.line > 0 ? successor.status.line : 1,
                    fmt::format("supersedes {} (its status says so) but does not reference it",
                                adr.file->path.substr(adr.file->path.rfind('/') + 1)));
          }
        }
      } else if (RE2::PartialMatch(adr.status.value, kSupersedes, &tail)) {
        for (long n : referenced_numbers(tail))
          if (!by_number.contains(n))
            emit_at(out, adr.file->path, adr.status.line, fmt::format("supersedes ADR {}, which does not exist", n));
      }
    }
  }
};

}  // namespace adr_supersede_check
}  // namespace

std::unique_ptr<engine::Check> make_adr_supersede_check() {
  return engine::make_check<adr_supersede_check::AdrSupersedeCheck>();
}

}  // namespace constable::checks::docs
