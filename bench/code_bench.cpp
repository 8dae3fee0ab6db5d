// Application code (issue 16): 10,000 generated Python and TypeScript files
// (a FastAPI + SQLModel service and a Next.js App Router front end, with
// agents), parsed by tree-sitter alone (the floor: no checker of this code
// can do less), modelled, and checked by every code check through the whole
// engine. The goal: checking within 2x of parsing alone.
//
//   build/release/bench/constable_code_bench --benchmark_repetitions=3

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/app.hpp"
#include "code/model.hpp"
#include "core/files.hpp"
#include "core/memory.hpp"
#include "engine/run.hpp"

namespace {

namespace fs = std::filesystem;
using namespace constable;

constexpr std::size_t kFiles = 10000;

// One Python module: a model, a router and an agent tool, varied by `n`.
std::string python_file(std::size_t n) {
  return fmt::format(R"py(from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from sqlmodel import Field, Relationship, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession
from agents import Agent, function_tool

from app.db import get_session

router = APIRouter(prefix="/api/v1/items-{0}")


class Item{0}(SQLModel, table=True):
    __tablename__ = "catalog_items"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length={1})
    owner_id: int = Field(foreign_key="owners.id", index=True)
    owner: "Owner" = Relationship(back_populates="items_{0}")


@router.get("/", response_model=list[Item{0}])
async def list_items(
    session: Annotated[AsyncSession, Depends(get_session)], offset: int = 0, limit: int = {1}
) -> list[Item{0}]:
    """Lists the items of catalogue {0}, a page at a time."""
    result = await session.exec(select(Item{0}).offset(offset).limit(limit))
    return result.all()


@router.get("/{{item_id}}")
async def get_item(item_id: int, session: Annotated[AsyncSession, Depends(get_session)]) -> Item{0}:
    """Returns one item of catalogue {0}."""
    item = await session.get(Item{0}, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@function_tool
def describe_item_{0}(name: str, count: int = {2}) -> str:
    """Describes an item for the assistant."""
    parts = [name] * count
    return ", ".join(parts)


assistant_{0} = Agent(name="Assistant {0}", instructions="Describe items.", tools=[describe_item_{0}])
)py",
                     n, 20 + n % 80, 1 + n % 5);
}

// One Next.js page or client component, varied by `n`.
std::string tsx_file(std::size_t n) {
  if (n % 2 == 0)
    return fmt::format(R"tsx(import Image from "next/image";
import Link from "next/link";
import {{ getItems }} from "@/lib/items";

type Props = {{ params: Promise<{{ id: string }}> }};

export default async function Page{0}({{ params }}: Props) {{
  const {{ id }} = await params;
  const items = await getItems(id, {1});
  return (
    <main className="grid gap-4">
      <h1>Items {0}</h1>
      <Image src="/logo.png" alt="logo" width={{64}} height={{64}} />
      <ul>
        {{items.map((item) => (
          <li key={{item.id}}>
            <Link href={{`/items/${{item.id}}`}}>{{item.name}}</Link>
          </li>
        ))}}
      </ul>
    </main>
  );
}}
)tsx",
                       n, 10 + n % 40);
  return fmt::format(R"tsx("use client";

import {{ useState }} from "react";
import {{ useQuery }} from "@tanstack/react-query";

export function Counter{0}<T extends {{ id: number }}>({{ items }}: {{ items: T[] }}) {{
  const [count, setCount] = useState({1});
  const query = useQuery({{ queryKey: ["items", {0}], queryFn: () => fetch("/api/v1/items").then((r) => r.json()) }});
  return (
    <div>
      <button type="button" onClick={{() => setCount(count + 1)}}>
        {{count}} of {{items.length}} ({{query.status}})
      </button>
    </div>
  );
}}
)tsx",
                     n, n % 7);
}

