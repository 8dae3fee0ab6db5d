#include "kube/manifests.hpp"

#include <gtest/gtest.h>

namespace constable::kube {
namespace {

const yaml::Node* node(const yaml::Stream& s) { return s.documents.at(0).root; }

TEST(KubeSelectorTest, MatchLabelsAndExpressionsAreAnded) {
  const auto labels = yaml::parse("app: web\ntier: frontend\n");
  auto matches = [&](const char* selector) { return selector_matches(node(yaml::parse(selector)), node(labels)); };
  EXPECT_TRUE(matches("matchLabels: {app: web}\n"));
  EXPECT_FALSE(matches("matchLabels: {app: api}\n"));
  EXPECT_TRUE(matches("matchExpressions:\n  - {key: app, operator: In, values: [web, api]}\n"));
  EXPECT_FALSE(matches("matchExpressions:\n  - {key: app, operator: NotIn, values: [web]}\n"));
  EXPECT_TRUE(
      matches("matchExpressions:\n  - {key: tier, operator: Exists}\n  - {key: canary, operator: DoesNotExist}\n"));
  EXPECT_FALSE(
      matches("matchLabels: {app: web}\nmatchExpressions:\n  - {key: tier, operator: In, values: [backend]}\n"));
  EXPECT_TRUE(matches("{}\n")) << "an empty selector selects everything";
  EXPECT_FALSE(matches("matchExpressions:\n  - {key: app, operator: Matches, values: [web]}\n"));
  EXPECT_FALSE(selector_matches(nullptr, node(labels))) << "a missing selector selects nothing";
}

TEST(KubePodTemplateTest, EveryWorkloadKindIncludingCronJobs) {
  const auto stream = yaml::parse(
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report}\nspec:\n  jobTemplate:\n    spec:\n      "
      "template:\n"
      "        metadata: {labels: {app: report}}\n        spec:\n          initContainers: [{name: init}]\n"
      "          containers: [{name: main}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
      "  containers: [{name: c}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n");
  std::vector<ParsedFile> files = {{"all.yaml", &stream, {}, {}}};
  const engine::ProductionRules none;
  const auto set = ManifestSet::build(files, ProductionRules(none));
  ASSERT_EQ(set.objects().size(), 3u);
  const auto cron = pod_template(set.objects()[0]);
  ASSERT_TRUE(cron);
  const auto cs = containers(cron->spec);
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[0].name, "main");
  EXPECT_TRUE(cs[1].init);
  EXPECT_TRUE(pod_template(set.objects()[1]));
  EXPECT_FALSE(pod_template(set.objects()[2]));
  EXPECT_FALSE(is_long_running("CronJob"));
  EXPECT_TRUE(is_long_running("StatefulSet"));
}

// The manifest set reads objects and kustomizations; a chart's values.yaml
// has a `resources:` block (container requests and limits) and is neither,
// so it is not held for the manifest phase.
// Component configuration files name a *.k8s.io group but are read from
// disk by the program, never created in the API.
TEST(KubeBuiltinApiTest, ComponentConfigurationIsNoApiObject) {
  EXPECT_TRUE(kube::is_builtin_api("v1"));
  EXPECT_TRUE(kube::is_builtin_api("networking.k8s.io/v1"));
  EXPECT_TRUE(kube::is_builtin_api("rbac.authorization.k8s.io/v1"));
  EXPECT_FALSE(kube::is_builtin_api("apiserver.config.k8s.io/v1"));
  EXPECT_FALSE(kube::is_builtin_api("kubelet.config.k8s.io/v1beta1"));
  EXPECT_FALSE(kube::is_builtin_api("audit.k8s.io/v1"));
  EXPECT_FALSE(kube::is_builtin_api("kubeadm.k8s.io/v1beta3"));
  EXPECT_FALSE(kube::is_builtin_api("argoproj.io/v1alpha1"));
}

TEST(KubeManifestSetTest, OnlyObjectsAndKustomizationsAreManifestDocuments) {
  const auto values = yaml::parse("replicaCount: 1\nresources:\n  limits:\n    cpu: 100m\n");
  EXPECT_FALSE(has_manifest_documents(values, "charts/web/values.yaml"));
  const auto kustomization = yaml::parse("resources:\n  - deploy.yaml\n");
  EXPECT_TRUE(has_manifest_documents(kustomization, "deploy/base/kustomization.yaml"));
  EXPECT_FALSE(has_manifest_documents(kustomization, "deploy/base/resources.yaml"));
  const auto object = yaml::parse("---\n# empty\n---\napiVersion: v1\nkind: ConfigMap\n");
  EXPECT_TRUE(has_manifest_documents(object, "cm.yaml"));
  EXPECT_FALSE(has_manifest_documents(yaml::parse("- a\n- b\n"), "kustomization.yaml"));
}

