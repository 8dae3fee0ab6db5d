// agents/streaming-backpressure: "Streaming responses MUST implement proper
// backpressure handling". Iterating `result.stream_events()` is pulled by
// its consumer and so bounded; copying the events into an unbounded
// `asyncio.Queue()` for another task to drain is not: a slow client lets the
// queue, and the process, grow without limit.

#include <fmt/format.h>

#include "checks/agents/agents_checks.hpp"
#include "checks/agents/agents_support.hpp"

namespace constable::checks::agents {

namespace {
namespace streaming_backpressure_check {

constexpr engine::CheckInfo kInfo{
    .id = "agents/streaming-backpressure",
    .domain = "agents",
    .nature = Nature::reliability,
    .summary = "Bound the queues that carry streamed agent events",
    .rationale =
        "A streamed agent run produces events as fast as the model emits tokens. When they are handed to "
        "another task through `asyncio.Queue()` with no `maxsize`, nothing slows the producer down for a slow "
        "consumer (a browser on a poor connection): the queue grows until memory runs out. A bounded queue "
        "makes `put()` wait, which is backpressure.",
    .remediation = "Give the queue a `maxsize` (`asyncio.Queue(maxsize=100)`) and `await queue.put(...)`, or "
                   "consume `stream_events()` directly in the response generator.",
    .bad_example = "queue = asyncio.Queue()\nasync for event in result.stream_events():\n"
                   "    queue.put_nowait(event)\n",
    .good_example = "queue = asyncio.Queue(maxsize=100)\nasync for event in result.stream_events():\n"
                    "    await queue.put(event)\n",
    .parameters = "",
    .clause = {.section = "openai agents sdk", .text = "backpressure"},
    .file_kind = FileKind::source,
    .stack = "openai-agents",
    .scope = engine::Scope::files_of_kind,
};

bool unbounded(const code::Call& call) {
  const code::Argument* size = call.keyword("maxsize");
  if (size == nullptr) size = call.positional(0);
  if (size == nullptr) return true;
  return size->text == "0" || size->text == "-1";
}

class StreamingBackpressureCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return code::language_of(path) == code::Language::python; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || module->language != code::Language::python || !uses_agents_sdk(*module)) return;
    bool streams = false;
    for (const code::Call& call : module->calls)
      streams = streams || call.method() == "stream_events" || module->qualified(call.callee) == "agents.Runner.run_streamed";
    if (!streams) return;
    for (const code::Call& call : module->calls) {
      const std::string callee = module->qualified(call.callee);
      if (callee != "asyncio.Queue" || !unbounded(call)) continue;
      out.report(call.range, "this module streams agent runs and queues data for consumers in an unbounded "
                             "asyncio.Queue(): a slow consumer lets it grow without limit (give it a maxsize)");
    }
  }
};

}  // namespace streaming_backpressure_check
}  // namespace

std::unique_ptr<engine::Check> make_streaming_backpressure_check() {
  return engine::make_check<streaming_backpressure_check::StreamingBackpressureCheck>();
}

}  // namespace constable::checks::agents
