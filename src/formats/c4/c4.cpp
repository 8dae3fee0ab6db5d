#include "formats/c4/c4.hpp"

#include <algorithm>
#include <optional>

#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::c4 {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::context: return "Context";
    case Level::container: return "Container";
    case Level::component: return "Component";
    case Level::code: return "Code";
    case Level::supplementary: return "supplementary";
  }
  return "?";
}

std::string_view to_string(Notation notation) {
  switch (notation) {
    case Notation::structurizr: return "Structurizr DSL";
    case Notation::plantuml: return "C4-PlantUML";
    case Notation::mermaid: return "Mermaid";
  }
  return "?";
}

namespace {

std::string lower_extension(std::string_view path) {
  const auto slash = path.rfind('/');
  const auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string() : text::to_lower(name.substr(dot + 1));
}

// The first word of a line: letters, digits, '_' and '-'.
std::string_view first_word(std::string_view trimmed) {
  std::size_t n = 0;
  while (n < trimmed.size() && (std::isalnum(static_cast<unsigned char>(trimmed[n])) != 0 || trimmed[n] == '_'))
    ++n;
  return trimmed.substr(0, n);
}

bool starts_with_call(std::string_view trimmed, std::string_view macro) {
  if (!trimmed.starts_with(macro)) return false;
  const std::string_view rest = text::trim(trimmed.substr(macro.size()));
  return rest.starts_with('(');
}

// A Mermaid diagram: its type is the first word of the first line that is
// not blank, a %% comment or front matter.
std::optional<Diagram> mermaid(const std::vector<std::string_view>& lines, std::size_t begin, std::size_t end) {
  bool in_front_matter = false;
  for (std::size_t i = begin; i < end; ++i) {
    const std::string_view t = text::trim(lines[i]);
    if (t == "---") { in_front_matter = !in_front_matter; continue; }
    if (in_front_matter || t.empty() || t.starts_with("%%")) continue;
    const std::string_view word = first_word(t);
    const int line = static_cast<int>(i) + 1;
    if (word == "C4Context") return Diagram{Level::context, Notation::mermaid, line, "C4Context"};
    if (word == "C4Container") return Diagram{Level::container, Notation::mermaid, line, "C4Container"};
    if (word == "C4Component") return Diagram{Level::component, Notation::mermaid, line, "C4Component"};
    if (word == "C4Dynamic" || word == "C4Deployment")
      return Diagram{Level::supplementary, Notation::mermaid, line, std::string(word)};
    if (word == "classDiagram" || word == "classDiagram-v2")
      return Diagram{Level::code, Notation::mermaid, line, "classDiagram"};
    return std::nullopt;
  }
  return std::nullopt;
}

// A PlantUML diagram (@startuml ... @enduml, or a fenced block's lines).
std::optional<Diagram> plantuml(const std::vector<std::string_view>& lines, std::size_t begin, std::size_t end) {
  bool c4 = false;
  int start = static_cast<int>(begin) + 1;
  int rank = -1;  // 0 context, 1 container, 2 component
  bool classes = false;
  for (std::size_t i = begin; i < end; ++i) {
    const std::string_view t = text::trim(lines[i]);
    if (t.starts_with("@startuml")) start = static_cast<int>(i) + 1;
    if (t.starts_with("'")) continue;  // a comment
    if (t.starts_with("!include")) {
      if (t.find("C4_") != std::string_view::npos || t.find("C4-PlantUML") != std::string_view::npos) c4 = true;
      continue;
    }
    for (auto m : {"Component", "ComponentDb", "ComponentQueue", "Component_Ext"})
      if (starts_with_call(t, m)) rank = std::max(rank, 2);
    for (auto m : {"Container", "ContainerDb", "ContainerQueue", "Container_Ext", "Container_Boundary"})
      if (starts_with_call(t, m)) rank = std::max(rank, 1);
    for (auto m : {"Person", "Person_Ext", "System", "System_Ext", "SystemDb", "System_Boundary", "Enterprise_Boundary"})
      if (starts_with_call(t, m)) rank = std::max(rank, 0);
    const std::string_view word = first_word(t);
    if ((word == "class" || word == "interface" || word == "abstract" || word == "enum") && t.size() > word.size() + 1)
      classes = true;
  }
  if (c4 && rank >= 0) {
    static constexpr Level kLevels[] = {Level::context, Level::container, Level::component};
    static constexpr std::string_view kNames[] = {"C4_Context", "C4_Container", "C4_Component"};
    return Diagram{kLevels[rank], Notation::plantuml, start, std::string(kNames[rank])};
  }
  if (!c4 && classes) return Diagram{Level::code, Notation::plantuml, start, "class diagram"};
  return std::nullopt;
}

// Structurizr DSL: the views inside `views { ... }` of a `workspace`.
std::vector<Diagram> structurizr(const std::vector<std::string_view>& lines) {
  std::vector<Diagram> out;
  int depth = 0;
  int views_depth = -1;  // depth inside the views block, -1 outside
  bool workspace = false;
  bool block_comment = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = text::trim(lines[i]);
    if (block_comment) {
      if (const auto close = t.find("*/"); close != std::string_view::npos) {
        block_comment = false;
        t = text::trim(t.substr(close + 2));
      } else {
        continue;
      }
    }
    if (t.starts_with("/*")) { block_comment = t.find("*/") == std::string_view::npos; continue; }
    if (t.starts_with("//") || t.starts_with("#") || t.empty()) continue;
    const std::string_view word = first_word(t);
    if (depth == 0 && word == "workspace") workspace = true;
    if (workspace && depth == 1 && word == "views") views_depth = 2;
    if (views_depth >= 0 && depth == views_depth) {
      const int line = static_cast<int>(i) + 1;
      if (word == "systemContext" || word == "systemLandscape")
        out.push_back({Level::context, Notation::structurizr, line, std::string(word)});
      else if (word == "container") out.push_back({Level::container, Notation::structurizr, line, "container"});
      else if (word == "component") out.push_back({Level::component, Notation::structurizr, line, "component"});
      else if (word == "image") out.push_back({Level::code, Notation::structurizr, line, "image"});
      else if (word == "dynamic" || word == "deployment")
        out.push_back({Level::supplementary, Notation::structurizr, line, std::string(word)});
    }
    // Braces outside strings.
    bool quoted = false;
    for (char c : t) {
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '{') ++depth;
      if (c == '}') {
        depth = std::max(0, depth - 1);
        if (views_depth >= 0 && depth < views_depth) views_depth = -1;
      }
    }
  }
  return out;
}

}  // namespace

