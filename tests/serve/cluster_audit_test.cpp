// `constable audit --cluster` against a fake Kubernetes API server on
// loopback (HTTPS with a certificate of its own, trusted through the
// kubeconfig's certificate-authority-data) serving recorded list answers
// (tests/fixtures/cluster/): namespaces become repositories of the store,
// pages are followed, reports are applied, a kind that cannot be listed
// leaves every namespace unaudited rather than fixed, and kubeconfigs are
// read as kubectl reads them.

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cluster/cluster_audit.hpp"
#include "cluster/kube_access.hpp"
#include "cluster/policy_report.hpp"
#include "helm/template/digest.hpp"
#include "loopback.hpp"
#include "store/store.hpp"

namespace constable::cluster {
namespace {

namespace ct = constable::testing;
using nlohmann::json;

constexpr std::string_view kToken = "eyJhbGciOiJSUzI1NiJ9.fake-service-account-token";

std::string fixture(std::string_view name) {
  return ct::read_file(ct::fixtures_dir() / "cluster" / std::string(name));
}

// The recorded API: lists by path (and page), an empty list for any other
// kind, a status per path to fail with, and every request it saw.
class FakeApi {
 public:
  explicit FakeApi(const ct::TempDir& dir) {
    tls_ = ct::certificate(dir, "kube-apiserver");
    auto server = serve::http::Server::start(ct::loopback(tls_), [this](const serve::http::Request& r) { return handle(r); });
    EXPECT_TRUE(server) << (server ? "" : server.error().to_string());
    server_ = std::move(*server);
  }

  std::string url() const { return fmt::format("https://127.0.0.1:{}", server_->port()); }
  std::string ca_pem() const { return ct::read_file(tls_.certificate); }
  void fail(std::string path, int status) { failing_[std::move(path)] = status; }
  void serve(std::string path, std::string body) { lists_[std::move(path)] = std::move(body); }
  std::vector<serve::http::Request> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  serve::http::Response handle(const serve::http::Request& request) {
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    if (request.header("authorization") != fmt::format("Bearer {}", kToken))
      return serve::http::problem(401, "Unauthorized", "no token");
    if (const auto failing = failing_.find(request.path); failing != failing_.end())
      return {failing->second, "application/json", {},
              json{{"kind", "Status"}, {"status", "Failure"}, {"message", "cronjobs.batch is forbidden: User cannot list"}}
                  .dump()};
    if (request.method == "PATCH") return {201, "application/json", {}, request.body};
    std::string key = request.path;
    if (const auto token = request.query_parameter("continue")) key += "?continue";
    if (const auto list = lists_.find(key); list != lists_.end()) return {200, "application/json", {}, list->second};
    return {200, "application/json", {}, R"({"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[]})"};
  }

  serve::http::TlsFiles tls_;
  std::unique_ptr<serve::http::Server> server_;
  std::map<std::string, std::string> lists_;
  std::map<std::string, int> failing_;
  mutable std::mutex mutex_;
  std::vector<serve::http::Request> requests_;
};

void serve_recorded_cluster(FakeApi& api) {
  api.serve("/api/v1/namespaces", fixture("namespaces.json"));
  api.serve("/apis/apps/v1/deployments", fixture("deployments-page1.json"));
  api.serve("/apis/apps/v1/deployments?continue", fixture("deployments-page2.json"));
  api.serve("/api/v1/pods", fixture("pods.json"));
}

std::filesystem::path kubeconfig(const ct::TempDir& dir, const FakeApi& api, std::string_view user_extra = {}) {
  return dir.write("kubeconfig", fmt::format(R"(apiVersion: v1
kind: Config
current-context: kind-audit
clusters:
  - name: kind-audit
    cluster:
      server: {}
      certificate-authority-data: {}
users:
  - name: auditor
    user:
      token: {}{}
contexts:
  - name: kind-audit
    context: {{cluster: kind-audit, user: auditor}}
)",
                                              api.url(), helm::tmpl::base64_encode(api.ca_pem()), kToken, user_extra));
}

