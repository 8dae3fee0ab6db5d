#pragma once
// The Dockerfile checks (domain "docker"), one per file, registered in id order.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::docker {

std::unique_ptr<engine::Check> make_approved_base_image_check();
std::unique_ptr<engine::Check> make_base_image_tag_check();
std::unique_ptr<engine::Check> make_healthcheck_check();
std::unique_ptr<engine::Check> make_minimal_final_image_check();
std::unique_ptr<engine::Check> make_multi_stage_build_check();
std::unique_ptr<engine::Check> make_no_secrets_in_build_args_check();
std::unique_ptr<engine::Check> make_no_secrets_in_env_check();
std::unique_ptr<engine::Check> make_non_root_user_check();

// Every docker check's factory, sorted by check id.
std::vector<engine::CheckFactory> docker_checks();

}  // namespace constable::checks::docker
