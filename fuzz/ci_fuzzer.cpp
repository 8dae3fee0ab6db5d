// CI workflows: the same text read as a GitHub Actions workflow and as a
// GitLab CI file, then the job order (needs, stages) and job lookups.

#include <cstddef>
#include <cstdint>

#include "formats/ci/pipeline.hpp"
#include "formats/yaml/yaml.hpp"
#include "fuzz_support.hpp"

using namespace constable;

namespace {

void use(const ci::Workflow& workflow) {
  (void)workflow.runs_after();
  for (const auto& job : workflow.jobs) {
    (void)workflow.job(job.id);
    for (const auto& need : job.needs) (void)workflow.job(need);
    for (const auto& step : job.steps) (void)step.input("path");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  const auto stream = yaml::parse(text);
  use(ci::parse_github_workflow(".github/workflows/ci.yml", stream));
  use(ci::parse_gitlab_ci(".gitlab-ci.yml", stream));
  (void)ci::parse_duration_minutes(text.substr(0, 32));
  return 0;
}