ClusterAuditOptions options_for(const ct::TempDir& dir, const std::filesystem::path& config) {
  ClusterAuditOptions options;
  options.access.kubeconfig = config;
  options.store = (dir.path() / "audit.db").string();
  options.constitution = ct::fixtures_dir() / "constitution" / "reference-excerpt.md";
  options.today = Date::parse("2026-11-22");
  return options;
}

// The ids of each repository's open violations.
std::map<std::string, std::vector<std::int64_t>> open_ids(const std::map<std::string, std::vector<store::Violation>>& open) {
  std::map<std::string, std::vector<std::int64_t>> out;
  for (const auto& [repository, violations] : open)
    for (const auto& v : violations) out[repository].push_back(v.id);
  return out;
}

std::map<std::string, std::vector<store::Violation>> open_by_repository(const std::string& url) {
  auto opened = store::open_store(url);
  EXPECT_TRUE(opened);
  std::map<std::string, std::vector<store::Violation>> out;
  const auto all = (*opened)->all_violations();
  EXPECT_TRUE(all);
  for (const auto& v : *all)
    if (v.status == store::Status::open) out[v.repository].push_back(v);
  return out;
}

TEST(ClusterAudit, EachNamespaceIsARepositoryOfTheStoreAndPagesAreFollowed) {
  ct::TempDir dir;
  FakeApi api(dir);
  serve_recorded_cluster(api);
  auto options = options_for(dir, kubeconfig(dir, api));
  const app::Outcome first = audit(options);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("2 of 2 namespaces audited"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("not audited, as Kubernetes' own or exempt (admission.exempt_namespaces): kube-node-lease, "
                           "kube-system"),
            std::string::npos)
      << first.out;
  EXPECT_EQ(first.out.find(kToken), std::string::npos) << "the token is never printed";

  const auto open = open_by_repository(options.store);
  ASSERT_TRUE(open.contains("cluster/kind-audit/payments")) << first.out;
  ASSERT_TRUE(open.contains("cluster/kind-audit/shop")) << first.out;
  // ledger (page 1) has no resources and no probes; storefront (page 2) has both.
  bool ledger_limits = false, storefront_judged_clean = true, bare_pod = false, owned_pod = false;
  for (const auto& v : open.at("cluster/kind-audit/payments")) {
    ledger_limits = ledger_limits || (v.path == "Deployment/ledger.yaml" && v.check_id == "kubernetes/resource-requests-limits");
    owned_pod = owned_pod || v.path.starts_with("Pod/");
  }
  for (const auto& v : open.at("cluster/kind-audit/shop")) {
    if (v.path == "Deployment/storefront.yaml" &&
        (v.check_id == "kubernetes/resource-requests-limits" || v.check_id == "kubernetes/probes"))
      storefront_judged_clean = false;
    bare_pod = bare_pod || v.path == "Pod/debug-shell.yaml";
  }
  EXPECT_TRUE(ledger_limits);
  EXPECT_TRUE(storefront_judged_clean);
  EXPECT_TRUE(bare_pod) << "a Pod no controller owns is judged itself";
  EXPECT_FALSE(owned_pod) << "a ReplicaSet's Pod is judged through its Deployment";

  // Teams from the namespace labels; the report sees the namespaces.
  auto opened = store::open_store(options.store);
  ASSERT_TRUE(opened);
  std::map<std::string, std::string> teams;
  const auto runs = (*opened)->repository_runs();
  ASSERT_TRUE(runs);
  for (const auto& r : *runs) teams[r.repository] = r.team;
  EXPECT_EQ(teams["cluster/kind-audit/payments"], "pay");
  EXPECT_EQ(teams["cluster/kind-audit/shop"], "web");

  // The next night ledger has its resources: its finding is fixed, nothing else moves.
  std::string fixed = fixture("deployments-page1.json");
  const std::string empty_resources = R"("resources":{},"terminationMessagePath")";
  fixed.replace(fixed.find(empty_resources), empty_resources.size(),
                R"("resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"1","memory":"256Mi"}},"terminationMessagePath")");
  api.serve("/apis/apps/v1/deployments", fixed);
  options.today = Date::parse("2026-11-23");
  const app::Outcome second = audit(options);
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("0 opened, 0 reopened, 1 fixed"), std::string::npos) << second.out;
}

