// Secrets never leak, by construction: fake credentials of every rule of the
// scanner, planted in every kind of file on lines other findings also point
// at, in git history and in commit messages, never appear whole (nor any 12
// characters of their random part) in any output format, on stderr, in a
// written report or baseline, with --stats, --history, --diff, --commits or
// --manifests.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "cli/cli_support.hpp"
#include "core/text.hpp"
#include "secrets/scanner.hpp"
#include "unit/secrets/secrets_test_support.hpp"

namespace constable::testing {
namespace {

using secrets::testing::kAlnum;
using secrets::testing::kBase32;
using secrets::testing::kBase64;
using secrets::testing::kBase64Url;
using secrets::testing::kDigits;
using secrets::testing::kHex;
using secrets::testing::kPassword;
using secrets::testing::kUpperDigits;
using secrets::testing::random_string;

// A planted credential: the rule that must find it and the value it reports.
struct Planted {
  std::string rule;
  std::string value;
};

// The planted credentials, and their random parts: no output may show any 12
// characters of one (fixed prefixes such as "AKIA" or a PEM header are not secret).
class Secrets {
 public:
  // A generated part of a secret, remembered for the leak checks.
  std::string random(std::size_t n, std::string_view alphabet) {
    std::string part = random_string(n, alphabet, ++seed_);
    parts_.push_back(part);
    return part;
  }
  // Records the value the scanner must find for `rule` (built from random parts).
  std::string plant(std::string rule, std::string value) {
    planted_.push_back({std::move(rule), std::move(value)});
    return planted_.back().value;
  }
  // A value no scanner rule finds but a check reports as a credential (by its key).
  std::string flag(std::string value) { return plant("(flagged by a check)", std::move(value)); }
  const std::vector<Planted>& planted() const { return planted_; }
  const std::vector<std::string>& parts() const { return parts_; }

