#pragma once
// Security and compliance (domain "security"): what the repository's
// Kubernetes objects grant and expose (RBAC, service-account credentials,
// TLS versions) and the documents a security process needs (a disclosure
// policy).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::security {

std::unique_ptr<engine::Check> make_audit_log_integrity_check();
std::unique_ptr<engine::Check> make_audit_policy_check();
std::unique_ptr<engine::Check> make_audit_trail_check();
std::unique_ptr<engine::Check> make_data_access_audit_check();
std::unique_ptr<engine::Check> make_disclosure_policy_check();
std::unique_ptr<engine::Check> make_encryption_at_rest_check();
std::unique_ptr<engine::Check> make_image_retention_check();
std::unique_ptr<engine::Check> make_image_signature_verification_check();
std::unique_ptr<engine::Check> make_kubernetes_rbac_check();
std::unique_ptr<engine::Check> make_rbac_least_privilege_check();
std::unique_ptr<engine::Check> make_secret_manager_check();
std::unique_ptr<engine::Check> make_secret_rotation_check();
std::unique_ptr<engine::Check> make_service_account_tokens_check();
std::unique_ptr<engine::Check> make_service_mtls_check();
std::unique_ptr<engine::Check> make_tls_minimum_check();
std::unique_ptr<engine::Check> make_vulnerability_scanning_check();

// Every security check's factory, sorted by check id.
std::vector<engine::CheckFactory> security_checks();

}  // namespace constable::checks::security