TEST(ClusterAudit, PolicyReportsAreAppliedPerNamespaceSmallAndCounted) {
  ct::TempDir dir;
  FakeApi api(dir);
  serve_recorded_cluster(api);
  auto options = options_for(dir, kubeconfig(dir, api));
  options.reports = ReportFlavour::wgpolicyk8s;
  const app::Outcome outcome = audit(options);
  ASSERT_EQ(outcome.exit_code, 0) << outcome.out;
  const auto open = open_by_repository(options.store);
  std::size_t applied = 0;
  for (const auto& request : api.requests()) {
    if (request.method != "PATCH") continue;
    ++applied;
    EXPECT_EQ(request.header("content-type"), "application/apply-patch+yaml");
    EXPECT_EQ(request.query_parameter("fieldManager").value_or(""), "constable");
    const json report = json::parse(request.body);
    EXPECT_EQ(report["apiVersion"], "wgpolicyk8s.io/v1alpha2");
    EXPECT_EQ(report["kind"], "PolicyReport");
    const std::string ns = report["metadata"]["namespace"];
    EXPECT_EQ(request.path, fmt::format("/apis/wgpolicyk8s.io/v1alpha2/namespaces/{}/policyreports/constable", ns));
    EXPECT_EQ(report["summary"]["fail"].get<std::size_t>(), open.at("cluster/kind-audit/" + ns).size()) << ns;
    for (const auto& result : report["results"]) {
      EXPECT_EQ(result["source"], "constable");
      EXPECT_TRUE(result["properties"].contains("due"));
      ASSERT_EQ(result["resources"].size(), 1u) << result.dump();
      const json& resource = result["resources"][0];
      if (resource["kind"] == "Namespace") EXPECT_EQ(resource["name"], ns);
      else EXPECT_EQ(resource["namespace"], ns) << resource.dump();
      EXPECT_FALSE(result["resources"][0]["uid"].get<std::string>().empty());
    }
  }
  EXPECT_EQ(applied, 2u);
}

TEST(ClusterAudit, AKindThatCannotBeListedLeavesNamespacesUnauditedNotFixed) {
  ct::TempDir dir;
  FakeApi api(dir);
  serve_recorded_cluster(api);
  auto options = options_for(dir, kubeconfig(dir, api));
  ASSERT_EQ(audit(options).exit_code, 0);
  const auto before = open_by_repository(options.store);
  api.fail("/apis/batch/v1/cronjobs", 403);
  const app::Outcome outcome = audit(options);
  EXPECT_EQ(outcome.exit_code, 1) << outcome.out;
  EXPECT_NE(outcome.out.find("0 of 2 namespaces audited"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("listing cronjobs: 403 cronjobs.batch is forbidden"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("0 fixed"), std::string::npos) << outcome.out;
  EXPECT_EQ(open_ids(open_by_repository(options.store)), open_ids(before)) << "nothing is closed on half the picture";
}

TEST(ClusterAudit, PolicyReportsKeepTheMostSevereResultsUpToTheCap) {
  std::vector<engine::Finding> findings(5);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    findings[i].check_id = fmt::format("kubernetes/check-{}", i);
    findings[i].clause_id = "kubernetes-standards/x";
    findings[i].severity = i == 3 ? Severity::critical : Severity::low;
    findings[i].path = "Deployment/web.yaml";
    findings[i].due = *Date::parse("2026-12-01");
    findings[i].clause_section = "Project Constitution > Kubernetes Standards > Resource Definitions";
  }
  findings[4].transition = engine::TransitionNotice{*Date::parse("2027-01-01"), "new clause"};
  const std::map<std::string, ObjectReference> objects{
      {"Deployment/web.yaml", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "web"}, {"namespace", "shop"}, {"uid", "u"}}}};
  const json report = policy_report(ReportFlavour::openreports, "shop", findings, objects, "1764000000", 2);
  EXPECT_EQ(report["apiVersion"], "openreports.io/v1alpha1");
  EXPECT_EQ(report["kind"], "Report");
  EXPECT_EQ(report["summary"]["fail"], 4);
  EXPECT_EQ(report["summary"]["warn"], 1);
  ASSERT_EQ(report["results"].size(), 2u);
  EXPECT_EQ(report["results"][0]["severity"], "critical");
  EXPECT_EQ(report["results"][0]["category"], "Kubernetes Standards > Resource Definitions");
  EXPECT_EQ(report["metadata"]["annotations"]["constable.dev/results-left-out"], "3");
}

