#pragma once
// `.constable.yaml`: the repository's configuration, validated once before
// any file is scanned (unknown keys and bad values fail with file:line).

#include <cstdint>
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/types.hpp"

namespace constable::engine {

// A time-boxed exception: findings of `check` under `path` are waived until
// `expires`; after that the waiver itself is a finding.
struct Waiver {
  std::string check;  // check id
  std::string path;   // gitignore-style glob, relative to the root
  std::string reason;
  std::string owner;
  Date expires;
  int line = 0;  // in the config file
};

// A clause no file can show ("Team members MUST complete kubectl-ai training")
// is enforced by an attestation: someone owns it, points at evidence and
// renews it before it expires. An expired attestation, or one whose evidence
// is missing or whose clause does not exist, is itself a finding.
struct Attestation {
  std::string clause;    // clause id, as `constable coverage` shows it
  std::string evidence;  // repository-relative path, or an http(s) URL
  std::string owner;
  Date date;             // when it was attested
  Date expires;
  std::string note;      // optional
  int line = 0;           // of the entry in the config file
  int evidence_line = 0;  // of its 'evidence' value
  int clause_line = 0;    // of its 'clause' value

  bool evidence_is_url() const { return evidence.starts_with("https://") || evidence.starts_with("http://"); }
};

struct DockerOptions {
  // Registries (and registry/namespace prefixes) the organisation approves,
  // e.g. "registry.example.com", "ghcr.io/acme".
  std::vector<std::string> approved_registries;
  // Publishers whose images count as official besides Docker Hub's library.
  std::vector<std::string> official_registries = {
      "gcr.io/distroless", "mcr.microsoft.com", "public.ecr.aws/docker/library",
      "cgr.dev/chainguard", "registry.access.redhat.com", "registry.k8s.io"};
};

struct GitConventions {
  // Conventional Commits types accepted in commit subjects.
  std::vector<std::string> commit_types = {"feat", "fix",  "docs", "style", "refactor", "perf",
                                           "test", "build", "ci",  "chore", "revert"};
  // Branches exempt from the naming prefixes (the trunk).
  std::vector<std::string> trunk = {"main", "master"};
  // Prefixes allowed besides the constitution's, e.g. "release/".
  std::vector<std::string> extra_branch_prefixes;
};

// An accepted secret-like value: by rule, by path glob, or by the value's
// fingerprint (never the value itself). A reason is required.
struct SecretAllowance {
  std::string rule;         // scanner rule id, "" for any
  std::string path;         // gitignore-style glob, "" for any
  std::string fingerprint;  // secrets::value_fingerprint, "" for any
  std::string reason;
  int line = 0;
};

// What counts as production, for clauses that speak of production
// ("latest tag is PROHIBITED in production"). Built-in rules (values-prod.yaml,
// overlays and namespaces named prod/production) always apply; these add more.
struct ProductionRules {
  std::vector<std::string> paths;       // gitignore-style globs of production files or directories
  std::vector<std::string> namespaces;  // namespaces that are production, e.g. "live"
};

// What `constable serve` does with a review's violations, by severity.
enum class AdmissionAction : std::uint8_t {
  deny,   // refuse the object (403), naming each violated clause
  warn,   // admit it with a warning per violation
  audit,  // admit it silently; the decision log and metrics record it
};
std::string_view to_string(AdmissionAction action);

// `admission:` in .constable.yaml: the webhook's enforcement and exemptions.
struct AdmissionOptions {
  // Indexed by Severity (critical, high, medium, low).
  std::array<AdmissionAction, 4> enforcement{AdmissionAction::deny, AdmissionAction::deny, AdmissionAction::warn,
                                             AdmissionAction::warn};
  std::vector<std::string> exempt_namespaces{"kube-system", "constable"};
  std::vector<std::string> exempt_users;   // e.g. system:serviceaccount:argocd:argocd-application-controller
  std::vector<std::string> exempt_groups;  // e.g. system:masters

  AdmissionAction action_for(Severity severity) const { return enforcement[static_cast<std::size_t>(severity)]; }
};

struct Config {
  std::string source;  // the file it was read from, "" for defaults only
  std::string source_digest;  // SHA-256 of that file's text: names results made with it
  std::optional<std::string> constitution;
  // An earlier version of the constitution, for transition periods where git
  // history does not hold one (a ConfigMap at admission); relative like `constitution`.
  std::optional<std::string> previous_constitution;
  std::vector<std::string> exclude;
  // Files that are not the project's own (vendored, generated, fixtures,
  // documentation, binary) judged anyway: those names, or gitignore-style globs.
  std::vector<std::string> include;
  std::vector<std::string> select;  // check ids or domains ("docker")
  std::vector<std::string> ignore;
  std::optional<Severity> fail_on;
  bool fail_on_none = false;  // `fail_on: none`: no finding fails the run
  std::uintmax_t max_file_size = 10ULL * 1024 * 1024;
  int sprint_days = 14;
  DockerOptions docker;
  GitConventions git;
  std::vector<SecretAllowance> secret_allowlist;
  ProductionRules production;
  std::vector<Waiver> waivers;
  std::vector<Attestation> attestations;
  AdmissionOptions admission;
  // Directories of Rego policies (conftest style) bound to clauses by their
  // METADATA (docs/policies.md), relative to the configuration file.
  std::vector<std::string> policies;
};

// The top-level keys `.constable.yaml` accepts, in the order the README
// documents them; docs/schema/constable-config.schema.json lists the same.
inline constexpr std::string_view kConfigKeys[] = {
    "constitution", "previous_constitution", "exclude", "include",    "select",  "ignore",       "fail_on",
    "max_file_size", "sprint_days",          "docker",  "git",        "secrets", "production", "waivers",
    "attestations",  "admission",             "policies"};

// Every problem of the file is reported, each with its line and column: the
// error's message holds the first, then one "path:line:column: message" line
// for each further one.
Result<Config> parse_config(std::string_view yaml, std::string path);

// The configuration file is small; a larger one is refused before it is parsed.
inline constexpr std::uintmax_t kMaxConfigSize = 1024 * 1024;

// Reads and parses `file`. The repository's own `.constable.yaml` is confined
// to the repository (`confine_to` is its root: a symlink out of it is not
// followed); a file the user named (--config) may be anywhere.
Result<Config> load_config(const std::filesystem::path& file, const std::filesystem::path& confine_to = {});

// "10MB", "512KiB", "1048576" -> bytes.
std::optional<std::uintmax_t> parse_byte_size(std::string_view text);

}  // namespace constable::engine
