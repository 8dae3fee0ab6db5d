// The code models of src/code/: what checks of application code rely on.

#include <gtest/gtest.h>

#include <string>

#include "code/model.hpp"
#include "workspace/workspace.hpp"
#include "support/test_support.hpp"

namespace constable::code {
namespace {

TEST(CodeGrammars, EveryGrammarHasAnAbiTheRuntimeReads) { EXPECT_TRUE(check_grammar_abi()); }

TEST(CodeGrammars, TheLanguageComesFromTheExtension) {
  EXPECT_EQ(language_of("app/main.py"), Language::python);
  EXPECT_EQ(language_of("stubs/x.pyi"), Language::python);
  EXPECT_EQ(language_of("src/lib/db.ts"), Language::typescript);
  EXPECT_EQ(language_of("app/page.tsx"), Language::tsx);
  EXPECT_EQ(language_of("next.config.mjs"), Language::tsx);
  EXPECT_EQ(language_of("Dockerfile"), std::nullopt);
  EXPECT_EQ(language_of("dir.py/README"), std::nullopt);
}

constexpr std::string_view kFastApi = R"py(from fastapi import APIRouter, Depends as D, FastAPI
import sqlalchemy.orm
import numpy as np
from .db import *

app = FastAPI()
router = APIRouter(prefix="/api/v1")
settings = Settings()

class Hero(SQLModel, table=True):
    __tablename__ = "heroes"
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)

    def describe(self) -> str:
        return f"{self.id}"

@router.get("/heroes", response_model=list[Hero])
async def list_heroes(limit: int = 10, session: Session = D(get_session)):
    return session.exec(select(Hero).limit(limit)).all()

def helper():
    url = settings.database_url
    return np.array([url])
)py";

TEST(PythonModel, ImportsBindTheirNames) {
  const Module m = build_module(Language::python, kFastApi);
  ASSERT_TRUE(m.tree);
  ASSERT_EQ(m.imports.size(), 6u);
  EXPECT_EQ(m.imports[1].module, "fastapi");
  EXPECT_EQ(m.imports[1].name, "Depends");
  EXPECT_EQ(m.imports[1].alias, "D");
  EXPECT_EQ(m.imports[3].module, "sqlalchemy.orm");
  EXPECT_EQ(m.imports[3].bound_name(), "sqlalchemy");
  EXPECT_EQ(m.imports[5].module, ".db");
  EXPECT_EQ(m.imports[5].name, "*");
  EXPECT_EQ(m.qualified("D"), "fastapi.Depends");
  EXPECT_EQ(m.qualified("np.array"), "numpy.array");
  EXPECT_EQ(m.qualified("select"), "select");
  EXPECT_TRUE(m.imports_module("sqlalchemy"));
  EXPECT_FALSE(m.imports_module("sqlalchem"));
}

TEST(PythonModel, ClassesHaveBasesKeywordsAndFields) {
  const Module m = build_module(Language::python, kFastApi);
  const Class* hero = m.class_named("Hero");
  ASSERT_NE(hero, nullptr);
  EXPECT_TRUE(hero->has_base("SQLModel"));
  ASSERT_NE(hero->keyword("table"), nullptr);
  EXPECT_EQ(hero->keyword("table")->text, "True");
  ASSERT_EQ(hero->fields.size(), 3u);
  EXPECT_EQ(hero->field("__tablename__")->value, "\"heroes\"");
  const Field* team = hero->field("team_id");
  ASSERT_NE(team, nullptr);
  EXPECT_EQ(team->annotation, "int");
  ASSERT_GE(team->call, 0);
  const Call& field_call = m.calls[static_cast<std::size_t>(team->call)];
  EXPECT_EQ(field_call.callee, "Field");
  ASSERT_NE(field_call.keyword("foreign_key"), nullptr);
  EXPECT_EQ(field_call.keyword("foreign_key")->value, "team.id");
  EXPECT_EQ(field_call.range.line, 13);
  const Function* describe = m.function("describe");
  ASSERT_NE(describe, nullptr);
  EXPECT_EQ(describe->owner_class, 0);
}

