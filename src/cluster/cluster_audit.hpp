#pragma once
// `constable audit --cluster`: the live objects of a cluster, read through
// the Kubernetes API, audited with the checks `constable check` runs on
// manifests and remembered in the audit store like repositories: each
// namespace is one, `cluster/<context>/<namespace>`, so due dates,
// remediation tracking, the report and the dashboard work unchanged.
// Optionally each namespace's results are also written back to the cluster
// as a PolicyReport or an OpenReports Report.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.hpp"
#include "cluster/kube_access.hpp"
#include "cluster/policy_report.hpp"

namespace constable::cluster {

struct ClusterAuditOptions {
  AccessOptions access;
  std::vector<std::string> namespaces;  // empty: every namespace
  std::string store = ".constable/audit.db";
  std::optional<std::filesystem::path> constitution;
  std::optional<std::filesystem::path> config;
  std::optional<ReportFlavour> reports;  // write them, of this flavour
  std::optional<Date> today;
  // Namespace labels naming the owning team, the first present wins.
  std::vector<std::string> team_labels{"team", "owner"};
};

app::Outcome audit(const ClusterAuditOptions& options);

}  // namespace constable::cluster
