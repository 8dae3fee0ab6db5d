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

  EXPECT_EQ(ProductionRules::values_environment("a/values-staging.yaml"), "staging");
  EXPECT_EQ(ProductionRules::values_environment("a/values.yaml"), "");
  EXPECT_EQ(ProductionRules::values_environment("a/my-values-prod.yaml"), "");
}

}  // namespace
}  // namespace constable::kube