TEST(PythonModel, FunctionsHaveDecoratorsParametersAndTheirCalls) {
  const Module m = build_module(Language::python, kFastApi);
  const Function* route = m.function("list_heroes");
  ASSERT_NE(route, nullptr);
  EXPECT_TRUE(route->is_async);
  ASSERT_EQ(route->decorators.size(), 1u);
  EXPECT_EQ(route->decorators[0].callee, "router.get");
  ASSERT_EQ(route->decorators[0].arguments.size(), 2u);
  EXPECT_EQ(route->decorators[0].arguments[0].value, "/heroes");
  EXPECT_EQ(route->decorators[0].arguments[1].keyword, "response_model");
  ASSERT_EQ(route->parameters.size(), 2u);
  EXPECT_EQ(route->parameters[1].name, "session");
  EXPECT_EQ(route->parameters[1].annotation, "Session");
  EXPECT_EQ(route->parameters[1].default_value, "D(get_session)");
  EXPECT_EQ(route->range.line, 19);  // the `def`, below its decorator
  const int route_index = static_cast<int>(route - m.functions.data());
  bool exec_in_route = false;
  for (const Call& call : m.calls)
    if (call.callee == "session.exec") exec_in_route = call.function == route_index;
  EXPECT_TRUE(exec_in_route);
  bool read = false;
  for (const AttributeRead& r : m.attribute_reads) read = read || (r.path == "settings.database_url" && r.function >= 0);
  EXPECT_TRUE(read);
}

TEST(PythonModel, ModuleLevelAssignmentsPointAtTheirCalls) {
  const Module m = build_module(Language::python, kFastApi);
  ASSERT_EQ(m.assignments.size(), 3u);
  EXPECT_EQ(m.assignments[1].target, "router");
  ASSERT_GE(m.assignments[1].call, 0);
  const Call& call = m.calls[static_cast<std::size_t>(m.assignments[1].call)];
  EXPECT_EQ(call.callee, "APIRouter");
  EXPECT_EQ(call.keyword("prefix")->value, "/api/v1");
}

TEST(PythonModel, ASyntaxErrorKeepsWhatParsedAndSaysWhere) {
  const Module m = build_module(Language::python, "import os\ndef broken(:\n    pass\nx = call(1)\n");
  ASSERT_TRUE(m.tree);
  ASSERT_FALSE(m.errors.empty());
  EXPECT_EQ(m.errors[0].range.line, 2);
  ASSERT_EQ(m.imports.size(), 1u);
  bool call_found = false;
  for (const Call& c : m.calls) call_found = call_found || c.callee == "call";
  EXPECT_TRUE(call_found);
}

TEST(PythonModel, DeepNestingIsBoundedNotACrash) {
  std::string text = "x = " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  const Module m = build_module(Language::python, text);
  EXPECT_TRUE(m.tree);
  std::string calls = "y = ";
  for (int i = 0; i < 3000; ++i) calls += "f(";
  calls += std::string(3000, ')') + "\n";
  const Module n = build_module(Language::python, calls);
  EXPECT_LE(n.calls.size(), 3000u);
}

constexpr std::string_view kPage = R"tsx("use client";
// a client component
import Image from "next/image";
import { useState, type FC } from "react";
import * as z from "zod";
const legacy = require("legacy-lib");

export default function Gallery({ items }: { items: string[] }) {
  const [open, setOpen] = useState(false);
  const key = process.env.API_KEY;
  return (
    <div className="grid" onClick={() => setOpen(!open)}>
      <img src="/a.png" alt="" />
      <Image src={items[0]} width={10} height={10} alt="x" />
    </div>
  );
}

export async function POST(request: Request) {
  return fetch(`${process.env.NEXT_PUBLIC_API}/x`, { method: "POST" });
}

export const GET = async () => new Response("ok");
)tsx";

TEST(TypeScriptModel, DirectivesImportsAndExports) {
  const Module m = build_module(Language::tsx, kPage);
  ASSERT_TRUE(m.tree);
  EXPECT_TRUE(m.errors.empty()) << m.errors[0].message;
  EXPECT_TRUE(m.has_directive("use client"));
  ASSERT_EQ(m.imports.size(), 5u);
  EXPECT_EQ(m.imports[0].module, "next/image");
  EXPECT_EQ(m.imports[0].name, "default");
  EXPECT_EQ(m.imports[0].alias, "Image");
  EXPECT_EQ(m.imports[1].name, "useState");
  EXPECT_TRUE(m.imports[2].type_only);
  EXPECT_EQ(m.imports[3].name, "*");
  EXPECT_EQ(m.imports[3].bound_name(), "z");
  EXPECT_EQ(m.imports[4].module, "legacy-lib");
  EXPECT_EQ(m.qualified("useState"), "react:useState");
  ASSERT_EQ(m.exports.size(), 3u);
  EXPECT_EQ(m.exports[0].name, "default");
  EXPECT_EQ(m.exports[1].name, "POST");
  EXPECT_EQ(m.exports[2].name, "GET");
}

