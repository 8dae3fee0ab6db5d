// The built-in catalog: each domain's module registers its checks in id
// order; domains are listed here in alphabetical order.

#include "checks/agents/agents_checks.hpp"
#include "checks/aiops/aiops_checks.hpp"
#include "checks/api/api_checks.hpp"
#include "checks/ci/ci_checks.hpp"
#include "checks/cost/cost_checks.hpp"
#include "checks/dapr/dapr_checks.hpp"
#include "checks/database/database_checks.hpp"
#include "checks/docker/docker_checks.hpp"
#include "checks/docs/docs_checks.hpp"
#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/git/git_checks.hpp"
#include "checks/gitops/gitops_checks.hpp"
#include "checks/helm/helm_checks.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/local/local_checks.hpp"
#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/observability/observability_checks.hpp"
#include "checks/scaling/scaling_checks.hpp"
#include "checks/secrets/secrets_checks.hpp"
#include "checks/security/security_checks.hpp"
#include "checks/spec/spec_checks.hpp"
#include "checks/testing/testing_checks.hpp"
#include "checks/workflow/workflow_checks.hpp"
#include "engine/catalog.hpp"

namespace constable::engine {

const Catalog& Catalog::builtin() {
  static const Catalog catalog = [] {
    std::vector<CheckFactory> factories;
    for (auto* domain : {&checks::agents::agents_checks, &checks::aiops::aiops_checks, &checks::api::api_checks, &checks::ci::ci_checks, &checks::cost::cost_checks, &checks::dapr::dapr_checks, &checks::database::database_checks,
                         &checks::docker::docker_checks,
                         &checks::docs::docs_checks, &checks::fastapi::fastapi_checks, &checks::git::git_checks, &checks::gitops::gitops_checks, &checks::helm::helm_checks,
                         &checks::kafka::kafka_checks, &checks::kubernetes::kubernetes_checks, &checks::local::local_checks,
                         &checks::nextjs::nextjs_checks, &checks::observability::observability_checks,
                         &checks::scaling::scaling_checks, &checks::secrets::secrets_checks, &checks::security::security_checks, &checks::spec::spec_checks,
                         &checks::testing::testing_checks, &checks::workflow::workflow_checks}) {
      const auto checks = domain();
      factories.insert(factories.end(), checks.begin(), checks.end());
    }
    return Catalog(std::move(factories));
  }();
  return catalog;
}

}  // namespace constable::engine