const fs::path& repo() {
  static const fs::path root = [] {
    const fs::path dir = fs::temp_directory_path() / "constable-code-bench-10000";
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto write = [&](const fs::path& relative, const std::string& content) {
      fs::create_directories((dir / relative).parent_path());
      std::ofstream(dir / relative, std::ios::binary) << content;
    };
    // The reference constitution when it is beside the project, else the
    // excerpt the fixtures use: both hold the code sections.
    const fs::path shared = fs::path(CONSTABLE_SOURCE_DIR) / ".." / "shared" / "reference-constitution.md";
    const fs::path excerpt = fs::path(CONSTABLE_SOURCE_DIR) / "tests" / "fixtures" / "constitution" / "reference-excerpt.md";
    fs::copy_file(fs::exists(shared) ? shared : excerpt, dir / "CONSTITUTION.md");
    write("backend/pyproject.toml",
          "[project]\nname = \"api\"\nversion = \"1.0.0\"\ndependencies = [\"fastapi\", \"sqlmodel\", \"alembic\", "
          "\"openai-agents\"]\n");
    write("backend/alembic.ini", "[alembic]\nscript_location = migrations\n");
    write("frontend/package.json",
          R"({"name": "web", "dependencies": {"next": "15.1.0", "react": "19.0.0", "@tanstack/react-query": "5.62.0"}})");
    for (std::size_t i = 0; i < kFiles / 2; ++i) {
      write(fmt::format("backend/app/items/module_{:05}.py", i), python_file(i));
      write(fmt::format("frontend/src/app/items/{:05}/{}.tsx", i, i % 2 == 0 ? "page" : "counter"), tsx_file(i));
    }
    return dir;
  }();
  return root;
}

struct SourceFile {
  std::string path;
  std::string text;
};

const std::vector<SourceFile>& sources() {
  static const std::vector<SourceFile> all = [] {
    std::vector<SourceFile> out;
    for (const auto& entry : fs::recursive_directory_iterator(repo())) {
      const std::string path = entry.path().generic_string();
      if (!entry.is_regular_file() || !code::language_of(path)) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      out.push_back({path, std::string(std::istreambuf_iterator<char>(in), {})});
    }
    return out;
  }();
  return all;
}

// tree-sitter alone, on texts already in memory: the floor.
void BM_TreeSitterParse(benchmark::State& state) {
  const std::vector<SourceFile>& files = sources();  // written and read before the clock starts
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    for (const SourceFile& file : files) {
      auto tree = code::SyntaxTree::parse(*code::language_of(file.path), file.text);
      benchmark::DoNotOptimize(tree);
      bytes += file.text.size();
    }
  }
  state.counters["files"] = static_cast<double>(sources().size());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
}
BENCHMARK(BM_TreeSitterParse)->Unit(benchmark::kMillisecond);

// Parsing and building the typed models every check shares.
void BM_BuildModels(benchmark::State& state) {
  const std::vector<SourceFile>& files = sources();
  for (auto _ : state)
    for (const SourceFile& file : files) benchmark::DoNotOptimize(code::build_module_for(file.path, file.text));
  state.counters["files"] = static_cast<double>(sources().size());
}
BENCHMARK(BM_BuildModels)->Unit(benchmark::kMillisecond);

// `constable check --select agents,database,fastapi,nextjs`: discovery,
// reading, parsing once, every code check, findings.
void BM_CheckCode(benchmark::State& state) {
  memory::tune_for_batch_runs();
  const fs::path& root = repo();
  std::size_t findings = 0;
  for (auto _ : state) {
    app::CommonOptions options;
    options.path = root;
    options.today = Date::parse("2026-11-22");
    options.select = {"agents", "database", "fastapi", "nextjs"};
    auto session = app::open_session(options);
    if (!session) {
      state.SkipWithError(session.error().message.c_str());
      return;
    }
    engine::RunOptions run_options;
    run_options.jobs = static_cast<unsigned>(state.range(0));
    auto result = engine::run(session->plan, session->constitution, session->config, session->workspace, run_options);
    findings = result.findings.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_CheckCode)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
