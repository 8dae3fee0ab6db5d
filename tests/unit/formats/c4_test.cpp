#include <gtest/gtest.h>

#include "formats/c4/c4.hpp"

namespace constable::c4 {
namespace {

std::vector<Level> levels(const std::vector<Diagram>& diagrams) {
  std::vector<Level> out;
  for (const auto& d : diagrams) out.push_back(d.level);
  return out;
}

TEST(C4, MermaidBlocksInMarkdownAtTheirFence) {
  const auto found = detect("docs/overview.md",
                            "# Overview\n\n```mermaid\n%% comment\nC4Context\n  Person(a, \"A\")\n```\n\n~~~mermaid\n"
                            "C4Container\n~~~\n\n```mermaid\nflowchart LR\n```\n\n````mermaid\nC4Component\n````\n"
                            "```mermaid\nclassDiagram\n  class A\n```\n```mermaid\nC4Dynamic\n```\n");
  EXPECT_EQ(levels(found), (std::vector<Level>{Level::context, Level::container, Level::component, Level::code,
                                              Level::supplementary}));
  EXPECT_EQ(found[0].line, 3);
  EXPECT_EQ(found[0].notation, Notation::mermaid);
}

TEST(C4, ClassDiagramsCountOnlyInArchitectureDocs) {
  const std::string class_diagram = "```mermaid\nclassDiagram\n  class Order\n```\n";
  EXPECT_TRUE(detect("README.md", class_diagram).empty());
  EXPECT_EQ(levels(detect("docs/architecture/code.md", class_diagram)), (std::vector<Level>{Level::code}));
  EXPECT_EQ(levels(detect("design/orders.mmd", "classDiagram\n  class A\n")), (std::vector<Level>{Level::code}));
  EXPECT_TRUE(is_architecture_path("docs/c4/x.md"));
  EXPECT_FALSE(is_architecture_path("docs/archive/x.md"));
}

TEST(C4, PlantUmlByTheMostDetailedMacro) {
  const auto found = detect("arch/all.puml",
                            "@startuml\n!include <C4/C4_Context>\nPerson(a, \"A\")\nSystem(s, \"S\")\n@enduml\n"
                            "@startuml\n!include https://x/C4_Container.puml\nSystem_Boundary(b, \"B\") {\n"
                            "  Container(api, \"API\")\n}\n@enduml\n"
                            "@startuml\n!include C4_Component.puml\nComponent(c, \"C\")\n@enduml\n"
                            "@startuml\nclass Order\ninterface Repo\n@enduml\n"
                            "@startuml\nPerson(a, \"no C4 include\")\n@enduml\n");
  EXPECT_EQ(levels(found), (std::vector<Level>{Level::context, Level::container, Level::component, Level::code}));
  EXPECT_EQ(found[1].line, 6);
  EXPECT_EQ(levels(detect("docs/a.md", "```plantuml\n!include C4_Context.puml\nSystem(s, \"S\")\n```\n")),
            (std::vector<Level>{Level::context}));
  // A block fenced as plantuml whose text never says "puml" (the standard
  // library's <C4/...> include) is read too, as is a fence in capitals.
  EXPECT_EQ(levels(detect("docs/b.md", "```plantuml\n@startuml\n!include <C4/C4_Container>\nContainer(api, \"API\")\n"
                                       "@enduml\n```\n")),
            (std::vector<Level>{Level::container}));
  EXPECT_EQ(levels(detect("docs/c.md", "```Mermaid\nC4Context\n```\n")), (std::vector<Level>{Level::context}));
}

TEST(C4, StructurizrViewsNotModelElements) {
  const auto found = detect("workspace.dsl", R"(workspace "Shop" {
    /* views {
       systemContext commented out
    } */
    model {
        s = softwareSystem "S" {
            api = container "API" {
                component "C"
            }
        }
    }
    views {
        // container s
        systemContext s "ctx" {
            include *
        }
        container s {
            include *
        }
        component api "{weird}" {
            include *
        }
        image api {
            image https://example.com/a.png
        }
        dynamic s {
        }
    }
}
)");
  EXPECT_EQ(levels(found), (std::vector<Level>{Level::context, Level::container, Level::component, Level::code,
                                              Level::supplementary}));
  EXPECT_EQ(found[0].line, 14);
  EXPECT_TRUE(detect("notes.dsl", "views {\n  container s\n}\n").empty());  // no workspace
}

TEST(C4, OtherFilesAndBadInput) {
  EXPECT_TRUE(detect("main.py", "C4Context\n").empty());
  EXPECT_TRUE(detect("a.md", "```mermaid\n").empty());
  EXPECT_TRUE(detect("a.md", "```\nC4Context\n```\n").empty());
  EXPECT_TRUE(detect("a.dsl", "}}}}{{{\"").empty());
  EXPECT_TRUE(detect("a.puml", "@startuml\n").empty());
}

}  // namespace
}  // namespace constable::c4