TEST(KubeAccess, KubeconfigsAreReadAsKubectlReadsThemAndPluginsAreRefused) {
  ct::TempDir dir;
  const std::string ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  dir.write("ca.crt", ca);
  dir.write("token", "file-token\n");
  const auto config = dir.write("config", fmt::format(R"(apiVersion: v1
kind: Config
current-context: prod
clusters:
  - {{name: prod, cluster: {{server: "https://10.0.0.1:6443", certificate-authority: ca.crt}}}}
  - {{name: lab, cluster: {{server: "https://lab:6443", insecure-skip-tls-verify: true}}}}
users:
  - {{name: cert, user: {{client-certificate-data: {}, client-key-data: {}}}}}
  - {{name: file, user: {{tokenFile: token}}}}
  - {{name: sso, user: {{exec: {{command: kubelogin, apiVersion: client.authentication.k8s.io/v1}}}}}}
contexts:
  - {{name: prod, context: {{cluster: prod, user: cert}}}}
  - {{name: lab, context: {{cluster: lab, user: file}}}}
  - {{name: sso, context: {{cluster: prod, user: sso}}}}
  - {{name: lost, context: {{cluster: nowhere, user: cert}}}}
)",
                                                      helm::tmpl::base64_encode("CERT"), helm::tmpl::base64_encode("KEY")));
  AccessOptions options;
  const auto prod = from_kubeconfig(config, options);
  ASSERT_TRUE(prod) << prod.error().to_string();
  EXPECT_EQ(prod->name, "prod");
  EXPECT_EQ(prod->server, "https://10.0.0.1:6443");
  EXPECT_EQ(prod->ca_pem, ca) << "a CA file relative to the kubeconfig";
  EXPECT_EQ(prod->client_certificate_pem, "CERT");
  EXPECT_EQ(prod->client_key_pem, "KEY");
  EXPECT_TRUE(prod->verify_peer);

  options.context = "lab";
  const auto refused = from_kubeconfig(config, options);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("insecure-skip-tls-verify"), std::string::npos);
  options.allow_insecure = true;
  const auto lab = from_kubeconfig(config, options);
  ASSERT_TRUE(lab) << lab.error().to_string();
  EXPECT_FALSE(lab->verify_peer);
  EXPECT_EQ(lab->token, "file-token");

  options.context = "sso";
  const auto sso = from_kubeconfig(config, options);
  ASSERT_FALSE(sso);
  EXPECT_NE(sso.error().message.find("exec plugin"), std::string::npos) << sso.error().message;
  options.context = "lost";
  EXPECT_NE(from_kubeconfig(config, options).error().message.find("cluster 'nowhere'"), std::string::npos);
  options.context = "absent";
  EXPECT_NE(from_kubeconfig(config, options).error().message.find("no context 'absent'"), std::string::npos);
}

TEST(KubeAccess, InAPodTheServiceAccountIsUsed) {
  ct::TempDir dir;
  dir.write("sa/token", "pod-token\n");
  dir.write("sa/ca.crt", "CA");
  AccessOptions options;
  options.service_account = dir.path() / "sa";
  ::setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
  ::setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  const auto pod = in_cluster(options);
  ::unsetenv("KUBERNETES_SERVICE_HOST");
  ::unsetenv("KUBERNETES_SERVICE_PORT");
  ASSERT_TRUE(pod.has_value());
  ASSERT_TRUE(*pod) << pod->error().to_string();
  EXPECT_EQ((*pod)->server, "https://10.96.0.1:443");
  EXPECT_EQ((*pod)->token, "pod-token");
  EXPECT_EQ((*pod)->ca_pem, "CA");
  EXPECT_FALSE(in_cluster(options).has_value()) << "outside a pod";
}

}  // namespace
}  // namespace constable::cluster