bool is_architecture_path(std::string_view path) {
  const std::string lower = "/" + text::to_lower(path);
  for (auto part : {"/architecture", "/arch/", "/c4/", "/c4-", "/adr/", "/adrs/", "/design/"})
    if (lower.find(part) != std::string::npos) return true;
  return false;
}

std::vector<Diagram> detect(std::string_view path, std::string_view content) {
  const std::string ext = lower_extension(path);
  // A Markdown document holds a diagram only in a block fenced as mermaid,
  // plantuml or puml: most hold none, and are not split into lines for it.
  static const text::Literals kFenceLanguages{{"mermaid", "plantuml", "puml"}, text::Literals::Case::insensitive};
  if ((ext == "md" || ext == "markdown" || ext == "mdx") && !kFenceLanguages.any_in(content)) return {};
  const std::vector<std::string_view> lines = text::split_lines(text::strip_bom(content));
  std::vector<Diagram> out;
  if (ext == "dsl") {
    out = structurizr(lines);
  } else if (ext == "mmd" || ext == "mermaid") {
    if (auto d = mermaid(lines, 0, lines.size())) out.push_back(*d);
  } else if (ext == "puml" || ext == "plantuml" || ext == "pu" || ext == "iuml" || ext == "wsd") {
    // A file may hold several @startuml ... @enduml diagrams.
    std::size_t begin = 0;
    bool inside = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view t = text::trim(lines[i]);
      if (t.starts_with("@startuml")) { begin = i; inside = true; }
      if (t.starts_with("@enduml") && inside) {
        if (auto d = plantuml(lines, begin, i + 1)) out.push_back(*d);
        inside = false;
      }
    }
    if (inside)
      if (auto d = plantuml(lines, begin, lines.size())) out.push_back(*d);
  } else if (ext == "md" || ext == "markdown" || ext == "mdx") {
    // Fenced blocks: ``` or ~~~ (three or more), the info string names the language.
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view t = text::trim(lines[i]);
      if (!t.starts_with("```") && !t.starts_with("~~~")) continue;
      const char fence_char = t.front();
      std::size_t fence = 0;
      while (fence < t.size() && t[fence] == fence_char) ++fence;
      const std::string info = text::to_lower(first_word(text::trim(t.substr(fence))));
      std::size_t close = i + 1;
      while (close < lines.size()) {
        const std::string_view c = text::trim(lines[close]);
        std::size_t n = 0;
        while (n < c.size() && c[n] == fence_char) ++n;
        if (n >= fence && text::trim(c.substr(n)).empty()) break;
        ++close;
      }
      // A fenced diagram is located at its opening fence.
      std::optional<Diagram> d;
      if (info == "mermaid") d = mermaid(lines, i + 1, close);
      else if (info == "plantuml" || info == "puml") d = plantuml(lines, i + 1, close);
      if (d) {
        d->line = static_cast<int>(i) + 1;
        out.push_back(*d);
      }
      i = close;
    }
  }
  // A class diagram documents the architecture only beside C4 diagrams or in architecture docs.
  const bool has_c4 = std::any_of(out.begin(), out.end(), [](const Diagram& d) { return d.level != Level::code; });
  if (!has_c4 && !is_architecture_path(path))
    std::erase_if(out, [](const Diagram& d) { return d.level == Level::code; });
  return out;
}

}  // namespace constable::c4