TEST(TypeScriptModel, FunctionsCallsJsxAndEnvironmentReads) {
  const Module m = build_module(Language::tsx, kPage);
  const Function* gallery = m.function("Gallery");
  ASSERT_NE(gallery, nullptr);
  EXPECT_TRUE(gallery->exported);
  EXPECT_TRUE(gallery->default_export);
  const Function* post = m.function("POST");
  ASSERT_NE(post, nullptr);
  EXPECT_TRUE(post->is_async);
  ASSERT_EQ(post->parameters.size(), 1u);
  EXPECT_EQ(post->parameters[0].annotation, "Request");
  const Function* get = m.function("GET");
  ASSERT_NE(get, nullptr);
  EXPECT_TRUE(get->exported);
  bool use_state = false;
  for (const Call& c : m.calls) use_state = use_state || (c.callee == "useState" && c.function == 0);
  EXPECT_TRUE(use_state);
  ASSERT_EQ(m.jsx_elements.size(), 3u);
  EXPECT_EQ(m.jsx_elements[0].tag, "div");
  ASSERT_NE(m.jsx_elements[0].attribute("onClick"), nullptr);
  EXPECT_EQ(m.jsx_elements[1].tag, "img");
  EXPECT_EQ(m.jsx_elements[1].attribute("src")->value, "/a.png");
  EXPECT_EQ(m.jsx_elements[1].range.line, 13);
  EXPECT_EQ(m.jsx_elements[2].attribute("src")->value, "items[0]");
  std::vector<std::string> env;
  for (const AttributeRead& r : m.attribute_reads)
    if (r.path.starts_with("process.env.")) env.push_back(r.path);
  EXPECT_EQ(env, (std::vector<std::string>{"process.env.API_KEY", "process.env.NEXT_PUBLIC_API"}));
}

TEST(TypeScriptModel, TypeScriptCastsParseWithTheTypeScriptGrammar) {
  const Module m = build_module(Language::typescript, "const x = <number>value;\nexport function f(a: number): number { return a; }\n");
  EXPECT_TRUE(m.errors.empty());
  EXPECT_EQ(m.exports.size(), 1u);
}

TEST(StackFacts, DependencyManifestsDeclareTheFrameworks) {
  testing::TempDir repo;
  repo.write("backend/pyproject.toml",
             "[project]\nname = \"api\"\ndependencies = [\"FastAPI[standard]>=0.110\", \"sqlmodel\"]\n"
             "[dependency-groups]\ndev = [\"openai_agents\"]\n");
  repo.write("worker/requirements.txt", "# pinned\n-r base.txt\nSQLAlchemy==2.0.1 ; python_version > '3.8'\n");
  repo.write("frontend/package.json", R"({"dependencies": {"next": "15.0.0", "react": "19"},
    "devDependencies": {"@modelcontextprotocol/sdk": "1"}})");
  repo.write("migrations/alembic.ini", "[alembic]\n");
  auto workspace = workspace::discover(repo.path(), {});
  ASSERT_TRUE(workspace);
  for (const char* fact : {"fastapi", "sqlmodel", "openai-agents", "sqlalchemy", "nextjs", "react", "mcp", "alembic", "node"})
    EXPECT_TRUE(workspace->stack.has(fact)) << fact;
}

TEST(StackFacts, BrokenManifestsDeclareNothingAndDoNotStopDiscovery) {
  testing::TempDir repo;
  repo.write("pyproject.toml", "[project\ndependencies = [\"fastapi\"\n");
  repo.write("package.json", "{\"dependencies\": {\"next\": ");
  repo.write("setup.py", "setup(name='x', description='FastAPI helpers', install_requires=['requests>=2'])\n");
  auto workspace = workspace::discover(repo.path(), {});
  ASSERT_TRUE(workspace);
  EXPECT_FALSE(workspace->stack.has("fastapi"));
  EXPECT_FALSE(workspace->stack.has("nextjs"));
}

}  // namespace
}  // namespace constable::code
