// Real-world chart shapes (helm/charts' stable/ and incubator/) that Helm
// renders: .Files as a map of path to bytes, Helm 2's .Release.Time, a
// trailing `|`, dot files under templates/, certificates from genCA and
// genSignedCert; and charts Helm would refuse for want of a dependency or a
// value, which become one note per chart instead of a render error per
// template.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "engine/charts.hpp"
#include "engine/config.hpp"
#include "helm/chart.hpp"
#include "helm/render.hpp"
#include "helm/template/crypto.hpp"
#include "kube/production.hpp"
#include "support/test_support.hpp"
#include "workspace/workspace.hpp"

namespace constable::helm {
namespace {

std::string problems_text(const RenderResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += p.file + ":" + std::to_string(p.line) + ": " + p.message + "\n";
  return out;
}

RenderResult render_dir(const testing::TempDir& dir, RenderOptions options = {}) {
  auto chart = load_chart(dir.path(), "");
  EXPECT_TRUE(chart.has_value()) << (chart ? "" : chart.error().to_string());
  if (!chart) return {};
  return render(*chart, options);
}

// The manifest whose content mentions `marker`.
std::string manifest_with(const RenderResult& r, std::string_view marker) {
  for (const auto& m : r.manifests)
    if (m.content.find(marker) != std::string::npos) return m.content;
  return "";
}

void write_chart(const testing::TempDir& dir, std::string_view name = "app") {
  dir.write("Chart.yaml", fmt::format("apiVersion: v1\nname: {}\nversion: 0.1.0\n", name));
}

// kubeless, ambassador, contour, etcd-operator, jaeger-operator, velero,
// prometheus-operator: `range $path, $bytes := .Files.Glob "crds/*.yaml"`.
TEST(ChartCompat, FilesGlobRangesOverPathsAndBytesInPathOrder) {
  testing::TempDir dir;
  write_chart(dir);
  dir.write("crds/b.yaml", "kind: CustomResourceDefinition\nmetadata:\n  name: b\n");
  dir.write("crds/a.yaml", "kind: CustomResourceDefinition\nmetadata:\n  name: a\n");
  dir.write("templates/crds.yaml",
            "{{- range $path, $bytes := .Files.Glob \"crds/*.yaml\" }}\n---\n{{ $.Files.Get $path }}\n{{- end }}\n");
  dir.write("templates/bytes.yaml",
            "kind: ConfigMap\ndata:\n"
            "{{- range $path, $bytes := .Files.Glob \"crds/a.yaml\" }}\n"
            "  str: {{ toString $bytes | trim | quote }}\n"
            "  printf: {{ printf \"%.4s\" $bytes }}\n"
            "  type: \"{{ printf \"%T\" $bytes }}\"\n"
            "  raw: \"{{ slice (printf \"%v\" $bytes) 0 12 }}\"\n"
            "  get: {{ typeOf ($.Files.Get $path) }}\n"
            "{{- end }}\n"
            "  count: \"{{ len (.Files.Glob \"crds/*\") }}\"\n"
            "  index: {{ index (.Files.Glob \"crds/*\") \"crds/b.yaml\" | toString | b64enc }}\n");
  const auto r = render_dir(dir);
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  ASSERT_EQ(r.manifests.size(), 3u);
  // Helm orders CustomResourceDefinitions after ConfigMaps; a before b within the file.
  EXPECT_EQ(r.manifests[1].content, "kind: CustomResourceDefinition\nmetadata:\n  name: a");
  EXPECT_EQ(r.manifests[2].content, "kind: CustomResourceDefinition\nmetadata:\n  name: b");
  const std::string bytes = manifest_with(r, "kind: ConfigMap");
  EXPECT_NE(bytes.find("str: \"kind: CustomResourceDefinition\\nmetadata:\\n  name: a\""), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("type: \"[]uint8\"\n"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("printf: kind\n"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("raw: \"[107 105 110\"\n"), std::string::npos) << bytes;  // %v of []byte: the byte values
  EXPECT_NE(bytes.find("get: string\n"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("count: \"2\"\n"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("index: a2luZDogQ3VzdG9tUmVzb3VyY2VEZWZpbml0aW9uCm1ldGFkYXRhOgogIG5hbWU6IGIK"), std::string::npos)
      << bytes;
}

// postgresql / mariadb: `with .Files.Glob` is false when nothing matches,
// and `range $path, $bytes := .` inside it; `.AsConfig` on a Glob.
TEST(ChartCompat, FilesGlobIsFalseWhenEmptyAndAsConfigWorksOnIt) {
  testing::TempDir dir;
  write_chart(dir);
  dir.write("files/docker-entrypoint-initdb.d/init.sql", "CREATE TABLE t;\n");
  dir.write("templates/initdb.yaml",
            "kind: ConfigMap\nmetadata:\n  name: initdb\ndata:\n"
            "{{- with .Files.Glob \"files/docker-entrypoint-initdb.d/*.sql.gz\" }}\nbinaryData:\n"
            "{{- range $path, $bytes := . }}\n  {{ base $path }}: {{ $.Files.Get $path | b64enc | quote }}\n{{- end }}\n"
            "{{- end }}\n"
            "{{- with .Files.Glob \"files/docker-entrypoint-initdb.d/*.{sh,sql}\" }}\n{{ .AsConfig | indent 2 }}\n{{- end }}\n"
            "{{- if (.Files.Glob \"files/none.conf\") }}\n  none: true\n{{- end }}\n");
  const auto r = render_dir(dir);
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  ASSERT_EQ(r.manifests.size(), 1u);
  EXPECT_EQ(r.manifests[0].content,
            "kind: ConfigMap\nmetadata:\n  name: initdb\ndata:\n  init.sql: |\n    CREATE TABLE t;");
}

// jenkins-operator: a method's argument is evaluated with the current dot
// (`range tuple "x.yaml"` ... `$root.Files.Get .`).
TEST(ChartCompat, MethodArgumentsSeeTheCurrentDot) {
  testing::TempDir dir;
  write_chart(dir);
  dir.write("CRD/crd.yaml", "kind: CustomResourceDefinition\nmetadata:\n  name: {{ .Release.Name }}-crd\n");
  dir.write("templates/crds.yaml",
            "{{ $root := . }}\n{{- range tuple \"CRD/crd.yaml\" }}\n---\n{{ tpl ($root.Files.Get .) $root }}\n{{- end }}\n"
            "---\nkind: ConfigMap\ndata:\n{{- range $root.Files.Lines \"CRD/crd.yaml\" }}\n  - {{ . | quote }}\n{{- end }}\n");
  const auto r = render_dir(dir);
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  EXPECT_EQ(manifest_with(r, "kind: CustomResourceDefinition\nmetadata"),
            "kind: CustomResourceDefinition\nmetadata:\n  name: release-name-crd");
  EXPECT_NE(manifest_with(r, "kind: ConfigMap").find("  - \"  name: {{ .Release.Name }}-crd\""), std::string::npos);
}

// tensorflow-inception, sumokube: Helm 2's .Release.Time.Seconds.
TEST(ChartCompat, ReleaseTimeIsHelm2sTimestamp) {
  testing::TempDir dir;
  write_chart(dir);
  dir.write("templates/cm.yaml", "kind: ConfigMap\ndata:\n  at: \"{{ .Release.Time.Seconds }}\"\n");
  const auto r = render_dir(dir);
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  ASSERT_EQ(r.manifests.size(), 1u);
  EXPECT_EQ(r.manifests[0].content, "kind: ConfigMap\ndata:\n  at: \"1704067200\"");
}

// hazelcast, hazelcast-jet: `{{ (include "x" .) | trunc 53 | }}` parses, as in Go.
TEST(ChartCompat, TrailingPipeBeforeTheDelimiterIsAccepted) {
  testing::TempDir dir;
  write_chart(dir, "hazelcast");
  dir.write("templates/_helpers.tpl",
            "{{- define \"hazelcast.fullname\" -}}\n{{ .Release.Name }}-hazelcast\n{{- end -}}\n"
            "{{- define \"mancenter.fullname\" -}}\n{{ (include \"hazelcast.fullname\" .) | trunc 53 | }}-mancenter\n"
            "{{- end -}}\n");
  dir.write("templates/svc.yaml", "kind: Service\nmetadata:\n  name: {{ template \"mancenter.fullname\" . }}\n");
  dir.write("templates/broken.yaml", "kind: A\nx: {{ \"a\" | | upper }}\n");
  const auto r = render_dir(dir);
  ASSERT_EQ(r.problems.size(), 1u) << problems_text(r);
  EXPECT_EQ(r.problems[0].kind, Problem::Kind::parse);  // `| |` stays an error
  EXPECT_EQ(r.problems[0].file, "templates/broken.yaml");
  EXPECT_EQ(manifest_with(r, "Service"), "kind: Service\nmetadata:\n  name: release-name-hazelcast-mancenter");
}

// elasticsearch, signalsciences: since Go 1.14 (every Helm 3) a parenthesised
// pipeline takes no arguments; the message names it as Go does.
TEST(ChartCompat, ParenthesisedPipelineGivenArgumentsFailsAsInGo) {
  testing::TempDir dir;
  write_chart(dir, "es");
  dir.write("values.yaml", "appVersion: \"6.4.2\"\ncluster:\n  xpackEnable: false\n");
  dir.write("templates/cm.yaml",
            "kind: ConfigMap\n{{- if (.Values.cluster.xpackEnable) and .Values.appVersion gt 6.3 }}\nx: 1\n{{- end }}\n");
  const auto r = render_dir(dir);
  ASSERT_EQ(r.problems.size(), 1u) << problems_text(r);
  EXPECT_EQ(r.problems[0].line, 2);
  EXPECT_NE(r.problems[0].message.find("at <(.Values.cluster.xpackEnable) and .Values.appVersion gt 6.3>: can't give "
                                       "argument to non-function .Values.cluster.xpackEnable"),
            std::string::npos)
      << r.problems[0].message;
}

// mssql-linux, sumologic-fluentd: templates/.helmignore is not a template
// (Helm's loader ignores `templates/.?*`), nor one of .Files.
TEST(ChartCompat, DotFilesUnderTemplatesAreIgnored) {
  testing::TempDir dir;
  write_chart(dir);
  dir.write("templates/.helmignore", ".git\n*.tgz\n");
  dir.write("templates/.hidden/x.yaml", "kind: [\n");
  dir.write("templates/sub/.keep.yaml", "kind: Secret\n");  // only directly under templates/
  dir.write("templates/cm.yaml", "kind: ConfigMap\nn: \"{{ len (.Files.Glob \"**\") }}\"\n");
  auto chart = load_chart(dir.path(), "");
  ASSERT_TRUE(chart.has_value());
  ASSERT_EQ(chart->templates.size(), 2u);
  EXPECT_EQ(chart->templates[0].name, "templates/cm.yaml");
  EXPECT_EQ(chart->templates[1].name, "templates/sub/.keep.yaml");
  const auto r = render(*chart, {});
  EXPECT_TRUE(r.problems.empty()) << problems_text(r);
  EXPECT_NE(manifest_with(r, "ConfigMap").find("n: \"0\""), std::string::npos);
}

// prometheus-operator-crds: 800 KB CRDs as one text node, several documents
// per file. Each line maps to its template line, found in one pass (this
// took minutes when every line counted newlines from the node's start).
TEST(ChartCompat, LinesOfLongTextNodesMapToTheirTemplateLines) {
  testing::TempDir dir;
  write_chart(dir);
  std::string crd = "kind: CustomResourceDefinition\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n";
  for (int i = 0; i < 20000; ++i) crd += fmt::format("  f{}: {}\n", i, i);
  crd += "---\nkind: ConfigMap\nmetadata:\n  name: second\n";
  dir.write("templates/crds.yaml", crd);
  const auto r = render_dir(dir);
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  ASSERT_EQ(r.manifests.size(), 2u);
  const Manifest& big = r.manifests[1];  // ConfigMaps are installed first
  ASSERT_EQ(big.lines.size(), 20004u);
  EXPECT_EQ(big.lines[2].template_line, 3);
  EXPECT_EQ(big.lines[2].template_column, 3);
  EXPECT_EQ(big.lines[20003].template_line, 20004);
  EXPECT_EQ(big.lines[20003].template_column, 3);
  const Manifest& second = r.manifests[0];
  ASSERT_EQ(second.lines.size(), 3u);
  EXPECT_EQ(second.lines[2].template_line, 20008);
}

// ---- genCA, genSignedCert, genSelfSignedCert, genPrivateKey ---------------

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<X509, X509Free> read_cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return cert;
}

std::unique_ptr<EVP_PKEY, PkeyFree> read_key(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return key;
}

std::string common_name(X509_NAME* name) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(name, NID_commonName, buf, sizeof buf);
  return buf;
}

// A rendered value `key: |` block, un-indented.
std::string block(const std::string& content, std::string_view key) {
  const auto at = content.find(std::string(key) + ": |\n");
  if (at == std::string::npos) return "";
  std::string out;
  std::size_t line = content.find('\n', at) + 1;
  while (line < content.size() && content.compare(line, 4, "    ") == 0) {
    const auto end = content.find('\n', line);
    out += content.substr(line + 4, (end == std::string::npos ? content.size() : end) - line - 4) + "\n";
    if (end == std::string::npos) break;
    line = end + 1;
  }
  return out;
}

// kiam, opa, stash, voyager, kubedb, pomerium, couchbase-operator: a CA and
// certificates it signs, in a Secret.
constexpr std::string_view kCertificates =
    "{{- $ca := genCA \"kiam-ca\" 365 }}\n"
    "{{- $server := genSignedCert \"Kiam Server\" (list \"127.0.0.1\") (list \"kiam-server\" \"kiam-server:443\") 365 $ca }}\n"
    "{{- $self := genSelfSignedCert \"self\" nil nil 30 }}\n"
    "kind: Secret\ndata:\n"
    "  ca: |\n{{ $ca.Cert | indent 4 }}\n"
    "  server: |\n{{ $server.Cert | indent 4 }}\n"
    "  serverkey: |\n{{ $server.Key | indent 4 }}\n"
    "  self: |\n{{ $self.Cert | indent 4 }}\n"
    "  ec: |\n{{ genPrivateKey \"ecdsa\" | indent 4 }}\n"
    "  ed: |\n{{ genPrivateKey \"ed25519\" | indent 4 }}\n"
    "  other: {{ genPrivateKey \"rsa2\" | quote }}\n";

// Seeded keys are kept in the cache directory: a later run loads them instead
// of searching for primes again; an entry that is not a key of the type and
// size asked for is made afresh and replaced.
TEST(ChartCompat, SeededKeysAreKeptBetweenRuns) {
  testing::TempDir dir;
  const char* saved = std::getenv("CONSTABLE_CACHE_DIR");
  const std::optional<std::string> restore = saved != nullptr ? std::optional<std::string>(saved) : std::nullopt;
  setenv("CONSTABLE_CACHE_DIR", dir.path().c_str(), 1);
  using tmpl::crypto::KeyType;
  // Seeds no other test uses: keys are also remembered for the process.
  constexpr std::uint64_t kMade = 0xC0FFEE01, kPlanted = 0xC0FFEE02, kWrongType = 0xC0FFEE03, kGarbage = 0xC0FFEE04;
  const auto made = tmpl::crypto::generate_key(KeyType::ecdsa, 0, {kMade});
  ASSERT_TRUE(made.has_value()) << made.error();
  const auto made_file = dir.path() / tmpl::crypto::seeded_key_cache_name(KeyType::ecdsa, 0, kMade);
  EXPECT_EQ(testing::read_file(made_file), *made);
  EXPECT_EQ(std::filesystem::status(made_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // Loaded, not made: the entry planted under another seed's name comes back.
  dir.write(tmpl::crypto::seeded_key_cache_name(KeyType::ecdsa, 0, kPlanted), *made);
  EXPECT_EQ(tmpl::crypto::generate_key(KeyType::ecdsa, 0, {kPlanted}), *made);
  // An EC key where an RSA key of 1024 bits belongs, or garbage: made afresh.
  const auto rsa_name = tmpl::crypto::seeded_key_cache_name(KeyType::rsa, 1024, kWrongType);
  dir.write(rsa_name, *made);
  const auto rsa = tmpl::crypto::generate_key(KeyType::rsa, 1024, {kWrongType});
  ASSERT_TRUE(rsa.has_value()) << rsa.error();
  EXPECT_TRUE(rsa->starts_with("-----BEGIN RSA PRIVATE KEY-----")) << *rsa;
  EXPECT_EQ(testing::read_file(dir.path() / rsa_name), *rsa);
  dir.write(tmpl::crypto::seeded_key_cache_name(KeyType::ed25519, 0, kGarbage), "not a key");
  const auto ed = tmpl::crypto::generate_key(KeyType::ed25519, 0, {kGarbage});
  ASSERT_TRUE(ed.has_value()) << ed.error();
  EXPECT_TRUE(ed->starts_with("-----BEGIN PRIVATE KEY-----")) << *ed;
  if (restore) setenv("CONSTABLE_CACHE_DIR", restore->c_str(), 1);
  else unsetenv("CONSTABLE_CACHE_DIR");
}

TEST(ChartCompat, GenCaSignsCertificatesThatVerify) {
  testing::TempDir dir;
  write_chart(dir, "kiam");
  dir.write("templates/secret.yaml", kCertificates);
  const auto r = render_dir(dir);
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  ASSERT_EQ(r.manifests.size(), 1u);
  const std::string& content = r.manifests[0].content;
  const auto ca = read_cert(block(content, "ca"));
  const auto server = read_cert(block(content, "server"));
  const auto self = read_cert(block(content, "self"));
  ASSERT_TRUE(ca && server && self) << content;
  EXPECT_EQ(common_name(X509_get_subject_name(ca.get())), "kiam-ca");
  EXPECT_EQ(common_name(X509_get_subject_name(server.get())), "Kiam Server");
  EXPECT_EQ(common_name(X509_get_issuer_name(server.get())), "kiam-ca");
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_ca(server.get()), 0);
  // Signed by the CA's key; the key in .Key is the certificate's.
  EXPECT_EQ(X509_verify(server.get(), X509_get0_pubkey(ca.get())), 1);
  EXPECT_EQ(X509_verify(self.get(), X509_get0_pubkey(self.get())), 1);
  const auto server_key = read_key(block(content, "serverkey"));
  ASSERT_TRUE(server_key);
  EXPECT_EQ(X509_check_private_key(server.get(), server_key.get()), 1);
  EXPECT_EQ(EVP_PKEY_get_bits(server_key.get()), 2048);
  EXPECT_EQ(X509_check_host(server.get(), "kiam-server", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  // Validity: from the fixed `now` for 365 days.
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(ca.get()), X509_get0_notAfter(ca.get())), 1);
  EXPECT_EQ(days, 365);
  // PEM blocks named as Go names them.
  const std::string begin = "-----BEGIN ";
  EXPECT_TRUE(block(content, "serverkey").starts_with(begin + "RSA PRIVATE KEY-----\n"));
  EXPECT_TRUE(block(content, "ec").starts_with(begin + "EC PRIVATE KEY-----\n"));
  EXPECT_TRUE(block(content, "ed").starts_with(begin + "PRIVATE KEY-----\n"));
  EXPECT_NE(content.find("other: \"Unknown type rsa2\""), std::string::npos);
}

// Findings and fingerprints never see randomness: two renders are identical.
TEST(ChartCompat, GeneratedCertificatesAreDeterministic) {
  testing::TempDir dir;
  write_chart(dir, "kiam");
  dir.write("templates/secret.yaml", kCertificates);
  const auto first = render_dir(dir);
  const auto second = render_dir(dir);
  ASSERT_TRUE(first.problems.empty()) << problems_text(first);
  EXPECT_EQ(helm_template_output(first), helm_template_output(second));
  RenderOptions random;
  random.deterministic = false;
  const auto third = render_dir(dir, random);
  ASSERT_TRUE(third.problems.empty()) << problems_text(third);
  EXPECT_NE(helm_template_output(first), helm_template_output(third));
}

// The ...WithKey variants certify the key they are given.
TEST(ChartCompat, WithKeyVariantsUseTheGivenKey) {
  testing::TempDir dir;
  write_chart(dir);
  dir.write("templates/secret.yaml",
            "{{- $key := genPrivateKey \"ed25519\" }}\n{{- $ca := genCAWithKey \"ca\" 10 $key }}\n"
            "{{- $leaf := genSignedCertWithKey \"leaf\" nil (list \"leaf.example\") 5 $ca $key }}\n"
            "kind: Secret\ndata:\n  same: {{ eq $ca.Key $key }}\n  ca: |\n{{ $ca.Cert | indent 4 }}\n"
            "  leaf: |\n{{ $leaf.Cert | indent 4 }}\n");
  const auto r = render_dir(dir);
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  ASSERT_EQ(r.manifests.size(), 1u);
  const std::string& content = r.manifests[0].content;
  EXPECT_NE(content.find("same: true"), std::string::npos) << content;
  const auto ca = read_cert(block(content, "ca"));
  const auto leaf = read_cert(block(content, "leaf"));
  ASSERT_TRUE(ca && leaf) << content;
  EXPECT_EQ(EVP_PKEY_get_id(X509_get0_pubkey(ca.get())), EVP_PKEY_ED25519);
  EXPECT_EQ(X509_verify(leaf.get(), X509_get0_pubkey(ca.get())), 1);
  EXPECT_EQ(X509_check_host(leaf.get(), "leaf.example", 0, 0, nullptr), 1);
}

// Keys are costly: a render derives at most eight from its seed and makes
// at most 1000 keys and certificates, so a loop cannot stall the run.
TEST(ChartCompat, KeysAndCertificatesAreBoundedPerRender) {
  testing::TempDir dir;
  write_chart(dir);
  dir.write("templates/keys.yaml",
            "{{- $keys := list }}{{- range until 9 }}{{ $keys = append $keys (genPrivateKey \"ed25519\") }}{{ end }}\n"
            "kind: ConfigMap\ndata:\n  ninth-is-first: \"{{ eq (index $keys 8) (index $keys 0) }}\"\n"
            "  second-differs: \"{{ ne (index $keys 1) (index $keys 0) }}\"\n");
  dir.write("templates/loop.yaml", "{{- range until 2000 }}{{ $k := genPrivateKey \"ed25519\" }}{{ end }}\n");
  const auto r = render_dir(dir);
  ASSERT_EQ(r.problems.size(), 1u) << problems_text(r);
  EXPECT_EQ(r.problems[0].kind, Problem::Kind::limit);
  EXPECT_EQ(r.problems[0].file, "templates/loop.yaml");
  EXPECT_NE(r.problems[0].message.find("at most 1000 keys and certificates"), std::string::npos) << r.problems[0].message;
  const std::string keys = manifest_with(r, "ConfigMap");
  EXPECT_NE(keys.find("ninth-is-first: \"true\""), std::string::npos) << keys;
  EXPECT_NE(keys.find("second-differs: \"true\""), std::string::npos) << keys;
}

TEST(ChartCompat, CertificateArgumentsAreCheckedAsSprigDoes) {
  testing::TempDir dir;
  write_chart(dir);
  dir.write("templates/bad-ip.yaml", "x: {{ (genSelfSignedCert \"x\" (list \"not-an-ip\") nil 1).Cert }}\n");
  dir.write("templates/bad-ca.yaml", "x: {{ (genSignedCert \"x\" nil nil 1 (dict \"Cert\" \"c\")).Cert }}\n");
  dir.write("templates/dsa.yaml", "x: {{ genPrivateKey \"dsa\" }}\n");
  const auto r = render_dir(dir);
  const std::string text = problems_text(r);
  EXPECT_NE(text.find("error calling genSelfSignedCert: error parsing ip: not-an-ip"), std::string::npos) << text;
  EXPECT_NE(text.find("expected sprig.certificate; got map[string]interface {}"), std::string::npos) << text;
  const auto dsa = std::find_if(r.problems.begin(), r.problems.end(), [](const Problem& p) { return p.kind == Problem::Kind::unsupported; });
  EXPECT_NE(dsa, r.problems.end()) << text;
}

// ---- what a chart Helm would refuse renders without, as notes --------------

// keycloak, elastic-stack, hubot, uchiwa: templates of a dependency that is not
// vendored, and values read through it, explain the template's failure.
TEST(ChartCompat, FailuresForWantOfADependencyNameIt) {
  testing::TempDir dir;
  dir.write("Chart.yaml", "apiVersion: v1\nname: keycloak\nversion: 0.1.0\n");
  dir.write("values.yaml", "redis:\n  enabled: true\nnode-exporter:\n  namespaceOverride: \"\"\n");
  dir.write("templates/_helpers.tpl",
            "{{- define \"keycloak.postgresql.fullname\" -}}{{ template \"postgresql.fullname\" . }}{{- end -}}\n");
  dir.write("templates/statefulset.yaml", "kind: StatefulSet\ndb: {{ include \"keycloak.postgresql.fullname\" . }}\n");
  dir.write("templates/deployment.yaml", "kind: Deployment\nport: {{ .Values.redis.master.service.port }}\n");
  dir.write("templates/own.yaml", "kind: ConfigMap\nx: {{ .Values.own.missing.key }}\n");
  // kube-prometheus-stack: a dependency whose name is not an identifier.
  dir.write("requirements.yaml", "dependencies:\n  - name: postgresql\n    version: 1.0.0\n  - name: redis\n    version: 1.0.0\n"
                                 "  - name: node-exporter\n    version: 1.0.0\n");
  dir.write("templates/clusterrole.yaml",
            "kind: ClusterRole\n{{- if (index .Values \"node-exporter\").kubeRBACProxy.enabled }}\nx: 1\n{{- end }}\n");
  const auto r = render_dir(dir);
  const auto kind_of = [&](std::string_view template_file) {
    for (const auto& p : r.problems)
      if (p.template_file == template_file) return p.kind;
    return Problem::Kind::chart;
  };
  EXPECT_EQ(kind_of("templates/statefulset.yaml"), Problem::Kind::needs_dependency) << problems_text(r);
  EXPECT_EQ(kind_of("templates/deployment.yaml"), Problem::Kind::needs_dependency) << problems_text(r);
  EXPECT_EQ(kind_of("templates/own.yaml"), Problem::Kind::render) << problems_text(r);  // the chart's own bug
  EXPECT_EQ(kind_of("templates/clusterrole.yaml"), Problem::Kind::needs_dependency) << problems_text(r);
  for (const auto& p : r.problems) {
    if (p.template_file == "templates/statefulset.yaml") {
      EXPECT_EQ(p.dependency, "postgresql");
      EXPECT_EQ(p.reason, "template \"postgresql.fullname\"");
    }
    if (p.template_file == "templates/deployment.yaml") {
      EXPECT_EQ(p.dependency, "redis");
      EXPECT_EQ(p.reason, ".Values.redis.master is nil");
    }
    if (p.template_file == "templates/clusterrole.yaml") {
      EXPECT_EQ(p.dependency, "node-exporter");
      EXPECT_EQ(p.reason, "(index .Values \"node-exporter\").kubeRBACProxy is nil");
    }
  }
  const auto missing = std::count_if(r.problems.begin(), r.problems.end(),
                                     [](const Problem& p) { return p.kind == Problem::Kind::missing_dependency; });
  EXPECT_EQ(missing, 3);
}

// distribution, stolon, mariadb's values-production.yaml: one note per chart
// (and per values file when it differs) says what was left out and why; the
// chart's own errors stay render errors.
TEST(ChartCompat, OneNotePerChartForMissingDependenciesAndRequiredValues) {
  testing::TempDir repo;
  repo.write("charts/db/Chart.yaml", "apiVersion: v1\nname: db\nversion: 0.1.0\n");
  repo.write("charts/db/requirements.yaml", "dependencies:\n  - name: mongodb\n    version: 1.0.0\n");
  repo.write("charts/db/values.yaml", "mongodb:\n  mongodbPassword: \"\"\nforcePassword: false\n");
  repo.write("charts/db/values-production.yaml", "forcePassword: true\n");
  repo.write("charts/db/templates/_helpers.tpl",
             "{{- define \"db.password\" -}}\n"
             "{{ required \"A valid .Values.mongodb.mongodbPassword entry required!\" .Values.mongodb.mongodbPassword }}\n"
             "{{- end -}}\n");
  repo.write("charts/db/templates/mongo-secret.yaml",
             "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mongo\ndata:\n  p: {{ include \"db.password\" . }}\n");
  repo.write("charts/db/templates/root-secret.yaml",
             "apiVersion: v1\nkind: Secret\nmetadata:\n  name: root\n"
             "{{- if .Values.forcePassword }}\n  p: {{ required \"A root password is required!\" .Values.rootPassword }}\n"
             "{{- end }}\n");
  repo.write("charts/db/templates/broken.yaml", "x: {{ nope }}\n");
  auto ws = workspace::discover(repo.path(), {});
  ASSERT_TRUE(ws.has_value());
  const engine::ProductionRules configured;
  const kube::ProductionRules production(configured);
  const auto rendered = engine::render_charts(*ws, production);
  std::vector<std::string> notes;
  for (const auto& note : rendered.notes) notes.push_back(note.path + ": " + note.message);
  ASSERT_EQ(notes.size(), 2u) << ::testing::PrintToString(notes);
  EXPECT_EQ(notes[1],
            "charts/db/Chart.yaml: with values.yaml: rendered without dependencies not vendored under charts/ (`helm "
            "dependency build` fetches them): mongodb; templates left out for want of a value the chart requires: "
            "templates/mongo-secret.yaml (templates/_helpers.tpl:2: A valid .Values.mongodb.mongodbPassword entry "
            "required!)");
  EXPECT_EQ(notes[0],
            "charts/db/Chart.yaml: with values-production.yaml: rendered without dependencies not vendored under "
            "charts/ (`helm dependency build` fetches them): mongodb; templates left out for want of a value the "
            "chart requires: templates/mongo-secret.yaml (templates/_helpers.tpl:2: A valid "
            ".Values.mongodb.mongodbPassword entry required!), templates/root-secret.yaml (line 6: A root password "
            "is required!)");
  // Only the chart's own error is a render error.
  ASSERT_EQ(rendered.problems.size(), 1u);
  EXPECT_EQ(rendered.problems[0].path, "charts/db/templates/broken.yaml");
}

// Charts, and the environments of one chart, render on several threads: the
// manifests (with their line origins), problems and notes come out the same,
// in the same order, for any number of them.
TEST(ChartCompat, RenderingOnSeveralThreadsGivesTheSameResult) {
  testing::TempDir repo;
  for (int c = 0; c < 6; ++c) {
    const std::string dir = fmt::format("charts/c{}/", c);
    repo.write(dir + "Chart.yaml", fmt::format("apiVersion: v2\nname: c{}\nversion: 0.1.0\n", c));
    repo.write(dir + "values.yaml", fmt::format("replicas: {}\nimage: app:1.{}\n", c + 1, c));
    if (c % 2 == 0) repo.write(dir + "values-prod.yaml", "replicas: 9\n");
    if (c % 3 == 0) repo.write(dir + "values-staging.yaml", "image: app:2.0\n");
    repo.write(dir + "templates/deploy.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n"
               "  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n"
               "        - name: app\n          image: {{ .Values.image }}\n");
    repo.write(dir + "templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n");
    if (c == 4) repo.write(dir + "templates/broken.yaml", "x: {{ nope }}\n");
  }
  repo.write("charts/lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n");
  repo.write("charts/bad/Chart.yaml", "apiVersion: v2\nname: [\n");
  auto ws = workspace::discover(repo.path(), {});
  ASSERT_TRUE(ws.has_value());
  const engine::ProductionRules configured;
  const kube::ProductionRules production(configured);
  auto describe = [&](const engine::RenderedCharts& rendered) {
    std::vector<std::string> lines;
    for (const auto& m : rendered.manifests) {
      std::string origins;
      for (const auto& o : m->origins) origins += fmt::format(" {}:{}:{}<{}:{}", o.path, o.line, o.column, o.value_path, o.value_line);
      lines.push_back(fmt::format("manifest {} [{}]{}", m->file.path, m->file.environment, origins));
    }
    for (const auto& p : rendered.problems) lines.push_back(fmt::format("problem {}:{} {}", p.path, p.range.line, p.message));
    for (const auto& n : rendered.notes) lines.push_back(fmt::format("note {} {}", n.path, n.message));
    return lines;
  };
  const auto one = describe(engine::render_charts(*ws, production, 1));
  // 6 charts: 6 default renders, 3 prod, 2 staging; 2 manifests each.
  EXPECT_EQ(std::count_if(one.begin(), one.end(), [](const std::string& l) { return l.starts_with("manifest "); }), 22);
  EXPECT_TRUE(std::any_of(one.begin(), one.end(), [](const std::string& l) { return l.starts_with("problem charts/bad/"); }));
  for (const unsigned jobs : {2u, 3u, 8u}) EXPECT_EQ(describe(engine::render_charts(*ws, production, jobs)), one) << jobs;
}

// external-dns's chart leaves `policy:` empty for the installer to choose,
// and its values.schema.json requires a string: Helm refuses the default
// values too. That is the installer's value, a note, not a render error; a
// value that is there and wrong still is one.
TEST(ChartCompat, AValueTheSchemaRequiresAndTheValuesLeaveUnsetIsANote) {
  testing::TempDir repo;
  repo.write("charts/dns/Chart.yaml", "apiVersion: v2\nname: dns\nversion: 0.1.0\n");
  repo.write("charts/dns/values.yaml", "policy:  # REQUIRED: create-only, sync or upsert-only\ninterval: 1m\n");
  repo.write("charts/dns/values-prod.yaml", "policy: sync\ninterval: 60\n");
  repo.write("charts/dns/values.schema.json",
             R"({"type": "object", "required": ["policy", "registry"],
                 "properties": {"policy": {"type": "string"}, "interval": {"type": "string"},
                                "registry": {"type": "string"}}})");
  repo.write("charts/dns/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dns\n");
  auto ws = workspace::discover(repo.path(), {});
  ASSERT_TRUE(ws.has_value());
  const engine::ProductionRules configured;
  const kube::ProductionRules production(configured);
  const auto rendered = engine::render_charts(*ws, production);
  std::vector<std::string> notes;
  for (const auto& note : rendered.notes) notes.push_back(note.path + ": " + note.message);
  ASSERT_EQ(notes.size(), 2u) << ::testing::PrintToString(notes);
  EXPECT_NE(notes[1].find("with values.yaml: not rendered: values.schema.json requires a value for registry, policy"),
            std::string::npos)
      << notes[1];
  EXPECT_NE(notes[0].find("with values-prod.yaml: not rendered: values.schema.json requires a value for registry"),
            std::string::npos)
      << notes[0];
  // interval: 60 in values-prod.yaml is there and wrong.
  ASSERT_EQ(rendered.problems.size(), 1u) << rendered.problems.size();
  EXPECT_NE(rendered.problems[0].message.find("interval: Invalid type. Expected: string, given: integer"),
            std::string::npos)
      << rendered.problems[0].message;
}

// bitnami's charts without their `common` library chart lose every template:
// the note names five and counts the rest.
TEST(ChartCompat, NoteNamesAFewTemplatesAndCountsTheRest) {
  testing::TempDir repo;
  repo.write("app/Chart.yaml",
             "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: common\n    version: 2.x.x\n"
             "    repository: oci://registry-1.docker.io/bitnamicharts\n");
  for (int i = 1; i <= 7; ++i)
    repo.write(fmt::format("app/templates/t{}.yaml", i), "name: {{ include \"common.names.fullname\" . }}\n");
  auto ws = workspace::discover(repo.path(), {});
  ASSERT_TRUE(ws.has_value());
  const engine::ProductionRules configured;
  const auto rendered = engine::render_charts(*ws, kube::ProductionRules(configured));
  ASSERT_EQ(rendered.notes.size(), 1u);
  EXPECT_EQ(rendered.notes[0].message,
            "rendered without dependencies not vendored under charts/ (`helm dependency build` fetches them): common; "
            "templates left out for want of them: templates/t1.yaml (template \"common.names.fullname\"), "
            "templates/t2.yaml (template \"common.names.fullname\"), templates/t3.yaml (template "
            "\"common.names.fullname\"), templates/t4.yaml (template \"common.names.fullname\"), templates/t5.yaml "
            "(template \"common.names.fullname\"), and 2 more");
  EXPECT_TRUE(rendered.problems.empty());
}

}  // namespace
}  // namespace constable::helm
