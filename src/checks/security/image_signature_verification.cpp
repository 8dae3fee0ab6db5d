// security/image-signature-verification: "Image signatures MUST be verified
// before deployment". A repository that builds images and deploys them to
// Kubernetes verifies their signatures somewhere it declares: a `cosign
// verify` (or `notation verify`) in CI or a script, or an admission policy
// that refuses unsigned images (Kyverno verifyImages, Sigstore
// policy-controller's ClusterImagePolicy, Ratify).

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/ci/ci_support.hpp"
#include "checks/security/security_checks.hpp"

namespace constable::checks::security {

namespace {
namespace image_signature_verification_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/image-signature-verification",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Verify the signatures of the images you deploy to Kubernetes",
    .rationale =
        "A signature shows an image is the one the pipeline built; unless something checks it before the image "
        "runs, a pushed or swapped image runs just the same. Applies to repositories that deploy to Kubernetes "
        "(manifests or a Helm chart) and build and push container images in CI. Recognised: `cosign verify` or `cosign "
        "verify-attestation`, `notation verify` in a CI step, what it calls in the repository, or a shell script; "
        "sigstore's policy-controller ClusterImagePolicy, Kyverno's verifyImages rules or ImageValidatingPolicy, "
        "Ratify's Verifier, Connaisseur's configuration, in any YAML file or chart template of the repository. "
        "The finding points at the first image build of a job that also publishes (pushes) and starts no "
        "throwaway cluster (kind, minikube, k3d); a repository whose CI pushes no image is not asked.",
    .remediation =
        "Sign images in the pipeline (`cosign sign --yes registry.example.com/app@${DIGEST}`) and verify them "
        "where they are admitted: a Kyverno ClusterPolicy with a verifyImages rule for your registry, or a "
        "policy-controller ClusterImagePolicy; at least `cosign verify` the digest in the deploy job.",
    .bad_example = "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: docker build -t registry.example.com/app:${{ github.sha }} .\n",
    .good_example = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: verify-images}\nspec:\n"
                    "  rules:\n    - name: signed\n      match: {any: [{resources: {kinds: [Pod]}}]}\n"
                    "      verifyImages:\n        - imageReferences: [\"registry.example.com/*\"]\n",
    .parameters = "",
    .clause = {.section = "registry|docker|security", .text = "signatures? must be verified|verif\\w+ .*signature"},
    .file_kind = FileKind::other,
    .stack = "kubernetes",
    .scope = engine::Scope::repository,
};

// A command line that verifies a signature.
bool verifies(std::string_view script) {
  static const RE2 kVerify(R"((?m)^[^#\n]*\b(cosign\s+verify(-attestation)?|notation\s+verify)\b)");
  return RE2::PartialMatch(script, kVerify);
}

// An admission policy that verifies signatures.
bool verification_policy(std::string_view yaml_text) {
  static const RE2 kPolicy(
      R"((?m)^\s*(verifyImages\s*:|kind\s*:\s*["']?(ClusterImagePolicy|ImageValidatingPolicy|Verifier)\b))");
  static const RE2 kConnaisseur(R"((?m)^\s*validators\s*:)");
  return RE2::PartialMatch(yaml_text, kPolicy) ||
         (yaml_text.find("connaisseur") != std::string_view::npos && RE2::PartialMatch(yaml_text, kConnaisseur));
}

bool ships(const constable::ci::Job& job) {
  const ci::Activities activities = ci::classify(job);
  return activities.test(ci::bit(ci::Activity::publish)) && !activities.test(ci::bit(ci::Activity::local_cluster));
}

class ImageSignatureVerificationCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const ci::Pipeline& pipeline = ci::load_pipeline(repo);
    std::string build_path, build_what;
    int build_line = 0;
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs)
        for (const auto& step : job.steps) {
          if (verifies(step.run)) return;
          for (const auto& called : step.expansion)
            if (verifies(called.run)) return;
          // Only an image the job pushes can be deployed; one built for a test
          // or a throwaway cluster (kind, minikube) runs nowhere else.
          if (build_path.empty() && ships(job) && ci::classify(step, job).test(ci::bit(ci::Activity::image_build))) {
            build_path = workflow.path;
            build_line = step.line;
            build_what = ci::evidence(step, ci::Activity::image_build);
          }
        }
    // Only a repository whose pipeline builds images is asked.
    if (build_path.empty()) return;
    for (const auto& file : repo.workspace().files) {
      const bool script = file.path.ends_with(".sh") || file.path.ends_with(".bash") ||
                          file.path.ends_with("Makefile") || file.path.ends_with(".mk");
      const bool manifest = file.kind == FileKind::yaml || file.kind == FileKind::helm_template;
      if (!script && !manifest) continue;
      const std::string* text = repo.text(file);
      if (text == nullptr) continue;
      if (script ? verifies(*text) : verification_policy(*text)) return;
    }
    out.report_at(build_path, build_line,
                  fmt::format("the images built here{} are deployed to Kubernetes, but nothing verifies their "
                              "signatures before they run (no cosign or notation verify in CI or scripts, no "
                              "Kyverno verifyImages or Sigstore ClusterImagePolicy)",
                              build_what.empty() ? "" : fmt::format(" ({})", build_what)));
  }
};

}  // namespace image_signature_verification_check
}  // namespace

std::unique_ptr<engine::Check> make_image_signature_verification_check() {
  return engine::make_check<image_signature_verification_check::ImageSignatureVerificationCheck>();
}

}  // namespace constable::checks::security
