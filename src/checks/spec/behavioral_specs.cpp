// spec/behavioral-specs: event schemas and state machine definitions exist,
// each parsed enough to be sure it is one.

#include <fmt/format.h>
#include <re2/re2.h>

#include <nlohmann/json.hpp>

#include "checks/spec/spec_checks.hpp"
#include "checks/spec/spec_support.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::checks::spec {

namespace {
namespace behavioral_specs_check {

constexpr engine::CheckInfo kInfo{
    .id = "spec/behavioral-specs",
    .domain = "spec",
    .nature = Nature::documentation,
    .summary = "Specify behaviour with event schemas and state machine definitions",
    .rationale =
        "Events and state transitions are behaviour that code alone hides. Event schemas: AsyncAPI documents "
        "(a top-level `asyncapi:` key and channels), Avro schemas (*.avsc: JSON of type record with a fields "
        "array), Protobuf (*.proto: a syntax line and at least one message) and CloudEvents JSON Schemas "
        "(properties specversion, id, source, type). State machines: Mermaid stateDiagram / stateDiagram-v2 "
        "(Markdown blocks or *.mmd), SCXML (*.scxml with an <scxml> root and states) and XState definitions "
        "(createMachine( in JavaScript/TypeScript). A file with a schema's extension that is not one is reported "
        "where it breaks.",
    .remediation = "Add the event schemas (events/order-created.avsc, an AsyncAPI document) and state machine "
                   "definitions (a Mermaid stateDiagram-v2 in docs/, an XState machine) the system implements.",
    .bad_example = "// events/order.avsc\n{\"type\": \"record\", \"name\": \"OrderCreated\"}\n",
    .good_example = "// events/order.avsc\n{\"type\": \"record\", \"name\": \"OrderCreated\",\n \"fields\": [{\"name\": "
                    "\"id\", \"type\": \"string\"}]}\n",
    .parameters = "which kinds the clause requires (event schemas, state machine definitions)",
    .clause = {.section = "mandatory specification|specification components", .text = "behaviou?ral specification"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

struct Found {
  int events = 0;
  int machines = 0;
};

// Line of a byte offset.
int line_at(std::string_view content, std::size_t offset) {
  return 1 + static_cast<int>(std::count(content.begin(), content.begin() + static_cast<long>(offset), '\n'));
}

class BehavioralSpecsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    events_ = text::icontains(clause.text, "event");
    machines_ = text::icontains(clause.text, "state machine");
    if (!events_ && !machines_) return fail("the clause names neither event schemas nor state machines");
    return {};
  }

  std::string bound_parameters() const override {
    return fmt::format("requires:{}{}", events_ ? " event schemas" : "", machines_ ? " state machines" : "");
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    Found found;
    for (const auto& file : repo.workspace().files) {
      if (lower_basename(file.path).find("constitution") != std::string::npos) continue;
      const std::string ext = lower_extension(file.path);
      const bool relevant = ext == "avsc" || ext == "proto" || ext == "scxml" || ext == "md" || ext == "mmd" ||
                            ext == "json" || ext == "yaml" || ext == "yml" || ext == "ts" || ext == "js" ||
                            ext == "tsx" || ext == "jsx" || ext == "mjs";
      if (!relevant) continue;
      const std::string* content = read(repo, file);
      if (content == nullptr) continue;
      inspect(file.path, ext, *content, found, out);
    }
    if (events_ && found.events == 0)
      out.emit(missing("no event schemas: looked for AsyncAPI documents, Avro *.avsc, Protobuf *.proto with messages "
                       "and CloudEvents JSON Schemas"));
    if (machines_ && found.machines == 0)
      out.emit(missing("no state machine definitions: looked for Mermaid stateDiagram blocks (Markdown, *.mmd), "
                       "SCXML *.scxml and XState createMachine( definitions"));
  }

 private:
  static void inspect(const std::string& path, const std::string& ext, const std::string& content, Found& found,
                      engine::Emitter& out) {
    if (ext == "avsc") return avro(path, content, found, out);
    if (ext == "proto") return protobuf(path, content, found, out);
    if (ext == "scxml") return scxml(path, content, found, out);
    if (ext == "md" || ext == "mmd") {
      static const RE2 state_diagram(R"((?m)^\s*stateDiagram(?:-v2)?\s*$)");
      if (text::contains(content, "stateDiagram") && RE2::PartialMatch(content, state_diagram))
        ++found.machines;
      return;
    }
    if (ext == "json" || ext == "yaml" || ext == "yml") return structured(content, found);
    static const RE2 xstate(R"(\bcreateMachine\s*\(\s*\{)");
    static const RE2 xstate_states(R"(\bstates\s*:\s*\{)");
    if (text::contains(content, "createMachine") && RE2::PartialMatch(content, xstate) &&
        RE2::PartialMatch(content, xstate_states))
      ++found.machines;
  }

  static void avro(const std::string& path, const std::string& content, Found& found, engine::Emitter& out) {
    const auto json = nlohmann::json::parse(content, nullptr, false);
    if (json.is_discarded()) {
      out.emit(at(path, 1, 0, "the Avro schema is not valid JSON"));
      return;
    }
    // A file may hold one schema or a union (array) of named schemas.
    const auto is_record = [](const nlohmann::json& j) {
      return j.is_object() && j.value("type", "") == "record" && j.contains("name") && j.contains("fields") &&
             j["fields"].is_array();
    };
    bool ok = is_record(json);
    if (json.is_array())
      for (const auto& item : json) ok = ok || is_record(item);
    if (!ok) {
      out.emit(at(path, 1, 0, "the Avro schema has no record with a name and a fields array"));
      return;
    }
    ++found.events;
  }

  static void protobuf(const std::string& path, const std::string& content, Found& found, engine::Emitter& out) {
    static const RE2 syntax(R"((?m)^\s*(?:syntax|edition)\s*=\s*"[^"]+"\s*;)");
    static const RE2 message(R"((?m)^\s*message\s+[A-Za-z_]\w*\s*\{)");
    if (!RE2::PartialMatch(content, syntax)) {
      out.emit(at(path, 1, 0, "the Protobuf file has no syntax (or edition) line"));
      return;
    }
    if (!RE2::PartialMatch(content, message)) {
      re2::StringPiece line;
      static const RE2 syntax_line(R"((?m)^(\s*(?:syntax|edition)\s*=))");
      RE2::PartialMatch(content, syntax_line, &line);
      out.emit(at(path, line_at(content, static_cast<std::size_t>(line.data() - content.data())), 0,
                  "the Protobuf file declares no message"));
      return;
    }
    ++found.events;
  }

  static void scxml(const std::string& path, const std::string& content, Found& found, engine::Emitter& out) {
    static const RE2 root(R"(<scxml\b)");
    static const RE2 state(R"(<(?:state|parallel|final)\b)");
    std::string_view view(content);
    if (!RE2::PartialMatch(view, root)) {
      out.emit(at(path, 1, 0, "the SCXML file has no <scxml> root element"));
      return;
    }
    if (!RE2::PartialMatch(view, state)) {
      const auto offset = content.find("<scxml");
      out.emit(at(path, line_at(content, offset), 0, "the SCXML state machine declares no state"));
      return;
    }
    ++found.machines;
  }

  static void structured(const std::string& content, Found& found) {
    static const text::Literals kKeys{"asyncapi", "specversion"};
    if (!kKeys.any_in(content)) return;
    const yaml::Stream stream = yaml::parse(content);
    if (!stream.ok() || stream.documents.empty()) return;
    const yaml::Node* root = stream.documents.front().root;
    if (root == nullptr || !root->is_mapping()) return;
    if (root->get("asyncapi") != nullptr && (root->get("channels") != nullptr || root->get("operations") != nullptr)) {
      ++found.events;
      return;
    }
    // A CloudEvents JSON Schema names the envelope's required attributes as properties.
    const yaml::Node* properties = root->get("properties");
    if (properties == nullptr || !properties->is_mapping()) return;
    for (auto attribute : {"specversion", "id", "source", "type"})
      if (properties->get(attribute) == nullptr) return;
    ++found.events;
  }

  bool events_ = true;
  bool machines_ = true;
};

}  // namespace behavioral_specs_check
}  // namespace

std::unique_ptr<engine::Check> make_behavioral_specs_check() {
  return engine::make_check<behavioral_specs_check::BehavioralSpecsCheck>();
}

}  // namespace constable::checks::spec
