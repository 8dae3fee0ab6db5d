#include "kube/production.hpp"

#include <gtest/gtest.h>

namespace constable::kube {
namespace {

TEST(ProductionRulesTest, ValuesFilesDirectoriesNamespacesAndConfiguration) {
  engine::ProductionRules configured;
  configured.paths = {"deploy/live/**"};
  configured.namespaces = {"live"};
  const ProductionRules rules(configured);

  EXPECT_EQ(rules.for_path("charts/web/values-prod.yaml"), "'values-prod.yaml' is a production values file");
  EXPECT_TRUE(rules.for_path("charts/web/values.production.yml"));
  EXPECT_FALSE(rules.for_path("charts/web/values-dev.yaml"));
  EXPECT_FALSE(rules.for_path("charts/web/values.yaml"));
  EXPECT_EQ(rules.for_path("k8s/overlays/prod/kustomization.yaml"), "it is under the 'k8s/overlays/prod' directory");
  EXPECT_FALSE(rules.for_path("k8s/overlays/production-like.yaml"));
  EXPECT_FALSE(rules.for_path("prod"));  // a file named prod is not a directory
  EXPECT_EQ(rules.for_path("deploy/live/app.yaml"), "it matches production path 'deploy/live/**' in .constable.yaml");

  EXPECT_EQ(rules.for_namespace("production"), "it is deployed to namespace 'production'");
  EXPECT_TRUE(rules.for_namespace("shop-prod"));
  EXPECT_TRUE(rules.for_namespace("prod-eu"));
  EXPECT_FALSE(rules.for_namespace("products"));
  EXPECT_FALSE(rules.for_namespace("staging"));
  EXPECT_EQ(rules.for_namespace("live"), "namespace 'live' is production in .constable.yaml");
  const auto labels = yaml::parse("{env: prod, tier: frontend}\n");
  EXPECT_EQ(rules.for_namespace("shop", labels.documents.at(0).root), "namespace 'shop' is labelled env=prod");
  const auto unrelated = yaml::parse("{tier: production}\n");
  EXPECT_FALSE(rules.for_namespace("shop", unrelated.documents.at(0).root));

  EXPECT_EQ(ProductionRules::values_environment("a/values-staging.yaml"), "staging");
  EXPECT_EQ(ProductionRules::values_environment("a/values.yaml"), "");
  EXPECT_EQ(ProductionRules::values_environment("a/my-values-prod.yaml"), "");
}

// latest is allowed only where the repository says the manifest is not
// production; what says neither is of unknown environment.
TEST(ProductionRulesTest, ExplicitlyNonProductionValuesFilesDirectoriesAndNamespaces) {
  engine::ProductionRules configured;
  configured.namespaces = {"dev-live"};
  const ProductionRules rules(configured);

  EXPECT_EQ(rules.non_production_for_path("charts/web/values-dev.yaml"), "'values-dev.yaml' is a dev values file");
  EXPECT_TRUE(rules.non_production_for_path("charts/web/values.staging.yaml"));
  EXPECT_EQ(rules.non_production_for_path("k8s/overlays/dev/kustomization.yaml"),
            "it is under the 'k8s/overlays/dev' directory");
  EXPECT_TRUE(rules.non_production_for_path("deploy/local/web.yaml"));
  EXPECT_FALSE(rules.non_production_for_path("charts/web/values.yaml"));
  EXPECT_FALSE(rules.non_production_for_path("k8s/base/web.yaml"));
  EXPECT_FALSE(rules.non_production_for_path("developers/web.yaml"));  // a word, not a prefix
  EXPECT_FALSE(rules.non_production_for_path("prod/dev/web.yaml"));    // production wins

  EXPECT_EQ(rules.non_production_for_namespace("shop-dev"), "it is deployed to namespace 'shop-dev'");
  EXPECT_TRUE(rules.non_production_for_namespace("staging"));
  EXPECT_TRUE(rules.non_production_for_namespace("qa-eu"));
  EXPECT_FALSE(rules.non_production_for_namespace("devices"));
  EXPECT_FALSE(rules.non_production_for_namespace("shop"));
  EXPECT_FALSE(rules.non_production_for_namespace("dev-live"));  // configured as production
}

}  // namespace
}  // namespace constable::kube
