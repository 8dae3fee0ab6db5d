#pragma once
// The four operational documents (runbooks, incident response, disaster
// recovery, capacity planning) are found the same way; each check names its
// topic and where a missing document should go.

#include <memory>
#include <string_view>

#include "engine/check.hpp"

namespace constable::checks::docs {

struct OperationalTopic {
  std::string_view name{};           // "runbooks", for messages
  std::string_view path_pattern{};   // RE2 over the lower-cased path
  std::string_view heading_pattern{};  // RE2 over lower-cased Markdown headings
  std::string_view expected_path{};  // where a missing document is reported
};

// A repository that deploys something (a Dockerfile, Kubernetes manifests,
// a Helm chart, Terraform) must have a document on the topic: a Markdown,
// reStructuredText, AsciiDoc or text file whose path matches, or a Markdown
// file with a matching heading.
std::unique_ptr<engine::Check> make_operational_doc_check(const engine::CheckInfo& info, OperationalTopic topic);

}  // namespace constable::checks::docs
