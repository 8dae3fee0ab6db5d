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
  // RE2 over a Markdown heading's lower-cased words, anchored to say the
  // section is devoted to the topic ("Runbooks", "Database failover
  // runbook"), not that it mentions it ("See the runbook repository").
  std::string_view heading_pattern{};
  std::string_view expected_path{};  // where a missing document is reported
};

// A repository that deploys something (workspace::kDeploysFact: an image it
// ships, a Compose file, Kubernetes manifests, a Helm chart, Terraform; the
// checks' stack) must have a document on the topic: a Markdown,
// reStructuredText, AsciiDoc or text file whose path matches, or a Markdown
// section with a matching heading and a body. The constitution is never
// evidence: it asks for the document.
std::unique_ptr<engine::Check> make_operational_doc_check(const engine::CheckInfo& info, OperationalTopic topic);

}  // namespace constable::checks::docs