TEST(KubeManifestSetTest, ListsAreExpandedAndKustomizeOverlaysPlaceObjects) {
  const auto base_kustomization = yaml::parse("resources:\n  - deploy.yaml\n");
  const auto deploy = yaml::parse(
      "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n"
      "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: web, namespace: ignored}\n");
  const auto dev = yaml::parse("namespace: shop-dev\nresources: [../../base]\n");
  const auto prod = yaml::parse(
      "namespace: shop-prod\nresources: [../../base]\npatches:\n  - path: patch.yaml\n"
      "configMapGenerator:\n  - name: cfg\ngeneratorOptions: {disableNameSuffixHash: true}\n");
  const auto patch = yaml::parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}\n");
  const auto loose = yaml::parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loose, namespace: production}\n");
  std::vector<ParsedFile> files = {{"k8s/base/kustomization.yaml", &base_kustomization, {}, {}},
                                   {"k8s/base/deploy.yaml", &deploy, {}, {}},
                                   {"k8s/overlays/dev/kustomization.yaml", &dev, {}, {}},
                                   {"k8s/overlays/prod/kustomization.yaml", &prod, {}, {}},
                                   {"k8s/overlays/prod/patch.yaml", &patch, {}, {}},
                                   {"loose.yaml", &loose, {}, {}}};
  const engine::ProductionRules none;
  const auto set = ManifestSet::build(files, ProductionRules(none));
  ASSERT_EQ(set.objects().size(), 3u) << "the List's two items and the loose ConfigMap; the patch is not an object";
  const Object& web = set.objects()[0];
  EXPECT_EQ(web.kind, "Deployment");
  ASSERT_EQ(web.placements.size(), 2u);
  EXPECT_EQ(web.placements[0].namespace_name, "shop-dev");
  EXPECT_FALSE(web.placements[0].production);
  EXPECT_EQ(web.placements[1].namespace_name, "shop-prod");
  EXPECT_EQ(web.placements[1].via, "k8s/overlays/prod/kustomization.yaml");
  ASSERT_TRUE(web.production());
  EXPECT_EQ(*web.production(), "kustomize overlay k8s/overlays/prod: it is under the 'k8s/overlays/prod' directory");
  EXPECT_EQ(set.objects()[1].placements[0].namespace_name, "shop-dev") << "the overlay's namespace wins";
  EXPECT_EQ(set.objects()[2].production(), "it is deployed to namespace 'production'");
  ASSERT_EQ(set.kustomizations().size(), 3u);
  const auto& generators = set.kustomizations()[2].generators;
  ASSERT_EQ(generators.size(), 1u);
  EXPECT_FALSE(generators[0].hashed);
}

// Kubebuilder scaffolds keep patches beside config/default's kustomization,
// some switched off by commenting them out of its list (gatekeeper's
// manager_prometheus_metrics_patch.yaml): partial objects all the same. A
// resource whose name merely contains "patch" but that the list includes is
// an object.
// The labels of a Namespace in the set say which environment its objects
// run in, whatever the namespace is called; `constable serve` adds the
// cluster's Namespace to the set to the same effect.
TEST(KubeManifestSetTest, ANamespaceLabelledForAnEnvironmentPlacesItsObjectsThere) {
  const auto stream = yaml::parse(
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {environment: Production}}\n---\n"
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: preview-42, labels: {example.com/env: qa}}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: preview-42}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: other}\n");
  std::vector<ParsedFile> files = {{"all.yaml", &stream, {}, {}}};
  const engine::ProductionRules none;
  const auto set = ManifestSet::build(files, ProductionRules(none));
  ASSERT_EQ(set.objects().size(), 5u);
  EXPECT_EQ(set.objects()[2].production(), "namespace 'shop' is labelled environment=Production");
  EXPECT_FALSE(set.objects()[3].production());
  EXPECT_EQ(set.objects()[3].non_production(), "namespace 'preview-42' is labelled example.com/env=qa");
  EXPECT_FALSE(set.objects()[4].production());
  EXPECT_FALSE(set.objects()[4].non_production());
}

