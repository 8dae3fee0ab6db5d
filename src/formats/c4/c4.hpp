#pragma once
// C4 model diagrams in the notations teams write them in, and the level each
// one shows:
//
// - Structurizr DSL (`workspace { model {...} views {...} }`): a
//   systemLandscape/systemContext view is Context, container Container,
//   component Component, image Code (Structurizr's image views hold the
//   code-level pictures).
// - PlantUML with the C4-PlantUML library (`!include ...C4_Context.puml`):
//   the most detailed element macro used decides (Component( > Container( >
//   Person(/System(); a diagram with `class`/`interface` declarations and no
//   C4 include is a class diagram: Code.
// - Mermaid (`.mmd` files, ```mermaid fences in Markdown): C4Context,
//   C4Container, C4Component; classDiagram is Code. C4Dynamic and
//   C4Deployment are C4 diagrams of no static level.
//
// A class diagram is only evidence of the Code level where it documents the
// architecture: in a file that also holds a C4 diagram, or in a file whose
// path names architecture (architecture/, arch/, c4/, adr/, design/). Class
// diagrams elsewhere (a tutorial, a library's README) are not counted.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace constable::c4 {

enum class Level : std::uint8_t { context, container, component, code, supplementary };
std::string_view to_string(Level level);  // "Context", "Container", ...

enum class Notation : std::uint8_t { structurizr, plantuml, mermaid };
std::string_view to_string(Notation notation);

struct Diagram {
  Level level = Level::context;
  Notation notation = Notation::mermaid;
  int line = 0;      // 1-based, where the diagram (or view) starts
  std::string kind;  // "systemContext", "C4Container", "C4_Component.puml", "classDiagram", ...
};

// Every diagram in one file, decided by its name and content; empty when the
// file holds none. Never fails: unrecognised text is no diagram.
std::vector<Diagram> detect(std::string_view path, std::string_view text);

// Whether a path names architecture documentation (see above).
bool is_architecture_path(std::string_view path);

}  // namespace constable::c4
