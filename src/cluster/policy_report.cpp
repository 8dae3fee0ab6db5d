#include "cluster/policy_report.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace constable::cluster {

namespace {

constexpr std::string_view kReportName = "constable";

// The clause's two innermost sections ("Kubernetes Standards > Resource
// Definitions"): what UIs group results by, without the document's outline.
std::string category_of(std::string_view section) {
  std::size_t cut = section.rfind(" > ");
  if (cut != std::string_view::npos) cut = section.rfind(" > ", cut == 0 ? 0 : cut - 1);
  return std::string(cut == std::string_view::npos ? section : section.substr(cut + 3));
}

}  // namespace

std::string policy_report_path(ReportFlavour flavour, std::string_view namespace_) {
  return flavour == ReportFlavour::wgpolicyk8s
             ? fmt::format("/apis/wgpolicyk8s.io/v1alpha2/namespaces/{}/policyreports/{}", namespace_, kReportName)
             : fmt::format("/apis/openreports.io/v1alpha1/namespaces/{}/reports/{}", namespace_, kReportName);
}

nlohmann::json policy_report(ReportFlavour flavour, std::string_view namespace_,
                             const std::vector<engine::Finding>& findings,
                             const std::map<std::string, ObjectReference>& objects, std::string_view timestamp_seconds,
                             std::size_t max_results) {
  std::vector<const engine::Finding*> shown;
  for (const auto& f : findings)
    if (!f.suppressed()) shown.push_back(&f);
  // Most severe first; then as the report orders findings.
  std::stable_sort(shown.begin(), shown.end(), [](const engine::Finding* a, const engine::Finding* b) {
    return static_cast<int>(a->severity) < static_cast<int>(b->severity);
  });
  std::int64_t seconds = 0;
  std::from_chars(timestamp_seconds.data(), timestamp_seconds.data() + timestamp_seconds.size(), seconds);

  nlohmann::json summary = {{"pass", 0}, {"fail", 0}, {"warn", 0}, {"error", 0}, {"skip", 0}};
  nlohmann::json results = nlohmann::json::array();
  for (const engine::Finding* f : shown) {
    const char* result = f->in_transition() ? "warn" : "fail";
    summary[result] = summary[result].get<int>() + 1;
    if (results.size() >= max_results) continue;
    nlohmann::json entry = {
        {"source", "constable"},
        {"policy", f->check_id},
        {"rule", f->clause_id.empty() ? f->check_id : f->clause_id},
        {"result", result},
        {"severity", std::string(to_string(f->severity))},
        {"message", f->message},
        {"scored", true},
        {"timestamp", {{"seconds", seconds}, {"nanos", 0}}},
        {"properties", {{"clause", f->clause_id}, {"due", f->due.to_string()}}},
    };
    if (!f->clause_section.empty()) entry["category"] = category_of(f->clause_section);
    if (f->transition) entry["properties"]["warning_until"] = f->transition->until.to_string();
    if (const auto object = objects.find(f->path); object != objects.end())
      entry["resources"] = nlohmann::json::array({object->second});
    results.push_back(std::move(entry));
  }
  const std::size_t total = shown.size();
  nlohmann::json report = {
      {"apiVersion", flavour == ReportFlavour::wgpolicyk8s ? "wgpolicyk8s.io/v1alpha2" : "openreports.io/v1alpha1"},
      {"kind", flavour == ReportFlavour::wgpolicyk8s ? "PolicyReport" : "Report"},
      {"metadata",
       {{"name", kReportName},
        {"namespace", namespace_},
        {"labels", {{"app.kubernetes.io/managed-by", "constable"}}},
        {"annotations",
         {{"constable.dev/results-left-out", std::to_string(total > max_results ? total - max_results : 0)}}}}},
      {"summary", summary},
      {"results", results},
  };
  return report;
}

}  // namespace constable::cluster