TEST(KubeManifestSetTest, PatchFilesBesideAKustomizationAreNotObjects) {
  const auto kustomization = yaml::parse(
      "resources: [../manager, patch-panel.yaml]\npatchesStrategicMerge:\n  - manager_audit_patch.yaml\n");
  const auto manager = yaml::parse("resources: [manager.yaml]\n");
  const auto deployment = yaml::parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: controller-manager}\n");
  const auto audit = yaml::parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: controller-manager}\n");
  const auto metrics = yaml::parse(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: controller-manager}\n"
      "spec:\n  template:\n    spec:\n      containers:\n        - name: manager\n");
  const auto panel = yaml::parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: patch-panel}\n");
  std::vector<ParsedFile> files = {{"config/default/kustomization.yaml", &kustomization, {}, {}},
                                   {"config/default/manager_audit_patch.yaml", &audit, {}, {}},
                                   {"config/default/manager_prometheus_metrics_patch.yaml", &metrics, {}, {}},
                                   {"config/default/patch-panel.yaml", &panel, {}, {}},
                                   {"config/manager/kustomization.yaml", &manager, {}, {}},
                                   {"config/manager/manager.yaml", &deployment, {}, {}}};
  const engine::ProductionRules none;
  const auto set = ManifestSet::build(files, ProductionRules(none));
  std::vector<std::string> sources;
  for (const auto& object : set.objects()) sources.push_back(object.source->path);
  EXPECT_EQ(sources, (std::vector<std::string>{"config/default/patch-panel.yaml", "config/manager/manager.yaml"}));
}

TEST(KubeManifestSetTest, KustomizationCyclesEndAndPlaceEachObjectOnce) {
  // Under a root, a and b name each other (twice each, as kustomize would
  // reject): the walk must stop at the cycle, not branch through it.
  const auto root = yaml::parse("namespace: shop\nresources: [../a]\n");
  const auto a = yaml::parse("resources: [../b, ../b/, ./../b, web.yaml]\n");
  const auto b = yaml::parse("resources: [../a, ../a/, ../b]\n");
  const auto web = yaml::parse("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
  std::vector<ParsedFile> files = {{"k8s/root/kustomization.yaml", &root, {}, {}},
                                   {"k8s/a/kustomization.yaml", &a, {}, {}},
                                   {"k8s/a/web.yaml", &web, {}, {}},
                                   {"k8s/b/kustomization.yaml", &b, {}, {}}};
  const engine::ProductionRules none;
  const auto set = ManifestSet::build(files, ProductionRules(none));
  ASSERT_EQ(set.objects().size(), 1u);
  ASSERT_EQ(set.objects()[0].placements.size(), 1u);
  EXPECT_EQ(set.objects()[0].placements[0].namespace_name, "shop");
  EXPECT_EQ(set.objects()[0].placements[0].via, "k8s/root/kustomization.yaml");
}

TEST(KubeIntOrPercentTest, PercentagesAndNumbers) {
  const auto s = yaml::parse("a: 25%\nb: 2\nc: \"3\"\nd: lots\n");
  const yaml::Node* root = node(s);
  EXPECT_TRUE(parse_int_or_percent(root->get("a"))->percent);
  EXPECT_EQ(parse_int_or_percent(root->get("a"))->value, 25);
  EXPECT_FALSE(parse_int_or_percent(root->get("b"))->percent);
  EXPECT_FALSE(parse_int_or_percent(root->get("c"))) << "a quoted number is a string the API server rejects";
  EXPECT_FALSE(parse_int_or_percent(root->get("d")));
}

TEST(KubeIntOrPercentTest, APercentageTooLargeForAnIntegerIsNotOne) {
  // Found by the manifests fuzzer (fuzz/regressions/manifests/): std::stoll threw out_of_range.
  const auto s = yaml::parse("a: 2592233720368547758085%\nb: 18446744073709551615%\n");
  const yaml::Node* root = node(s);
  EXPECT_FALSE(parse_int_or_percent(root->get("a")));
  ASSERT_TRUE(parse_int_or_percent(root->get("b")));
  EXPECT_TRUE(parse_int_or_percent(root->get("b"))->percent);
}

}  // namespace
}  // namespace constable::kube
