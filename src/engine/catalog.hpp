#pragma once
// Every check constable ships, registered explicitly and in id order by one
// module per domain, plus the rules the engine itself reports under.

#include <span>
#include <string_view>
#include <vector>

#include "engine/check.hpp"

namespace constable::engine {

// Rules reported by the engine rather than by a check.
namespace rules {
extern const CheckInfo kParseError;          // constable/parse-error
extern const CheckInfo kRenderError;         // constable/render-error
extern const CheckInfo kUnreadableFile;      // constable/unreadable-file
extern const CheckInfo kInvalidSuppression;  // constable/invalid-suppression
extern const CheckInfo kExpiredWaiver;       // constable/expired-waiver
extern const CheckInfo kExpiredAttestation;  // constable/expired-attestation
extern const CheckInfo kInvalidAttestation;  // constable/invalid-attestation
extern const CheckInfo kUnattestedClause;    // constable/unattested-clause (--require-attestations)
std::span<const CheckInfo* const> all();
}  // namespace rules

class Catalog {
 public:
  explicit Catalog(std::vector<CheckFactory> factories);
  // All checks of all domains (src/checks/all_checks.cpp).
  static const Catalog& builtin();

  std::span<const CheckFactory> factories() const { return factories_; }
  // Metadata of every check, in registration order.
  const std::vector<const CheckInfo*>& infos() const { return infos_; }
  const CheckInfo* find(std::string_view id) const;

 private:
  std::vector<CheckFactory> factories_;
  std::vector<std::unique_ptr<Check>> prototypes_;  // own the CheckInfo the views point to
  std::vector<const CheckInfo*> infos_;
};

}  // namespace constable::engine
