// `.yaml` files that are not YAML: what they look like, said instead of the
// parser's "could not find expected ':'". Each case is a file that YAML
// rejects, as found in real repositories.

#include "formats/yaml/lookalike.hpp"

#include <gtest/gtest.h>

#include "formats/yaml/yaml.hpp"

namespace constable::yaml {
namespace {

// The diagnosis is only asked for text the parser rejected: every case here
// must be rejected, or the test says nothing about real runs.
std::optional<Lookalike> diagnose(std::string_view text) {
  EXPECT_FALSE(parse(text).ok()) << "YAML accepts this text; the case needs a parse error:\n" << text;
  return lookalike(text);
}

// A README pasted into deploy.yaml: a title, prose, a shell command in
// backticks, a list.
TEST(YamlLookalike, ReadmeNamedYamlIsMarkdown) {
  const auto found = diagnose(
      "# Payments API deployment\n\n"
      "This directory deploys the payments API to the staging cluster.\n\n"
      "## Usage\n\n"
      "Run `kubectl apply -f deploy.yaml` and wait: the pods come up in a minute.\n\n"
      "- staging: https://staging.example.com\n"
      "- production: ask the platform team\n");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->line, 1);
  EXPECT_NE(found->message.find("looks like Markdown, not YAML"), std::string::npos) << found->message;
  EXPECT_NE(found->message.find("a heading at line 1"), std::string::npos) << found->message;
}

// Release notes kept as docs/release.yml: no title, but bullets with bold
// text and links, which YAML reads as aliases and flow sequences.
TEST(YamlLookalike, MarkdownListsWithLinksAreMarkdown) {
  const auto found = diagnose(
      "Release notes for 2.4\n\n"
      "* **Breaking**: the `/v1/orders` endpoint is gone, see [the migration guide](docs/migrate.md)\n"
      "* Faster cold starts\n");
  ASSERT_TRUE(found.has_value());
  EXPECT_NE(found->message.find("Markdown"), std::string::npos) << found->message;
  EXPECT_EQ(found->line, 1);
}

// A chart's ConfigMap kept outside templates/ (deploy/configmap.yaml): Helm
// actions, unquoted.
TEST(YamlLookalike, HelmTemplateOutsideTemplatesIsAGoTemplate) {
  const auto found = diagnose(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"app.fullname\" . }}\n"
      "{{- if .Values.config }}\ndata:\n  {{- toYaml .Values.config | nindent 2 }}\n{{- end }}\n");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->line, 4);
  EXPECT_NE(found->message.find("looks like a Go template (has `{{ ... }}` at line 4)"), std::string::npos)
      << found->message;
  EXPECT_NE(found->message.find("only inside a chart's templates/ directory"), std::string::npos) << found->message;
}

// An Ansible-style file with a bare Jinja expression: a template, not said to be Go.
TEST(YamlLookalike, OtherTemplatesAreTemplates) {
  const auto found = diagnose("- hosts: web\n  vars:\n    port: 8080\n  tasks:\n    - debug: msg={{ greeting }} x: y\n");
  ASSERT_TRUE(found.has_value());
  EXPECT_NE(found->message.find("looks like a template"), std::string::npos) << found->message;
  EXPECT_EQ(found->message.find("Go template"), std::string::npos) << found->message;
}

// YAML gone wrong keeps the parser's message: a Deployment with an
// indentation slip, headed by a title comment.
TEST(YamlLookalike, BrokenKubernetesManifestIsYaml) {
  EXPECT_FALSE(diagnose("# Payments API\n# Deployed by Argo CD from this directory.\napiVersion: apps/v1\n"
                        "kind: Deployment\nmetadata:\n  name: payments\n spec:\n  replicas: 2\n")
                   .has_value());
}

// A GitHub issue form whose values are Markdown, broken by a tab: the
// Markdown is YAML's data, not the file's nature.
TEST(YamlLookalike, MarkdownInsideBlockScalarsIsData) {
  EXPECT_FALSE(diagnose("name: Bug report\ndescription: File a bug\nbody:\n  - type: markdown\n    attributes:\n"
                        "      value: |\n        # Thanks for reporting!\n\n        Please read [the guide](CONTRIBUTING.md)"
                        " before you file.\n        * one **bold** point\n  - type: input\n\tid: version\n")
                   .has_value());
}

// Helm values with quoted `tpl` strings and a syntax error elsewhere: quoted
// actions are strings YAML reads well, not a template.
TEST(YamlLookalike, QuotedTemplateStringsInValuesAreYaml) {
  EXPECT_FALSE(diagnose("fullnameOverride: \"{{ .Release.Name }}-api\"\nimage:\n  repository: nginx\n  tag: [1.27\n")
                   .has_value());
}

}  // namespace
}  // namespace constable::yaml
