#pragma once
// A namespace's results as a PolicyReport (wgpolicyk8s.io/v1alpha2, which
// Policy Reporter and other UIs read) or an OpenReports Report
// (openreports.io/v1alpha1, its successor with the same fields). Reports
// stay small, since they live in etcd: the summary counts every result, the
// results list keeps the most severe ones up to a cap, and a property says
// how many were left out.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/finding.hpp"

namespace constable::cluster {

enum class ReportFlavour : std::uint8_t { wgpolicyk8s, openreports };

inline constexpr std::size_t kMaxReportResults = 200;

// The object a finding is about: apiVersion, kind, name, namespace, uid.
using ObjectReference = nlohmann::json;

// `findings` of namespace `namespace_`, each tied to its object by its path
// (`objects`: path -> reference). Suppressed findings are left out; a
// finding in a transition period is a warn, the others fail.
nlohmann::json policy_report(ReportFlavour flavour, std::string_view namespace_,
                             const std::vector<engine::Finding>& findings,
                             const std::map<std::string, ObjectReference>& objects, std::string_view timestamp_seconds,
                             std::size_t max_results = kMaxReportResults);

// Where a namespace's report is applied.
std::string policy_report_path(ReportFlavour flavour, std::string_view namespace_);

}  // namespace constable::cluster
