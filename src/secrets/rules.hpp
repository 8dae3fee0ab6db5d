#pragma once
// The built-in rule table of the secret scanner (private to src/secrets).
//
// Every detector pairs a Vectorscan *anchor* (cheap, literal-led, compiled with
// all the others into one block-mode database) with an RE2 *validator* that
// runs only on a bounded window around an anchor hit and captures the value.

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "secrets/scanner.hpp"

namespace constable::secrets::detail {

// How a detector's validated value is filtered, and which rule it reports.
enum class Kind {
  Token,              // provider format: placeholder / low-diversity filter
  AwsSecret,          // 40 base64 characters after an aws secret key name
  PrivateKey,         // PEM / PGP block up to its END line
  GcpServiceAccount,  // the "private_key" string of a service-account JSON
  DatabaseUrl,        // scheme://user:password@host, password group 3, host group 4
  UserChosen,         // a password a human chose (Kafka SASL): placeholder filter only
  Assignment,         // generic `secret-name = high-entropy literal`
  Dotenv,             // `SECRET_NAME=literal` line of a .env file (ignored elsewhere)
};

struct Detector {
  std::size_t rule;  // index into rule_table()
  Kind kind;
  const char* anchor;     // Vectorscan expression
  bool caseless;          // HS_FLAG_CASELESS for the anchor
  const char* validator;  // RE2; the value is the first non-empty group >= first_value_group
  int first_value_group;
  std::size_t back;  // window: bytes before the anchor's end
  std::size_t fwd;   // window: bytes after the anchor's end
  bool line_window;  // the window also stops at the anchor's line ends (single-line formats)
};

// Indices into rule_table(), in priority order: when two matches overlap the
// one with the lower index (the more specific rule) wins.
enum RuleIndex : std::size_t {
  kGcpServiceAccount,
  kPrivateKey,
  kAwsAccessKeyId,
  kAwsSecretAccessKey,
  kGcpApiKey,
  kAzureStorageKey,
  kGithubToken,
  kGitlabToken,
  kSlackToken,
  kSlackWebhook,
  kStripeLiveKey,
  kTwilioApiKey,
  kTwilioAuthToken,
  kSendgridApiKey,
  kAnthropicApiKey,
  kOpenaiApiKey,
  kNpmToken,
  kPypiToken,
  kJwt,
  kNeonDatabaseUrl,
  kDatabaseUrl,
  kKafkaSaslPassword,
  kDotenvSecret,
  kGenericAssignment,
  kRuleCount
};

const std::array<Rule, kRuleCount>& rule_table();
std::span<const Detector> detector_table();

}  // namespace constable::secrets::detail