 private:
  std::uint64_t seed_ = 9000;
  std::vector<Planted> planted_;
  std::vector<std::string> parts_;
};

std::string pem_block(Secrets& s, std::string_view kind) {
  std::string block = "-----BEGIN " + std::string(kind) + "PRIVATE KEY-----\n";
  for (int i = 0; i < 5; ++i) block += s.random(64, kBase64) + "\n";
  return block + "-----END " + std::string(kind) + "PRIVATE KEY-----";
}

std::string jwt(Secrets& s) {
  // {"alg":"HS256","typ":"JWT"} . {"sub":...} . signature
  return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + s.random(60, kBase64Url) + "." + s.random(43, kBase64Url);
}

std::string constitution() {
  std::string text = read_file(fixtures_dir() / "constitution" / "reference-excerpt.md");
  const auto governance = text.find("## Governance");
  EXPECT_NE(governance, std::string::npos);
  text.insert(governance, "## Git Workflow\n- Commit messages MUST follow Conventional Commits\n\n");
  return text;
}

struct Repository {
  Secrets secrets;
  std::vector<std::string> paths;  // files holding planted secrets
};

void write(const TempDir& repo, Repository& r, const std::string& path, const std::string& content) {
  repo.write(path, content);
  r.paths.push_back(path);
}

// The working tree: every file kind, each secret on a line another check reports.
void write_tree(const TempDir& repo, Repository& r) {
  Secrets& s = r.secrets;
  repo.write("CONSTITUTION.md", constitution());

  // Dockerfile: a token and a database URL on one ENV line, a Slack token and
  // a JWT on one RUN line, a token as a build argument default.
  const std::string github = s.plant("github-token", "gh" + std::string("p_") + s.random(36, kAlnum));
  const std::string db_password = s.plant("database-url", s.random(18, kAlnum));
  const std::string slack =
      s.plant("slack-token", "xo" + std::string("xb-") + s.random(12, kDigits) + "-" + s.random(24, kAlnum));
  const std::string token = s.plant("jwt", jwt(s));
  const std::string npm = s.plant("npm-token", "np" + std::string("m_") + s.random(36, kAlnum));
  write(repo, r, "Dockerfile",
        "FROM python:latest\n"
        "ENV API_TOKEN=" + github + " DATABASE_URL=postgres://orders:" + db_password + "@db.internal:5432/orders\n"
        "RUN curl -H \"Authorization: Bearer " + token + "\" -d token=" + slack + " https://hooks.example.com/x\n"
        "ARG NPM_TOKEN=" + npm + "\n"
        "USER root\n");

  // A Helm chart: values keys without a comment, a template with literals
  // (findings on rendered objects point at the template line).
  const std::string aws_id = s.plant("aws-access-key-id", "AK" + std::string("IA") + s.random(16, kBase32));
  const std::string aws_secret = s.plant("aws-secret-access-key", s.random(40, kBase64));
  const std::string generic = s.plant("generic-assignment", s.random(24, kPassword));
  const std::string webhook = s.plant("slack-webhook", "https://hooks.slack.com/services/T" +
                                                           s.random(8, kUpperDigits) + "/B" +
                                                           s.random(8, kUpperDigits) + "/" + s.random(24, kAlnum));
  repo.write("chart/Chart.yaml", "apiVersion: v2\nname: orders\nversion: 1.0.0\nappVersion: \"1.0.0\"\n");
  write(repo, r, "chart/values.yaml",
        "# Image to run.\nimage: nginx:latest\naws:\n  accessKeyId: " + aws_id + "\n  secretAccessKey: " + aws_secret +
            "\npassword: \"" + generic + "\"\nalerts: " + webhook + "\n");
  const std::string openai = s.plant("openai-api-key", "sk-" + std::string("proj-") + s.random(64, kBase64Url));
  const std::string azure = s.plant("azure-storage-key", s.random(86, kBase64) + "==");
  write(repo, r, "chart/templates/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n"
        "  OPENAI_API_KEY: \"" + openai + "\"\n"
        "  DB_PASSWORD: " + s.flag("Orders" + s.random(6, kDigits)) + "\n"
        "  STORAGE: \"DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=" + azure +
            ";EndpointSuffix=core.windows.net\"\n");

  // Kubernetes manifests: env values, a ConfigMap with a key block.
  const std::string sendgrid =
      s.plant("sendgrid-api-key", "SG." + s.random(22, kBase64Url) + "." + s.random(43, kBase64Url));
  const std::string legacy_openai = s.plant("openai-api-key", "sk-" + s.random(48, kAlnum));
  write(repo, r, "k8s/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  selector:\n    matchLabels:\n"
        "      app: orders\n  template:\n    metadata:\n      labels:\n        app: orders\n    spec:\n"
        "      containers:\n        - name: orders\n          image: orders:latest\n          env:\n"
        "            - name: SENDGRID_API_KEY\n              value: \"" + sendgrid + "\"\n"
        "            - name: OPENAI_API_KEY\n              value: " + legacy_openai + "\n");
  const std::string gcp_key = s.plant("gcp-api-key", "AI" + std::string("za") + s.random(35, kBase64Url));
  const std::string kafka = s.plant("kafka-sasl-password", s.random(20, kAlnum));
  const std::string neon = s.plant("neon-database-url", s.random(18, kAlnum));
  const std::string rsa = pem_block(s, "RSA ");
  std::string indented_rsa;
  for (const auto line : text::split_lines(rsa)) indented_rsa += "    " + std::string(line) + "\n";
  // The value runs from BEGIN to END, with the indentation of the lines between.
  s.plant("private-key", indented_rsa.substr(4, indented_rsa.size() - 5));
  write(repo, r, "k8s/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: orders\ndata:\n"
        "  GOOGLE_API_KEY: \"" + gcp_key + "\"\n"
        "  kafka.properties: sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
        "username=\"svc-orders\" password=\"" + kafka + "\";\n"
        "  NEON_URL: postgresql://neondb_owner:" + neon +
            "@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=require\n"
        "  tls.key: |\n" + indented_rsa);

  // .env, .npmrc, .pypirc: files of no particular kind.
  const std::string dotenv = s.plant("dotenv-secret", "Orders" + s.random(6, kDigits));
  const std::string stripe = s.plant("stripe-live-key", "sk" + std::string("_live_") + s.random(24, kAlnum));
  const std::string twilio_sid = "AC" + random_string(32, kHex, 77);
  const std::string twilio_auth = s.plant("twilio-auth-token", s.random(32, kHex));
  write(repo, r, ".env",
        "DB_PASSWORD=" + dotenv + "\nSTRIPE_KEY=" + stripe + "\nTWILIO_ACCOUNT_SID=" + twilio_sid +
            "\nTWILIO_AUTH_TOKEN=" + twilio_auth + "\n");
  const std::string pypi =
      s.plant("pypi-token", "pypi-" + std::string("AgEIcHlwaS5vcmc") + s.random(70, kBase64Url));
  write(repo, r, ".pypirc", "[pypi]\nusername = __token__\npassword = " + pypi + "\n");

  // CI workflows: tokens in job environments.
  const std::string github_fine =
      s.plant("github-token", "github" + std::string("_pat_") + s.random(22, kAlnum) + "_" + s.random(59, kAlnum));
  write(repo, r, ".github/workflows/deploy.yml",
        "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      GH_TOKEN: " +
            github_fine + "\n    steps:\n      - run: helm upgrade --install orders chart\n");
  const std::string gitlab = s.plant("gitlab-token", "gl" + std::string("pat-") + s.random(20, kAlnum));
  write(repo, r, ".gitlab-ci.yml",
        "deploy:\n  stage: deploy\n  variables:\n    GITLAB_TOKEN: " + gitlab + "\n  script:\n    - ./deploy.sh\n");

  // Markdown, source, JSON, Gherkin.
  const std::string twilio_key = s.plant("twilio-api-key", "SK" + s.random(32, kHex));
  const std::string anthropic =
      s.plant("anthropic-api-key", "sk-" + std::string("ant-api03-") + s.random(93, kBase64Url) + "AA");
  write(repo, r, "README.md",
        "# Orders\n\n```bash\nexport TWILIO_API_KEY=" + twilio_key + "\ncurl -H \"x-api-key: " + anthropic +
            "\" https://api.anthropic.com\n```\n");
  const std::string source_token = s.plant("github-token", "gh" + std::string("s_") + s.random(36, kAlnum));
  write(repo, r, "src/client.py",
        "# TODO rotate " + source_token + "\nclient = make_client()\n");
  std::string gcp_private = "-----BEGIN PRIVATE KEY-----\\n";
  for (int i = 0; i < 3; ++i) gcp_private += s.random(64, kBase64) + "\\n";
  gcp_private += "-----END PRIVATE KEY-----\\n";
  s.plant("gcp-service-account", gcp_private);
  write(repo, r, "deploy/gcp-key.json",
        "{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n  \"private_key\": \"" + gcp_private +
            "\",\n  \"client_email\": \"deployer@acme-prod.iam.gserviceaccount.com\"\n}\n");
  const std::string feature_jwt = s.plant("jwt", jwt(s));
  write(repo, r, "features/login.feature",
        "Feature: Login\n  Scenario: a signed token\n    Given the header \"Bearer " + feature_jwt + "\"\n");
  // An inline suppression that names no check constable has, on a line with a secret.
  const std::string suppressed = s.plant("generic-assignment", s.random(24, kPassword));
  write(repo, r, "config/app.yaml",
        "client_secret: \"" + suppressed + "\"  # constable:"
        "ignore no/such-check reason: test\n");
}

// A file added in one commit and removed in the next, so that only --history sees it.
void write_history(const TempDir& repo, Repository& r) {
  Secrets& s = r.secrets;
  const std::string aws_id = s.plant("aws-access-key-id", "AS" + std::string("IA") + s.random(16, kBase32));
  const std::string aws_secret = s.plant("aws-secret-access-key", s.random(40, kBase64));
  const std::string key = s.plant("private-key", pem_block(s, "OPENSSH "));
  repo.write("old/credentials.yaml", "aws_access_key_id: " + aws_id + "\naws_secret_access_key: " + aws_secret +
                                         "\nssh_key: |\n" + key + "\n");
  git(repo, {"add", "-A"});
  // Not a Conventional Commit, and it quotes the key id.
  git(repo, {"commit", "-q", "-m", "Add credentials " + aws_id}, "2026-10-02T00:00:00Z");
  std::filesystem::remove(repo.path() / "old" / "credentials.yaml");
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "fix: remove the credentials"}, "2026-10-03T00:00:00Z");
}

