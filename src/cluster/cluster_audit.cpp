#include "cluster/cluster_audit.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/ranges.h>
#include <fmt/format.h>

#include "audit/recorder.hpp"
#include "cluster/kube_api.hpp"
#include "core/digest.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "serve/snapshot.hpp"
#include "store/store.hpp"

namespace constable::cluster {

namespace {

using nlohmann::json;

// What the checks should not see: the server's bookkeeping.
void strip(json& object) {
  object.erase("status");
  if (auto metadata = object.find("metadata"); metadata != object.end() && metadata->is_object()) {
    metadata->erase("managedFields");
    metadata->erase("resourceVersion");
    metadata->erase("generation");
    if (auto annotations = metadata->find("annotations"); annotations != metadata->end() && annotations->is_object())
      annotations->erase("kubectl.kubernetes.io/last-applied-configuration");  // the object again, as a string
  }
}

std::string text_of(const json& object, std::string_view key) {
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return {};
  const auto value = metadata->find(std::string(key));
  return value != metadata->end() && value->is_string() ? value->get<std::string>() : std::string();
}

// One namespace's objects, as the files of a workspace of their own.
struct NamespaceObjects {
  std::vector<serve::InMemoryFile> files;
  std::map<std::string, ObjectReference> references;  // by file path
  std::string team;
};

// A name safe as a path segment of the in-memory workspace.
std::string segment(std::string_view name) {
  std::string out;
  for (const char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.') ? c : '_';
  return out.empty() ? std::string("_") : out;
}

void add_object(NamespaceObjects& into, json object) {
  const std::string kind = object.value("kind", std::string("Object"));
  const std::string name = text_of(object, "name");
  const std::string path = fmt::format("{}/{}.yaml", segment(kind), segment(name));
  ObjectReference& reference = into.references[path];
  reference = {{"apiVersion", object.value("apiVersion", std::string())},
               {"kind", kind},
               {"name", name},
               {"uid", text_of(object, "uid")}};
  if (const std::string ns = text_of(object, "namespace"); !ns.empty()) reference["namespace"] = ns;  // not a Namespace's
  strip(object);
  into.files.push_back({path, object.dump(2)});  // JSON is YAML
}

// The first of `labels` the namespace carries, "" when none.
std::string team_of(const json& namespace_object, const std::vector<std::string>& labels) {
  const auto metadata = namespace_object.find("metadata");
  if (metadata == namespace_object.end() || !metadata->is_object()) return {};
  const auto present = metadata->find("labels");
  if (present == metadata->end() || !present->is_object()) return {};
  for (const std::string& label : labels)
    if (const auto value = present->find(label); value != present->end() && value->is_string())
      return value->get<std::string>();
  return {};
}

bool owned_by_a_controller(const json& object) {
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return false;
  const auto owners = metadata->find("ownerReferences");
  return owners != metadata->end() && owners->is_array() && !owners->empty();
}

}  // namespace

app::Outcome audit(const ClusterAuditOptions& options) {
  const auto usage = [](std::string message) {
    app::Outcome outcome;
    outcome.err = fmt::format("constable: {}\n", message);
    outcome.exit_code = app::kExitUsage;
    return outcome;
  };
  if (!options.constitution && !options.config)
    return usage("audit --cluster needs --constitution FILE (or --config with a constitution:)");
  auto access = discover(options.access);
  if (!access) return usage(access.error().to_string());
  const KubeApi api(*access);
  auto snapshot = serve::load_snapshot(
      serve::Sources{.config = options.config, .constitution = options.constitution, .select = {}, .ignore = {}});
  if (!snapshot) return usage(snapshot.error().to_string());
  const Date today = options.today.value_or(Date::today());

  // Every audited kind, cluster-wide (or per namespace given), grouped by namespace.
  std::map<std::string, NamespaceObjects> by_namespace;
  std::vector<std::string> unreadable;  // "deployments: 403 ..."
  const std::set<std::string> wanted(options.namespaces.begin(), options.namespaces.end());
  for (const Resource& resource : audited_resources()) {
    std::vector<std::string_view> scopes;
    if (wanted.empty() || !resource.namespaced) scopes.emplace_back();
    else scopes.assign(wanted.begin(), wanted.end());
    for (const std::string_view scope : scopes) {
      auto objects = api.list(resource, scope);
      if (!objects) {
        // A kind this cluster does not serve has no objects; any other failure leaves the namespaces unread.
        if (objects.error().status != 404) unreadable.push_back(objects.error().error.message);
        continue;
      }
      for (json& object : *objects) {
        if (resource.kind == std::string_view("Pod") && owned_by_a_controller(object)) continue;  // judged through its owner
        const std::string ns = resource.namespaced ? text_of(object, "namespace") : text_of(object, "name");
        if (ns.empty() || (!wanted.empty() && !wanted.contains(ns))) continue;
        NamespaceObjects& objects_of = by_namespace[ns];
        if (resource.kind == std::string_view("Namespace")) objects_of.team = team_of(object, options.team_labels);
        add_object(objects_of, std::move(object));
      }
    }
  }
  for (const std::string& ns : wanted) by_namespace.try_emplace(ns);
  // Kubernetes' own namespaces (the kube- prefix is reserved for them) and
  // those the configuration exempts from admission are not the fleet's to
  // fix, unless named.
  std::vector<std::string> skipped;
  if (wanted.empty()) {
    const auto& exempt = (*snapshot)->config().admission.exempt_namespaces;
    std::erase_if(by_namespace, [&](const auto& entry) {
      const bool skip = entry.first.starts_with("kube-") ||
                        std::find(exempt.begin(), exempt.end(), entry.first) != exempt.end();
      if (skip) skipped.push_back(entry.first);
      return skip;
    });
  }

  store::Run record;
  record.started_at = utc_timestamp_now();
  record.run_date = today;
  record.constable_version = app::version_string();
  record.constitution_path = (*snapshot)->session.constitution.path;
  record.constitution_version =
      (*snapshot)->session.constitution.version ? (*snapshot)->session.constitution.version->version : "";
  record.constitution_sha256 = (*snapshot)->constitution_sha256;
  auto opened = store::open_store(options.store);
  if (!opened) return usage(opened.error().to_string());
  store::Store& store = **opened;
  auto run_id = store.begin_run(record);
  if (!run_id) return usage(run_id.error().to_string());
  audit::Recorder recorder(store, *run_id, today);

  const std::string cluster_name = segment(access->name);
  const std::string seconds = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  std::vector<std::string> report_errors;
  for (auto& [ns, objects] : by_namespace) {
    store::RepositoryRun audited{.run = *run_id,
                                 .repository = fmt::format("cluster/{}/{}", cluster_name, ns),
                                 .team = objects.team,
                                 .source = fmt::format("{}/api/v1/namespaces/{}", access->server, ns),
                                 .commit = {},
                                 .error = {}};
    std::vector<engine::Finding> findings;
    if (!unreadable.empty()) {
      // Objects that could not be read are not fixed: nothing is judged on half the picture.
      audited.error = fmt::format("not every kind could be listed ({})", fmt::join(unreadable, "; "));
    } else {
      audited.files_checked = objects.files.size();
      auto run = serve::check_files(**snapshot, std::move(objects.files), today);
      if (!run) {
        audited.error = run.error().to_string();
      } else {
        const report::ClauseCoverage coverage = app::clause_coverage((*snapshot)->session, run->plan);
        audited.clauses = coverage.clauses;
        audited.clauses_enforced = coverage.enforced;
        audited.clauses_attested = coverage.attested;
        findings = std::move(run->result.findings);
      }
    }
    if (auto ok = recorder.record(audited, findings, audited.error.empty() ? &(*snapshot)->constitution() : nullptr,
                                  (*snapshot)->config().sprint_days);
        !ok)
      return usage(fmt::format("{} (run {} is left unfinished)", ok.error().to_string(), *run_id));
    if (options.reports && audited.error.empty()) {
      const json report = policy_report(*options.reports, ns, findings, objects.references, seconds);
      if (auto applied = api.apply(policy_report_path(*options.reports, ns), report); !applied)
        report_errors.push_back(fmt::format("{}: {}", ns, applied.error().error.message));
    }
  }
  if (auto ok = store.finish_run(*run_id); !ok) return usage(ok.error().to_string());

  app::Outcome outcome;
  outcome.out = recorder.summary(by_namespace.size(), "namespace", "namespaces",
                                 fmt::format(" (cluster {}, {})", access->name, access->server));
  if (!skipped.empty())
    outcome.out += fmt::format("  not audited, as Kubernetes' own or exempt (admission.exempt_namespaces): {}\n",
                               fmt::join(skipped, ", "));
  for (const auto& error : report_errors) outcome.out += fmt::format("  report not written: {}\n", error);
  outcome.exit_code = recorder.totals().errors.empty() && report_errors.empty() ? app::kExitClean : app::kExitViolations;
  return outcome;
}

}  // namespace constable::cluster
