#include "secrets/rules.hpp"

namespace constable::secrets::detail {

namespace {

// Shared wording of why placeholders stay silent.
#define CONSTABLE_PLACEHOLDERS                                                                                   \
  " Placeholders never fire: values containing example/EXAMPLE, changeme, changethis, dummy, fake, sample, " \
  "placeholder, redacted, your_..., <...>, [...], ${VAR}, $VAR, {{ ... }}, %s, xxxx or ****, a value cut short " \
  "with ..., one repeated character, and any value " \
  "in *.example, *.sample, *.template or *.dist files."

constexpr std::array<Rule, kRuleCount> kRules = {{
    {"gcp-service-account", "Google Cloud service account key",
     "A service-account JSON key file (\"type\": \"service_account\") with a \"private_key\" string holding real "
     "key material; the value is the private_key string." CONSTABLE_PLACEHOLDERS},
    {"private-key", "Private key",
     "A PEM or PGP private key block (-----BEGIN [RSA|EC|OPENSSH|DSA|PGP|ENCRYPTED] PRIVATE KEY----- or PGP "
     "PRIVATE KEY BLOCK) up to its END line; the value is the whole block. A header alone, or a block whose body "
     "is not at least 64 base64 characters of key material (\"...\", \"<key>\"), does not fire." CONSTABLE_PLACEHOLDERS},
    {"aws-access-key-id", "AWS access key ID",
     "An AWS access key id: AKIA (long-term) or ASIA (temporary) followed by 16 base32 characters [A-Z2-7]. "
     "AWS's documented AKIAIOSFODNN7EXAMPLE does not fire." CONSTABLE_PLACEHOLDERS},
    {"aws-secret-access-key", "AWS secret access key",
     "40 base64 characters assigned to an aws_secret_access_key / SecretAccessKey name (the key is only "
     "recognisable by its context). AWS's documented ...EXAMPLEKEY value does not fire." CONSTABLE_PLACEHOLDERS},
    {"gcp-api-key", "Google API key",
     "A Google Cloud / Firebase API key: AIza followed by 35 characters [0-9A-Za-z_-]." CONSTABLE_PLACEHOLDERS},
    {"azure-storage-key", "Azure storage account key",
     "The AccountKey= (or SharedAccessKey=) of an Azure storage / Service Bus connection string: 40-100 base64 "
     "characters. The publicly documented storage emulator key does not fire." CONSTABLE_PLACEHOLDERS},
    {"github-token", "GitHub token",
     "A GitHub personal access, OAuth, user-to-server, server-to-server or refresh token (ghp_, gho_, ghu_, ghs_, "
     "ghr_ + 36 alphanumerics) or a fine-grained token (github_pat_...). Truncated tokens (ghp_short) and "
     "low-diversity bodies (ghp_aaaa...) do not fire." CONSTABLE_PLACEHOLDERS},
    {"gitlab-token", "GitLab personal access token",
     "A GitLab personal/project/group access token: glpat- followed by at least 20 characters [A-Za-z0-9_-]."
         CONSTABLE_PLACEHOLDERS},
    {"slack-token", "Slack token",
     "A Slack bot, app, user, refresh or legacy token: xoxb-, xoxa-, xoxp-, xoxr-, xoxs- followed by at least 10 "
     "characters." CONSTABLE_PLACEHOLDERS},
    {"slack-webhook", "Slack incoming webhook URL",
     "A Slack incoming webhook, https://hooks.slack.com/services/T.../B.../<secret>; the value is the URL."
         CONSTABLE_PLACEHOLDERS},
    {"stripe-live-key", "Stripe live secret key",
     "A Stripe live secret or restricted key (sk_live_, rk_live_ + at least 16 alphanumerics). Test-mode keys "
     "(sk_test_, rk_test_) and publishable keys (pk_) never fire." CONSTABLE_PLACEHOLDERS},
    {"twilio-api-key", "Twilio API key",
     "A Twilio API key SID: SK followed by 32 lower-case hex digits, as a whole word." CONSTABLE_PLACEHOLDERS},
    {"twilio-auth-token", "Twilio auth token",
     "A Twilio auth token (32 hex digits) near a Twilio account SID (AC + 32 hex): assigned to an auth_token / "
     "authToken name, or passed right after the SID (Client(\"AC...\", \"...\")). The SID alone is not a "
     "secret." CONSTABLE_PLACEHOLDERS},
    {"sendgrid-api-key", "SendGrid API key",
     "A SendGrid API key: SG.<22 characters>.<43 characters>." CONSTABLE_PLACEHOLDERS},
    {"anthropic-api-key", "Anthropic API key",
     "An Anthropic API or admin key: sk-ant- followed by at least 20 characters [A-Za-z0-9_-]."
         CONSTABLE_PLACEHOLDERS},
    {"openai-api-key", "OpenAI API key",
     "An OpenAI key: a project / service-account / admin key (sk-proj-, sk-svcacct-, sk-admin- + at least 20 "
     "characters) or a legacy user key (sk- + exactly 48 alphanumerics)." CONSTABLE_PLACEHOLDERS},
    {"npm-token", "npm access token", "An npm access token: npm_ followed by 36 alphanumerics." CONSTABLE_PLACEHOLDERS},
    {"pypi-token", "PyPI API token",
     "A PyPI API token: pypi- followed by the base64 macaroon for pypi.org (AgEIcHlwaS5vcmc...) and at least 50 more "
     "characters." CONSTABLE_PLACEHOLDERS},
    {"jwt", "JSON Web Token",
     "A signed JSON Web Token: three base64url parts, header and payload starting eyJ (a JSON object) and a "
     "signature of at least 16 characters. Unsigned tokens and jwt.io's documented sample token do not fire."
         CONSTABLE_PLACEHOLDERS},
    {"neon-database-url", "Neon database URL with a password",
     "A postgres:// URL to a Neon host (*.neon.tech) with a literal password (user:password@host); the value is the "
     "password. Passwords that are variables (${DB_PASSWORD}, $PASS), format slots ({password}, %s), well-known "
     "defaults (password, postgres, root, admin, guest) or contain test do not fire." CONSTABLE_PLACEHOLDERS},
    {"database-url", "Database URL with a password",
     "A postgres(ql)://, mysql://, mariadb://, mongodb(+srv)://, redis(s):// or amqp(s):// URL with a literal "
     "password (user:password@host); the value is the password. Passwords that are variables (${DB_PASSWORD}, "
     "$PASS), format slots ({password}, %s), well-known defaults (password, postgres, root, admin, guest) or "
     "contain test do not fire." CONSTABLE_PLACEHOLDERS},
    {"kafka-sasl-password", "Kafka SASL password",
     "The password of a Kafka SASL login: password=\"...\" inside sasl.jaas.config, or a KAFKA_SASL_PASSWORD / "
     "sasl.password / sasl_password assignment. Variables, well-known defaults and values containing test do not "
     "fire." CONSTABLE_PLACEHOLDERS},
    {"dotenv-secret", "Secret in a .env file",
     "In a .env or .env.<environment> file (never .env.example, .env.sample, .env.template, .env.dist), a "
     "non-empty literal value for a secret-like name (DB_PASSWORD, API_KEY, GITHUB_TOKEN, CLIENT_SECRET; not "
     "TOKEN_FILE, SECRET_PATH, AWS_ACCESS_KEY_ID). Variables, well-known defaults and values containing test do "
     "not fire." CONSTABLE_PLACEHOLDERS},
    {"generic-assignment", "Hard-coded secret assignment",
     "A literal assigned to a secret-like name (password=, passwd:, secret:, token:, api_key = \"...\", "
     "clientSecret: ...) in YAML, JSON, .env, ini or code, but only when the value looks random: at least 12 "
     "characters, no whitespace, Shannon entropy >= 3 bits/char with 3 character classes (or >= 3.5 bits with "
     "letters and digits and 20+ characters). Identifiers and code (settings.SECRET_KEY, GITHUB_TOKEN, e.token, "
     "Pass::run, a ? b : c), values made of words (V1SecretReference, Hardware-backed), secret manager references "
     "(arn:..., projects/.../secrets/..., op://...), elided values (eyJ...), paths, URLs and UUIDs do not fire." CONSTABLE_PLACEHOLDERS},
}};

#undef CONSTABLE_PLACEHOLDERS

// A generic secret-like name, as the Vectorscan anchor and in the RE2 validator.
#define CONSTABLE_SECRET_WORD \
  "pass|secret|token|cred|api[_.\\-]?key|private[_.\\-]?key|access[_.\\-]?key|signing[_.\\-]?key|encryption[_.\\-]?key"

constexpr Detector kDetectors[] = {
    {kPrivateKey, Kind::PrivateKey,
     R"(-----BEGIN (RSA |EC |OPENSSH |DSA |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----)", false, nullptr, 0, 128, 0, false},
    {kGcpServiceAccount, Kind::GcpServiceAccount, R"("type"\s*:\s*"service_account")", false,
     R"re("private_key"\s*:\s*"([^"]{64,})")re", 1, 16384, 16384, false},
    {kAwsAccessKeyId, Kind::Token, R"((AKIA|ASIA)[A-Z2-7]{16})", false,
     R"((?:^|[^A-Za-z0-9])((?:AKIA|ASIA)[A-Z2-7]{16})(?:[^A-Za-z0-9]|$))", 1, 256, 256, true},
    {kAwsSecretAccessKey, Kind::AwsSecret, R"(secret_?access_?key)", true,
     R"re((?i:secret_?access_?key)["']?[ \t]*(?::=|=>|=|:)[ \t]*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))re", 1,
     256, 512, true},
    {kGcpApiKey, Kind::Token, R"(AIza[0-9A-Za-z_\-]{35})", false,
     R"((?:^|[^0-9A-Za-z_\-])(AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$))", 1, 256, 256, true},
    {kAzureStorageKey, Kind::Token, R"((AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40})", false,
     R"((?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,100}={0,2}))", 1, 256, 512, true},
    {kGithubToken, Kind::Token, R"(gh[pousr]_[A-Za-z0-9]{36})", false,
     R"((?:^|[^A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,251})(?:[^A-Za-z0-9_]|$))", 1, 256, 512, true},
    {kGithubToken, Kind::Token, R"(github_pat_[A-Za-z0-9_]{22})", false,
     R"((?:^|[^A-Za-z0-9_])(github_pat_[A-Za-z0-9_]{22,244})(?:[^A-Za-z0-9_]|$))", 1, 256, 512, true},
    {kGitlabToken, Kind::Token, R"(glpat-[A-Za-z0-9_\-]{20})", false,
     R"((?:^|[^A-Za-z0-9_\-])(glpat-[A-Za-z0-9_\-]{20,250}))", 1, 256, 512, true},
    {kSlackToken, Kind::Token, R"(xox[baprs]-[A-Za-z0-9\-]{10})", false,
     R"((?:^|[^A-Za-z0-9_\-])(xox[baprs]-[A-Za-z0-9][A-Za-z0-9\-]{9,250}))", 1, 256, 512, true},
    {kSlackWebhook, Kind::Token, R"(hooks\.slack\.com/services/T)", false,
     R"((https://hooks\.slack\.com/services/T[A-Za-z0-9_]{6,}/B[A-Za-z0-9_]{6,}/[A-Za-z0-9_]{20,}))", 1, 256, 512, true},
    {kStripeLiveKey, Kind::Token, R"([sr]k_live_[A-Za-z0-9]{16})", false,
     R"((?:^|[^A-Za-z0-9_])((?:sk|rk)_live_[A-Za-z0-9]{16,247}))", 1, 256, 512, true},
    {kTwilioApiKey, Kind::Token, R"(SK[0-9a-f]{32})", false,
     R"((?:^|[^A-Za-z0-9])(SK[0-9a-f]{32})(?:[^A-Za-z0-9]|$))", 1, 256, 256, true},
    {kTwilioAuthToken, Kind::Token, R"(AC[0-9a-f]{32})", false,
     R"re((?i:auth_?token)["']?[ \t]*(?::=|=>|=|:)[ \t]*["']?([0-9a-f]{32})(?:[^0-9A-Za-z]|$)|AC[0-9a-f]{32}["']?[ \t]*,[ \t]*["']([0-9a-f]{32})["'])re",
     1, 1024, 1024, false},
    {kSendgridApiKey, Kind::Token, R"(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})", false,
     R"((?:^|[^A-Za-z0-9_\-])(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$))", 1, 256, 256, true},
    {kAnthropicApiKey, Kind::Token, R"(sk-ant-[A-Za-z0-9_\-]{20})", false,
     R"((?:^|[^A-Za-z0-9_\-])(sk-ant-[A-Za-z0-9_\-]{20,250}))", 1, 256, 512, true},
    {kOpenaiApiKey, Kind::Token, R"(sk-(proj|svcacct|admin)-[A-Za-z0-9_\-]{20})", false,
     R"((?:^|[^A-Za-z0-9_\-])(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,250}))", 1, 256, 512, true},
    {kOpenaiApiKey, Kind::Token, R"(sk-[A-Za-z0-9]{48})", false,
     R"((?:^|[^A-Za-z0-9_\-])(sk-[A-Za-z0-9]{48})(?:[^A-Za-z0-9_\-]|$))", 1, 256, 256, true},
    {kNpmToken, Kind::Token, R"(npm_[A-Za-z0-9]{36})", false,
     R"((?:^|[^A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?:[^A-Za-z0-9_]|$))", 1, 256, 256, true},
    {kPypiToken, Kind::Token, R"(pypi-AgEIcHlwaS5vcmc)", false, R"((pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}))", 1,
     256, 1024, true},
    {kJwt, Kind::Token, R"(eyJ[A-Za-z0-9_\-]{4,}\.eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{8})", false,
     R"((?:^|[^A-Za-z0-9_\-])(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,}))", 1, 4096, 4096, true},
    {kDatabaseUrl, Kind::DatabaseUrl,
     R"((postgres(ql)?|mysql|mariadb|mongodb(\+srv)?|rediss?|amqps?)://[^\s/@:"'<>]*:[^\s/@"'<>${%][^\s/@"'<>]*@)", true,
     R"re((?i:(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?))://([^\s/@:"'<>]*):([^\s/@"'<>]+)@([^\s/:"'<>?#,;]*))re",
     3, 512, 512, true},
    {kKafkaSaslPassword, Kind::UserChosen, R"(sasl\.jaas\.config)", false,
     R"re(sasl\.jaas\.config[^;]*?password[ \t]*=[ \t]*"([^"\r\n]*)")re", 1, 64, 2048, false},
    {kKafkaSaslPassword, Kind::UserChosen, R"(kafka_sasl_password|sasl[._]password)", true,
     R"re((?i:kafka_sasl_password|sasl[._]password)["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s"'`,;#]+)))re",
     1, 256, 512, true},
    {kGenericAssignment, Kind::Assignment,
     // The value must start like a literal (not ${VAR}, <...>, {{ }}) and have 12+ characters.
     "(" CONSTABLE_SECRET_WORD ")[A-Za-z0-9_.\\-]*[\"']?[ \\t]*(:=|=>|=|:)[ \\t]*[\"'`]?[^\\s\"'`$<{][^\\s\"'`]{11}",
     true,
     "([A-Za-z0-9_.\\-]*(?i:" CONSTABLE_SECRET_WORD
     ")[A-Za-z0-9_.\\-]*)[\"']?[ \\t]*(?::=|=>|=|:)[ \\t]*(?:\"([^\"\\r\\n]*)\"|'([^'\\r\\n]*)'|`([^`\\r\\n]*)`|"
     "([^\\s\"'`,;#(){}\\[\\]<>]+))",
     2, 256, 512, true},
    {kDotenvSecret, Kind::Dotenv,
     "(" CONSTABLE_SECRET_WORD ")[A-Za-z0-9_.\\-]*[ \\t]*=[ \\t]*[\"']?[^\\s\"'#]", true,
     R"re((?m)^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s#]*)))re",
     2, 256, 512, true},
};

#undef CONSTABLE_SECRET_WORD

}  // namespace

const std::array<Rule, kRuleCount>& rule_table() { return kRules; }

std::span<const Detector> detector_table() { return kDetectors; }


}  // namespace constable::secrets::detail
