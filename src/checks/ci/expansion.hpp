#pragma once
// Following what CI steps call inside the repository, so that a step is
// judged by what it runs: a local composite action (`uses:
// ./.github/actions/setup`) by its steps, `make test` by the recipes of the
// target and its prerequisites, `./scripts/test.sh` by its lines, `npm test`
// by the package.json script, and a job that calls a local reusable workflow
// (`uses: ./.github/workflows/test.yml`) by that workflow's jobs.
//
// Bounded: a few levels deep, each target, script or action once per step,
// a cap on the command lines read for one step; paths that need the shell
// to expand them ($VAR, globs) or leave the repository are not followed.

#include <vector>

#include "engine/check.hpp"
#include "formats/ci/pipeline.hpp"

namespace constable::checks::ci {

// Fills Step::expansion (only what the recognition table knows, and the
// steps of local actions) and Job::called for every workflow of the repository.
void expand_pipeline(const engine::RepositoryContext& repo, std::vector<constable::ci::Workflow>& workflows);

}  // namespace constable::checks::ci