// Every planted value is found by the rule it was made for: the test covers each rule.
void expect_planted_detected(const TempDir& repo, const Repository& r, const std::string& history_text) {
  std::set<std::pair<std::string, std::string>> found;
  auto scan = [&](const std::string& path, const std::string& text) {
    for (const auto& m : secrets::Scanner::builtin().scan(text, path))
      found.emplace(std::string(m.rule_id), text.substr(m.offset, m.length));
  };
  for (const auto& path : r.paths) scan(path, read_file(repo.path() / path));
  scan("old/credentials.yaml", history_text);
  std::set<std::string> rules;
  for (const auto& p : r.secrets.planted()) {
    if (p.rule.starts_with("(")) continue;
    EXPECT_TRUE(found.contains({p.rule, p.value})) << "not detected as " << p.rule << ": " << p.value;
    rules.insert(p.rule);
  }
  for (const auto& rule : secrets::Scanner::builtin().rules())
    EXPECT_TRUE(rules.contains(std::string(rule.id))) << "no planted secret for rule " << rule.id;
}

// Fails for any planted value shown whole, or any 12 characters of a random part.
class LeakDetector {
 public:
  explicit LeakDetector(const Secrets& secrets) : secrets_(secrets) {}

  void expect_clean(const std::string& what, const std::string& output) const {
    for (const auto& p : secrets_.planted())
      EXPECT_EQ(output.find(p.value), std::string::npos) << what << " shows a whole " << p.rule << " secret";
    std::unordered_set<std::string_view> windows;
    for (std::size_t i = 0; i + kWindow <= output.size(); ++i)
      windows.insert(std::string_view(output).substr(i, kWindow));
    for (const auto& part : secrets_.parts()) {
      for (std::size_t i = 0; i + kWindow <= part.size(); ++i) {
        const std::string_view piece = std::string_view(part).substr(i, kWindow);
        if (!windows.contains(piece)) continue;
        ADD_FAILURE() << what << " shows '" << piece << "' of a secret, at:\n"
                      << output.substr(output.find(piece) > 120 ? output.find(piece) - 120 : 0, 240);
        break;
      }
    }
  }

