#pragma once
// Heuristics for secrets: names that say a value is a credential, values that
// look like one (known token formats), and placeholders that never count.
// Shared by the Dockerfile checks and, later, secret scanning.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace constable::checks::secrets {

// A name that says its value is a credential: DB_PASSWORD, API_KEY,
// GITHUB_TOKEN, clientSecret... but not TOKEN_FILE, SECRET_PATH,
// AWS_ACCESS_KEY_ID or TOKENIZER_VERSION (the last word names a reference
// to a secret, or something else, rather than the secret itself), nor
// ALLOW_EMPTY_PASSWORD (a switch about one).
bool is_secret_name(std::string_view name);
// A name's words, upper-case, split on '_', '-', '.', ' ' and camelCase humps:
// "storageAccountKey" -> {"STORAGE", "ACCOUNT", "KEY"}.
std::vector<std::string> name_words(std::string_view name);

// Placeholder values that never count as secrets: "", "changeme",
// "<token>", "${TOKEN}", "$TOKEN", "GOOGLE_API_KEY_VAL", "xxxx", "****", "dummy", "example", "fake",
// "sample", "{{ .Values.x }}", "{password}", "%s", one repeated character...
bool is_placeholder(std::string_view value);

// True when the value refers to a variable rather than holding a literal.
bool is_variable_reference(std::string_view value);

// What kind of secret a value looks like ("a GitHub token", "a private key",
// "a URL with an embedded password"), or nullopt. Placeholders and values
// shorter than 8 characters never match.
std::optional<std::string_view> secret_value_kind(std::string_view value);

}  // namespace constable::checks::secrets
