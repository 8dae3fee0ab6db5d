#pragma once
// Scanning a file for secrets and reporting each, shared by the secret checks:
// the allowlist, redaction and message are the same wherever a secret is found.

#include <string_view>

#include "engine/check.hpp"

namespace constable::checks::secrets {

// Scans the file and emits one finding per secret not allowed by
// secrets.allowlist; `where` completes the message ("committed in the file").
void report_secrets(const engine::FileContext& file, engine::Emitter& out, std::string_view where);

}  // namespace constable::checks::secrets