 private:
  static constexpr std::size_t kWindow = 12;
  const Secrets& secrets_;
};

TEST(CliSecretsLeak, NoOutputShowsAnyPlantedSecret) {
  TempDir repo;
  Repository r;
  git(repo, {"init", "-q"});
  repo.write("CONSTITUTION.md", constitution());
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "docs: constitution"}, "2026-10-01T00:00:00Z");
  write_history(repo, r);
  const std::string history_text =
      run_command({"git", "-C", repo.path().string(), "show", "HEAD~1:old/credentials.yaml"}).out;
  write_tree(repo, r);
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "Add the service"}, "2026-10-04T00:00:00Z");
  expect_planted_detected(repo, r, history_text);

  const LeakDetector leaks(r.secrets);
  TempDir out;
  const std::string root = repo.path().string();
  const std::string rendered = out.write("rendered.yaml", read_file(repo.path() / "k8s" / "configmap.yaml")).string();
  auto run = [&](const std::string& what, std::vector<std::string> args, int expected_exit = 1) {
    SCOPED_TRACE(what);
    const auto result = constable(std::move(args));
    if (expected_exit >= 0) {
      EXPECT_EQ(result.exit_code, expected_exit) << result.err;
    }
    EXPECT_NE(result.exit_code, 2) << result.err;
    leaks.expect_clean(what + " (stdout)", result.out);
    leaks.expect_clean(what + " (stderr)", result.err);
    return result;
  };

  const auto text = run("text", {"check", root, "--stats", "--history", "--commits", "HEAD~3..HEAD"});
  // The planted lines are reported (the test is not vacuous): secret findings
  // and the other findings on the same lines.
  for (const std::string_view expected :
       {"secrets/hardcoded-secret", "docker/no-secrets-in-env", "docker/no-secrets-in-build-args",
        "helm/values-comments", "kubernetes/configmap-sensitive-data", "kubernetes/secret-references",
        "docs/todo-owner-date", "git/conventional-commits", "constable/invalid-suppression", "introduced in commit"})
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
  EXPECT_NE(text.out.find("RUN curl -H"), std::string::npos) << "the RUN line's snippet is shown, redacted";

  for (const std::string format : {"text", "json", "sarif", "junit", "markdown", "github", "gitlab", "html"}) {
    const std::string file = (out.path() / ("report." + format)).string();
    run(format, {"check", root, "--format", format, "--output", file, "--history", "--commits", "HEAD~3..HEAD",
                 "--manifests", rendered});
    const std::string report = read_file(file);
    // GitHub annotates only the 10 most severe findings of each level.
    EXPECT_NE(report.find(format == "github" ? "secrets/hardcoded-secret" : "kubernetes/configmap-sensitive-data"),
              std::string::npos)
        << format;
    leaks.expect_clean(format + " report file", report);
  }

  const std::string baseline = (out.path() / "baseline.json").string();
  run("baseline write", {"baseline", "write", baseline, root}, 0);
  leaks.expect_clean("baseline file", read_file(baseline));
  repo.write("Dockerfile", read_file(repo.path() / "Dockerfile") + "USER root\n");
  run("--baseline", {"check", root, "--baseline", baseline, "--format", "json", "--stats"}, -1);
  run("--diff", {"check", root, "--diff", "HEAD", "--format", "sarif"}, -1);
}

}  // namespace
}  // namespace constable::testing
