#pragma once
// One Markdown page per check, generated from its metadata (CheckInfo): the
// same text backs `constable explain`, docs/checks/ and SARIF help.

#include <string>

#include "engine/check.hpp"

namespace constable::app {

std::string check_page(const engine::CheckInfo& info);
std::string checks_index(const std::vector<const engine::CheckInfo*>& infos);
// "docker/non-root-user" -> "docker/non-root-user.md"
std::string check_page_path(const engine::CheckInfo& info);

}  // namespace constable::app
