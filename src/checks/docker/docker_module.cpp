#include "checks/docker/docker_checks.hpp"

namespace constable::checks::docker {

std::vector<engine::CheckFactory> docker_checks() {
  // Sorted by check id.
  return {
      &make_approved_base_image_check,       // docker/approved-base-image
      &make_base_image_tag_check,            // docker/base-image-tag
      &make_healthcheck_check,               // docker/healthcheck
      &make_minimal_final_image_check,       // docker/minimal-final-image
      &make_multi_stage_build_check,         // docker/multi-stage-build
      &make_no_secrets_in_build_args_check,  // docker/no-secrets-in-build-args
      &make_no_secrets_in_env_check,         // docker/no-secrets-in-env
      &make_non_root_user_check,             // docker/non-root-user
  };
}

}  // namespace constable::checks::docker
