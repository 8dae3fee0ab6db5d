#pragma once
// How a cluster audit reaches the Kubernetes API: the server, whom to trust
// and who to be, read from a kubeconfig (the current or a named context) or
// from the pod's service account when constable runs in the cluster. Only
// what the API server itself checks is supported (bearer tokens, client
// certificates); exec and auth-provider plugins run other programs and are
// refused with a message saying so.

#include <filesystem>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace constable::cluster {

struct KubeAccess {
  std::string name;    // the context's name, or "in-cluster"
  std::string server;  // https://host:port (http:// only for tests on loopback)
  std::string ca_pem;  // the CAs to trust; empty: the system's
  std::string client_certificate_pem, client_key_pem;
  std::string token;  // a bearer token; never printed
  bool verify_peer = true;
};

struct AccessOptions {
  std::optional<std::filesystem::path> kubeconfig;  // else $KUBECONFIG's first file, else in-cluster, else ~/.kube/config
  std::optional<std::string> context;               // else the kubeconfig's current-context
  bool allow_insecure = false;                      // honour insecure-skip-tls-verify
  // The service account's files (token, ca.crt) when in the cluster.
  std::filesystem::path service_account = "/var/run/secrets/kubernetes.io/serviceaccount";
};

Result<KubeAccess> from_kubeconfig(const std::filesystem::path& file, const AccessOptions& options);
// In a pod: KUBERNETES_SERVICE_HOST/PORT and the service account's files;
// nullopt when not in a pod.
std::optional<Result<KubeAccess>> in_cluster(const AccessOptions& options);
// --kubeconfig, $KUBECONFIG, in-cluster, ~/.kube/config: the first that applies.
Result<KubeAccess> discover(const AccessOptions& options);

}  // namespace constable::cluster
