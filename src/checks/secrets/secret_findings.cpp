#include "checks/secrets/secret_findings.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "secrets/scanner.hpp"
#include "workspace/glob.hpp"
#include "workspace/provenance.hpp"

namespace constable::checks::secrets {

namespace {

bool allowed(const constable::secrets::Match& match, std::string_view value, std::string_view path,
             const engine::Config& config) {
  for (const auto& allowance : config.secret_allowlist) {
    if (!allowance.rule.empty() && allowance.rule != match.rule_id) continue;
    if (!allowance.path.empty() && !workspace::glob_matches(allowance.path, path)) continue;
    if (!allowance.fingerprint.empty() && allowance.fingerprint != constable::secrets::value_fingerprint(value))
      continue;
    return true;
  }
  return false;
}

}  // namespace

void report_secrets(const engine::FileContext& file, engine::Emitter& out, std::string_view where) {
  const std::string_view text = file.text();
  // Where keys and passwords are examples: a test's sources, a documentation page.
  const bool examples = workspace::is_test_source(file.file().path) || workspace::is_documentation_page(file.file().path);
  for (const auto& match : constable::secrets::Scanner::builtin().scan(text, file.file().path)) {
    if (examples && match.test_input_kind) continue;
    const std::string_view value = text.substr(match.offset, match.length);
    if (allowed(match, value, file.file().path, file.config())) continue;
    const SourceRange range{match.line, match.column, match.end_line, match.end_column};
    out.emit({.range = range,
              .message = fmt::format("{} {} ({}); fingerprint {}", match.rule_name, where, text::redact(value),
                                     constable::secrets::value_fingerprint(value)),
              .secrets = {range}});
  }
}

}  // namespace constable::checks::secrets
