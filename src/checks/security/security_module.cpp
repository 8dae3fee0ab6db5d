#include "checks/security/security_checks.hpp"

namespace constable::checks::security {

std::vector<engine::CheckFactory> security_checks() {
  // Sorted by check id.
  return {
      &make_audit_log_integrity_check,           // security/audit-log-integrity
      &make_audit_policy_check,                  // security/audit-policy
      &make_audit_trail_check,                   // security/audit-trail
      &make_data_access_audit_check,             // security/data-access-audit
      &make_disclosure_policy_check,             // security/disclosure-policy
      &make_encryption_at_rest_check,            // security/encryption-at-rest
      &make_image_retention_check,               // security/image-retention
      &make_image_signature_verification_check,  // security/image-signature-verification
      &make_kubernetes_rbac_check,               // security/kubernetes-rbac
      &make_rbac_least_privilege_check,          // security/rbac-least-privilege
      &make_secret_manager_check,                // security/secret-manager
      &make_secret_rotation_check,               // security/secret-rotation
      &make_service_account_tokens_check,        // security/service-account-tokens
      &make_service_mtls_check,                  // security/service-mtls
      &make_tls_minimum_check,                   // security/tls-minimum
      &make_vulnerability_scanning_check,        // security/vulnerability-scanning
  };
}

}  // namespace constable::checks::security
