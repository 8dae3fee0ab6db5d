// Every built-in rule: a realistic (generated) secret fires with the exact value
// span, line and column; placeholder variants stay silent.

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <set>
#include <string>

#include "secrets/rules.hpp"
#include "unit/secrets/secrets_test_support.hpp"

namespace constable::secrets::testing {
namespace {

TEST(SecretsRules, TableIsCompleteAndDescribed) {
  const auto rules = Scanner::builtin().rules();
  std::set<std::string_view> ids;
  for (const Rule& rule : rules) {
    EXPECT_FALSE(rule.id.empty());
    EXPECT_FALSE(rule.name.empty());
    EXPECT_NE(rule.description.find("Placeholders never fire"), std::string_view::npos) << rule.id;
    EXPECT_TRUE(ids.insert(rule.id).second) << "duplicate " << rule.id;
  }
  for (std::string_view id : {"private-key",
                              "gcp-service-account",
                              "aws-access-key-id",
                              "aws-secret-access-key",
                              "gcp-api-key",
                              "azure-storage-key",
                              "github-token",
                              "gitlab-token",
                              "slack-token",
                              "slack-webhook",
                              "stripe-live-key",
                              "twilio-api-key",
                              "twilio-auth-token",
                              "sendgrid-api-key",
                              "anthropic-api-key",
                              "openai-api-key",
                              "npm-token",
                              "pypi-token",
                              "jwt",
                              "neon-database-url",
                              "database-url",
                              "kafka-sasl-password",
                              "dotenv-secret",
                              "generic-assignment"}) {
    EXPECT_TRUE(ids.contains(id)) << id;
  }
}

// The scanner compiles validators on first use; every one must compile, or
// its detector would silently find nothing.
TEST(SecretsRules, EveryValidatorCompiles) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  for (const auto& detector : secrets::detail::detector_table()) {
    if (detector.validator == nullptr) continue;
    const RE2 re(detector.validator, options);
    EXPECT_TRUE(re.ok()) << detector.validator << ": " << re.error();
  }
}

TEST(SecretsRules, PrivateKeyBlock) {
  for (std::string_view kind : {"", "RSA ", "EC ", "OPENSSH ", "DSA ", "ENCRYPTED "}) {
    const std::string begin = "-----BEGIN " + std::string(kind) + "PRIVATE KEY-----";
    const std::string end = "-----END " + std::string(kind) + "PRIVATE KEY-----";
    const std::string block = begin + "\n" + pem_body(5, 11) + end;
    expect_single("# deploy key\n" + block + "\n", "deploy/id_rsa", "private-key", block);
  }
  const std::string pgp =
      "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + pem_body(6, 3) + "=AbCd\n" + "-----END PGP PRIVATE KEY BLOCK-----";
  expect_single("key: |\n" + pgp + "\n", "keys.asc", "private-key", pgp);
  // CRLF line ends.
  const std::string crlf =
      "-----BEGIN RSA PRIVATE KEY-----\r\n" + pem_body(4, 5, "\r\n") + "-----END RSA PRIVATE KEY-----";
  expect_single("a: b\r\n" + crlf + "\r\n", "k.pem", "private-key", crlf);
}

TEST(SecretsRules, PrivateKeyPlaceholdersAndMentions) {
  const std::string begin = "-----BEGIN RSA " + std::string("PRIVATE KEY-----");
  const std::string end = "-----END RSA " + std::string("PRIVATE KEY-----");
  expect_silent("Paste the key, starting with " + begin + ", into the form.\n");
  expect_silent(begin + "\n...\n" + end + "\n");
  expect_silent(begin + "\n<your private key here>\n" + end + "\n");
  expect_silent(begin + "\n" + std::string(64, 'x') + "\n" + std::string(64, 'x') + "\n" + end + "\n");
  expect_silent(begin + "\n" + pem_body(3, 9));  // no END: not reported (truncated excerpt)
  const std::string real = begin + "\n" + pem_body(5, 11) + end;
  expect_silent(real, "docs/key.pem.example");
}

TEST(SecretsRules, GcpServiceAccountJson) {
  const std::string key = "-----BEGIN PRIVATE KEY-----\\n" + random_string(64, kBase64, 1) + "\\n" +
                          random_string(64, kBase64, 2) + "\\n" + random_string(40, kBase64, 3) +
                          "\\n-----END PRIVATE KEY-----\\n";
  const std::string json =
      "{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n"
      "  \"private_key_id\": \"" +
      random_string(40, kHex, 4) +
      "\",\n"
      "  \"private_key\": \"" +
      key +
      "\",\n"
      "  \"client_email\": \"deployer@acme-prod.iam.gserviceaccount.com\"\n}\n";
  expect_single(json, "ci/gcp-key.json", "gcp-service-account", key);
  std::string placeholder = json;
  placeholder.replace(placeholder.find(key), key.size(),
                      "-----BEGIN PRIVATE KEY-----\\n<your private key>\\n-----END PRIVATE KEY-----\\n");
  expect_silent(placeholder, "ci/gcp-key.json");
}

TEST(SecretsRules, AwsAccessKeyId) {
  const std::string id = "AKIA" + random_string(16, kBase32, 7);
  expect_single("[default]\naws_access_key_id = " + id + "\nregion = eu-west-1\n", "aws/credentials",
                "aws-access-key-id", id);
  const std::string temporary = "ASIA" + random_string(16, kBase32, 8);
  expect_single("  AccessKeyId: \"" + temporary + "\"\n", "stack.yaml", "aws-access-key-id", temporary);
  expect_silent("aws_access_key_id = AKIA" + std::string("IOSFODNN7EXAMPLE") + "\n");
  expect_silent("aws_access_key_id = AKIA" + std::string(16, 'X') + "\n");
  expect_silent("id: XAKIA" + random_string(16, kBase32, 7) + "\n");  // part of a longer word
  expect_silent("aws_access_key_id = ${AWS_ACCESS_KEY_ID}\n");
}

TEST(SecretsRules, AwsSecretAccessKey) {
  const std::string secret = random_string(40, kBase64, 21);
  expect_single("[default]\naws_secret_access_key = " + secret + "\n", "aws/credentials", "aws-secret-access-key",
                secret);
  expect_single("{\"SecretAccessKey\": \"" + secret + "\"}", "out.json", "aws-secret-access-key", secret);
  expect_silent("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/" + std::string("bPxRfiCYEXAMPLEKEY") + "\n");
  expect_silent("aws_secret_access_key = " + std::string(40, 'x') + "\n");
  expect_silent("aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n");
}

TEST(SecretsRules, GcpApiKey) {
  const std::string key = "AIza" + random_string(35, kBase64Url, 31);
  expect_single("firebase:\n  apiKey: \"" + key + "\"\n", "web/firebase.yaml", "gcp-api-key", key);
  expect_silent("apiKey: \"AIza" + std::string(35, 'x') + "\"\n");
  expect_silent("apiKey: \"AIza<your-api-key>\"\n");
}

TEST(SecretsRules, AzureStorageKey) {
  const std::string key = random_string(86, kBase64, 41) + "==";
  const std::string conn =
      "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=" + key +
      ";EndpointSuffix=core.windows.net\n";
  expect_single(conn, "deploy/app.env", "azure-storage-key", key);
  expect_silent("conn: DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<your-account-key>\n");
  expect_silent("conn: DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${ACCOUNT_KEY}\n");
  expect_silent(
      "conn: AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
      "K1SZFPTOtr/KBHBeksoGMGw==\n");
}

TEST(SecretsRules, GithubTokens) {
  for (std::string_view prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
    const std::string token = std::string(prefix) + random_string(36, kAlnum, 51);
    expect_single("env:\n  GH_TOKEN: " + token + "\n", ".github/workflows/ci.yml", "github-token", token);
  }
  const std::string fine = "github_pat_" + random_string(22, kAlnum, 52) + "_" + random_string(59, kAlnum, 53);
  expect_single("token = \"" + fine + "\"\n", "tools/release.py", "github-token", fine);
  expect_silent("GH_TOKEN: ghp_" + std::string(36, 'x') + "\n");
  expect_silent("GH_TOKEN: ghp_short\n");
  expect_silent("GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n");
  expect_silent("GH_TOKEN: ghp_" + std::string(36, 'a') + "\n");
}

TEST(SecretsRules, GitlabToken) {
  const std::string token = "glpat-" + random_string(20, kAlnum, 61);
  expect_single("GITLAB_TOKEN: " + token + "\n", ".gitlab-ci.yml", "gitlab-token", token);
  expect_silent("GITLAB_TOKEN: glpat-xxxxxxxxxxxxxxxxxxxx\n");
  expect_silent("GITLAB_TOKEN: glpat-<your-token-goes-here>\n");
}

TEST(SecretsRules, SlackTokenAndWebhook) {
  const std::string token = "xoxb-" + random_string(12, kDigits, 71) + "-" + random_string(13, kDigits, 72) + "-" +
                            random_string(24, kAlnum, 73);
  expect_single("slack:\n  bot_token: " + token + "\n", "chart/values.yaml", "slack-token", token);
  const std::string hook = "https://hooks.slack.com/services/T" + random_string(8, kUpperDigits, 74) + "/B" +
                           random_string(8, kUpperDigits, 75) + "/" + random_string(24, kAlnum, 76);
  expect_single("notify:\n  url: " + hook + "\n", "alerting.yaml", "slack-webhook", hook);
  expect_silent("bot_token: xoxb-your-token-here\n");
  // A counted-out sample in documentation (argo-cd's notifications/services/slack.md).
  expect_silent("| `token` | The app's OAuth access token. | `xoxb-1234567890-1234567890123-5n38u5ed63fgzqlvuyxvxcx6` |\n",
                "docs/slack.md");
  expect_silent("url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n");
}

TEST(SecretsRules, StripeLiveKeysOnly) {
  const std::string live =
      "sk_"
      "live_" +
      random_string(24, kAlnum, 81);
  expect_single("STRIPE_KEY = '" + live + "'\n", "billing/settings.py", "stripe-live-key", live);
  const std::string restricted =
      "rk_"
      "live_" +
      random_string(24, kAlnum, 82);
  expect_single("key: " + restricted + "\n", "billing.yaml", "stripe-live-key", restricted);
  expect_silent(
      "STRIPE_KEY = 'sk_"
      "test_" +
      random_string(24, kAlnum, 83) + "'\n");
  expect_silent(
      "STRIPE_PUBLISHABLE = 'pk_"
      "live_" +
      random_string(24, kAlnum, 84) + "'\n");
  expect_silent(
      "STRIPE_KEY = 'sk_"
      "live_" +
      std::string(24, 'x') + "'\n");
}

TEST(SecretsRules, TwilioApiKeyAndAuthToken) {
  const std::string key = "SK" + random_string(32, kHex, 91);
  expect_single("twilio:\n  api_key_sid: " + key + "\n", "sms.yaml", "twilio-api-key", key);
  expect_silent("twilio:\n  api_key_sid: SK" + std::string(32, '0') + "\n");

  const std::string sid = "AC" + random_string(32, kHex, 92);
  const std::string auth = random_string(32, kHex, 93);
  expect_single("TWILIO_ACCOUNT_SID=" + sid + "\nTWILIO_AUTH_TOKEN=" + auth + "\n", "deploy/sms.sh",
                "twilio-auth-token", auth);
  expect_single("client = Client(\"" + sid + "\", \"" + auth + "\")\n", "sms.py", "twilio-auth-token", auth);
  expect_silent("TWILIO_ACCOUNT_SID=" + sid + "\nTWILIO_AUTH_TOKEN=${TWILIO_AUTH_TOKEN}\n", "deploy/sms.sh");
  expect_silent("TWILIO_ACCOUNT_SID=" + sid + "\n", "deploy/sms.sh");  // a SID alone is not a secret
}

TEST(SecretsRules, SendgridApiKey) {
  const std::string key = "SG." + random_string(22, kBase64Url, 101) + "." + random_string(43, kBase64Url, 102);
  expect_single("SENDGRID_API_KEY: \"" + key + "\"\n", "mail.yaml", "sendgrid-api-key", key);
  expect_silent("SENDGRID_API_KEY: \"SG." + std::string(22, 'x') + "." + std::string(43, 'x') + "\"\n");
}

TEST(SecretsRules, OpenAiAndAnthropicKeys) {
  const std::string project =
      "sk-"
      "proj-" +
      random_string(64, kBase64Url, 111);
  expect_single("OPENAI_API_KEY: " + project + "\n", "ai.yaml", "openai-api-key", project);
  const std::string legacy = "sk-" + random_string(48, kAlnum, 112);
  expect_single("openai.api_key = \"" + legacy + "\"\n", "bot.py", "openai-api-key", legacy);
  const std::string anthropic =
      "sk-"
      "ant-api03-" +
      random_string(93, kBase64Url, 113) + "AA";
  expect_single("ANTHROPIC_API_KEY: " + anthropic + "\n", "ai.yaml", "anthropic-api-key", anthropic);
  expect_silent(
      "OPENAI_API_KEY: sk-"
      "proj-your_api_key_goes_here_123456\n");
  expect_silent(
      "ANTHROPIC_API_KEY: sk-"
      "ant-api03-" +
      std::string(40, 'x') + "\n");
  expect_silent("disk-" + random_string(48, kAlnum, 114) + "\n");
}

TEST(SecretsRules, NpmAndPypiTokens) {
  const std::string npm = "npm_" + random_string(36, kAlnum, 121);
  expect_single("//registry.npmjs.org/:_authToken=" + npm + "\n", ".npmrc", "npm-token", npm);
  expect_silent("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", ".npmrc");
  expect_silent("//registry.npmjs.org/:_authToken=npm_" + std::string(36, '0') + "\n", ".npmrc");
  const std::string pypi =
      "pypi-"
      "AgEIcHlwaS5vcmc" +
      random_string(70, kBase64Url, 122);
  expect_single("[pypi]\nusername = __token__\npassword = " + pypi + "\n", ".pypirc", "pypi-token", pypi);
  expect_silent(
      "[pypi]\npassword = pypi-"
      "AgEIcHlwaS5vcmc" +
          std::string(70, 'x') + "\n",
      ".pypirc");
}

TEST(SecretsRules, JsonWebToken) {
  const std::string jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + random_string(60, kBase64Url, 131) + "." +
                          random_string(43, kBase64Url, 132);
  expect_single("headers:\n  Authorization: Bearer " + jwt + "\n", "http/requests.yaml", "jwt", jwt);
  // jwt.io's documented sample, and an unsigned token.
  expect_silent(
      "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n");
  expect_silent("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.\n");
}

TEST(SecretsRules, DatabaseUrls) {
  const std::string pw = random_string(18, kAlnum, 141);
  for (std::string_view scheme :
       {"postgres", "postgresql", "mysql", "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps"}) {
    const std::string url = std::string(scheme) + "://app:" + pw + "@db.internal:5432/app";
    expect_single("DATABASE_URL: " + url + "\n", "deploy/app.yaml", "database-url", pw);
  }
  expect_single("REDIS_URL=redis://:" + pw + "@cache:6379/0\n", "compose.env.sh", "database-url", pw);
  const std::string neon =
      "postgresql://neondb_owner:" + pw + "@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=require";
  expect_single("url = \"" + neon + "\"\n", "drizzle.config.ts", "neon-database-url", pw);
  for (std::string_view password : {"${DB_PASSWORD}", "$DB_PASSWORD", "changeme", "password", "postgres", "{password}",
                                    "%s", "<password>", "test", "testing123", "****"}) {
    expect_silent("DATABASE_URL: postgres://app:" + std::string(password) + "@db:5432/app\n");
  }
  expect_silent("DATABASE_URL: postgres://db.internal:5432/app\n");
  expect_silent("db: postgres://postgres:postgres@localhost:5432/postgres\n");
}

TEST(SecretsRules, KafkaSasl) {
  const std::string pw = random_string(20, kAlnum, 151);
  const std::string jaas =
      "sasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
      "username=\"svc-orders\" password=\"" +
      pw + "\";\n";
  expect_single(jaas, "config/consumer.properties", "kafka-sasl-password", pw);
  // A weak, human-chosen password still fires in this context.
  expect_single("environment:\n  KAFKA_SASL_PASSWORD: Orders2024\n", "docker-compose.yml", "kafka-sasl-password",
                "Orders2024");
  expect_silent(
      "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
      "username=\"svc\" password=\"${KAFKA_PASSWORD}\";\n",
      "config/consumer.properties");
  expect_silent("environment:\n  KAFKA_SASL_PASSWORD: changeme\n", "docker-compose.yml");
  expect_silent("    client = Kafka(sasl_password=args.sasl_password)\n", "tools/kafka.py");
}

TEST(SecretsRules, DotenvFiles) {
  const std::string body = "# local settings\nAPP_NAME=orders\nDB_PASSWORD=hunter2orders\n";
  expect_single(body, ".env", "dotenv-secret", "hunter2orders");
  expect_single(body, "services/api/.env.production", "dotenv-secret", "hunter2orders");
  expect_single("export API_KEY=\"k3y-orders\"\n", ".env.local", "dotenv-secret", "k3y-orders");
  for (std::string_view path : {".env.example", ".env.sample", ".env.template", ".env.dist"}) {
    expect_silent(body, path);
  }
  // Outside .env files the same low-entropy value is not enough.
  expect_silent(body, "config/settings.ini");
  for (std::string_view line :
       {"DB_PASSWORD=\n", "DB_PASSWORD=changeme\n", "API_KEY=${API_KEY}\n", "TOKEN_FILE=/run/secrets/token\n",
        "SECRET_PATH=/etc/app/secret\n", "DB_PASSWORD=<your-password>\n", "DB_PASSWORD=test\n", "DB_PASSWORD=\"\"\n",
        "AUTH_TOKEN=xxxxxxxx\n"}) {
    expect_silent(line, ".env");
  }
}

TEST(SecretsRules, GenericAssignments) {
  const std::string v1 = random_string(24, kPassword, 161);
  expect_single("database:\n  password: \"" + v1 + "\"\n", "config.yaml", "generic-assignment", v1);
  expect_single("{\"api_key\": \"" + v1 + "\"}\n", "settings.json", "generic-assignment", v1);
  expect_single("SECRET_KEY = '" + v1 + "'\n", "app/settings.py", "generic-assignment", v1);
  expect_single("[auth]\nclient_secret = " + v1 + "\n", "app.ini", "generic-assignment", v1);
  expect_single("const apiToken = `" + v1 + "`;\n", "src/api.js", "generic-assignment", v1);
  const std::string hex = random_string(40, kHex, 162);
  expect_single("  passwd: " + hex + "\n", "config.yaml", "generic-assignment", hex);

  for (std::string_view value : {"hunter2",
                                 "changeme",
                                 "${TOKEN}",
                                 "\"{{ .Values.password }}\"",
                                 "settings.SECRET_KEY",
                                 "GITHUB_TOKEN",
                                 "xxxxxxxxxxxxxxxx",
                                 "\"<your-password>\"",
                                 "\"%s\"",
                                 "\"****************\"",
                                 "\"example-Secret-123\"",
                                 "\"dummy-Secret-123\"",
                                 "\"fake-Secret-12345\"",
                                 "\"sample-Secret-123\"",
                                 "\"Placeholder-Value-1\"",
                                 "\"your_api_key_here_1\"",
                                 "\"REDACTED-Value-123\"",
                                 "os.environ[\"TOKEN\"]",
                                 "\"6f1c2b7e-8d3a-4c5b-9e0f-1a2b3c4d5e6f\"",
                                 "\"Must contain 8+ chars, 1 digit\"",
                                 "/run/secrets/db_password",
                                 "\"https://vault.internal/v1/secret/data/app\"",
                                 "e.token||\"\"",
                                 "process.env.API_TOKEN",
                                 "\"my_secret_token_name_2\"",
                                 "\"aaaaaaaaaaaaaaaaaaaaaaaa\"",
                                 "_PasswordType | None = None",
                                 "r?r.index:-1",
                                 "f.onMatch=f.token",
                                 "this.$applyToken"}) {
    expect_silent("password: " + std::string(value) + "\n", "config.yaml");
  }
  // Values that would fire are silent in documentation copies of a configuration.
  for (std::string_view path : {"config.yaml.example", "settings.py.sample", "app.ini.template", "phpunit.xml.dist"}) {
    expect_silent("password: \"" + v1 + "\"\n", path);
  }
  // A URL query: the value stops at the next parameter.
  const std::string query_value = random_string(20, kAlnum, 163);
  expect_single("callback: https://app.internal/cb?access_token=" + query_value + "&token_type=Bearer\n", "c.yaml",
                "generic-assignment", query_value);
  // Dates, words, secret manager references.
  for (std::string_view value : {"2016-09-24T16:18:07Z", "V1LocalObjectReference", "Hardware-backed",
                                 "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
                                 "projects/acme/secrets/db-password/versions/3", "op://vault/db/password"}) {
    expect_silent("password: \"" + std::string(value) + "\"\n", "config.yaml");
  }
  // A secret-looking name is required.
  expect_silent("checksum: \"" + v1 + "\"\n", "config.yaml");
  expect_silent("token_file: \"" + v1 + "\"\n", "config.yaml");
}

TEST(SecretsRules, MostSpecificRuleWins) {
  const std::string token = "ghp_" + random_string(36, kAlnum, 171);
  // Also a generic assignment and a .env secret: reported once, as the GitHub token.
  expect_single("GITHUB_TOKEN=" + token + "\n", ".env", "github-token", token);
  expect_single("github_token: \"" + token + "\"\n", "ci.yaml", "github-token", token);
  const std::string secret = random_string(40, kBase64, 172);
  expect_single("aws_secret_access_key: \"" + secret + "\"\n", "ci.yaml", "aws-secret-access-key", secret);
}

TEST(SecretsRules, MatchesAreSortedAndPositioned) {
  const std::string a = "ghp_" + random_string(36, kAlnum, 181);
  const std::string b = "npm_" + random_string(36, kAlnum, 182);
  const std::string c = random_string(24, kPassword, 183);
  const std::string text = "one: " + b + "\n\ntwo: x\n  three: " + a + " " + b + "\npassword: '" + c + "'\n";
  const auto matches = scan(text, "multi.yaml");
  ASSERT_EQ(matches.size(), 4U);
  EXPECT_EQ(matches[0].rule_id, "npm-token");
  EXPECT_EQ(matches[0].line, 1);
  EXPECT_EQ(matches[0].column, 6);
  EXPECT_EQ(matches[1].rule_id, "github-token");
  EXPECT_EQ(matches[1].line, 4);
  EXPECT_EQ(matches[1].column, 10);
  EXPECT_EQ(matches[2].rule_id, "npm-token");
  EXPECT_EQ(matches[2].line, 4);
  EXPECT_EQ(matches[2].column, 51);
  EXPECT_EQ(matches[3].rule_id, "generic-assignment");
  EXPECT_EQ(matches[3].line, 5);
  EXPECT_EQ(matches[3].column, 12);
  for (std::size_t i = 1; i < matches.size(); ++i) EXPECT_LT(matches[i - 1].offset, matches[i].offset);
}

TEST(SecretsFingerprint, StableKeyedAndNotTheValue) {
  const std::string value = "ghp_" + random_string(36, kAlnum, 191);
  const std::string fp = value_fingerprint(value);
  EXPECT_EQ(fp.size(), 16U);
  EXPECT_EQ(fp, value_fingerprint(value));
  EXPECT_NE(fp, value_fingerprint(value + "x"));
  EXPECT_EQ(fp.find(value.substr(4, 6)), std::string::npos);
  EXPECT_NE(fp, text::hex64(text::fnv1a64(value)));  // keyed: not the plain FNV-1a of the value
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace constable::secrets::testing
