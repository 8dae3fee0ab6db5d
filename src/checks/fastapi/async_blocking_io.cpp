// fastapi/async-blocking-io: an `async def` of the application performs I/O
// with a blocking library (requests, time.sleep, a synchronous database
// driver or Session), which stalls the event loop for every request.

#include <array>
#include <set>

#include <fmt/format.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"

namespace constable::checks::fastapi {

namespace {
namespace async_blocking_io_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/async-blocking-io",
    .domain = "fastapi",
    .nature = Nature::reliability,
    .summary = "Do not block the event loop with synchronous I/O in async functions",
    .rationale = "FastAPI runs `async def` routes and dependencies on the event loop itself: a blocking call "
                 "there (requests.get, time.sleep, psycopg2, a synchronous SQLAlchemy Session) stops every other "
                 "request of the worker until it returns. Async I/O must be awaited; blocking work belongs in a "
                 "thread (run_in_threadpool, asyncio.to_thread) or a plain `def` route.",
    .remediation = "Use the async counterpart and await it (httpx.AsyncClient, asyncio.sleep, asyncpg, "
                   "AsyncSession), or move the blocking call to a thread with await asyncio.to_thread(...).",
    .bad_example = "@app.get(\"/rates\")\nasync def rates():\n    return requests.get(RATES_URL).json()\n",
    .good_example = "@app.get(\"/rates\")\nasync def rates():\n    async with httpx.AsyncClient() as client:\n"
                    "        return (await client.get(RATES_URL)).json()\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|performance", .text = "async.*(i/o|io\\b|input)"},
    .file_kind = FileKind::source,
    .stack = "fastapi",
    .scope = engine::Scope::files_of_kind,
};

struct Blocking {
  std::string_view qualified;
  std::string_view instead;
};

constexpr std::array kBlocking = {
    Blocking{"requests.get", "httpx.AsyncClient"},
    Blocking{"requests.post", "httpx.AsyncClient"},
    Blocking{"requests.put", "httpx.AsyncClient"},
    Blocking{"requests.patch", "httpx.AsyncClient"},
    Blocking{"requests.delete", "httpx.AsyncClient"},
    Blocking{"requests.head", "httpx.AsyncClient"},
    Blocking{"requests.options", "httpx.AsyncClient"},
    Blocking{"requests.request", "httpx.AsyncClient"},
    Blocking{"requests.Session", "httpx.AsyncClient"},
    Blocking{"requests.session", "httpx.AsyncClient"},
    Blocking{"time.sleep", "asyncio.sleep"},
    Blocking{"urllib.request.urlopen", "httpx.AsyncClient"},
    Blocking{"httpx.get", "httpx.AsyncClient"},
    Blocking{"httpx.post", "httpx.AsyncClient"},
    Blocking{"httpx.put", "httpx.AsyncClient"},
    Blocking{"httpx.patch", "httpx.AsyncClient"},
    Blocking{"httpx.delete", "httpx.AsyncClient"},
    Blocking{"httpx.head", "httpx.AsyncClient"},
    Blocking{"httpx.request", "httpx.AsyncClient"},
    Blocking{"httpx.stream", "httpx.AsyncClient"},
    Blocking{"httpx.Client", "httpx.AsyncClient"},
    Blocking{"psycopg2.connect", "asyncpg or psycopg's AsyncConnection"},
    Blocking{"pymysql.connect", "aiomysql or asyncmy"},
    Blocking{"sqlite3.connect", "aiosqlite"},
    Blocking{"mysql.connector.connect", "aiomysql or asyncmy"},
    Blocking{"smtplib.SMTP", "aiosmtplib"},
    Blocking{"smtplib.SMTP_SSL", "aiosmtplib"},
    Blocking{"subprocess.run", "asyncio.create_subprocess_exec"},
    Blocking{"subprocess.call", "asyncio.create_subprocess_exec"},
    Blocking{"subprocess.check_call", "asyncio.create_subprocess_exec"},
    Blocking{"subprocess.check_output", "asyncio.create_subprocess_exec"},
};

const Blocking* blocking(std::string_view qualified) {
  for (const Blocking& entry : kBlocking) {
    if (qualified == entry.qualified) return &entry;
  }
  return nullptr;
}

bool is_sync_session_type(const code::Module& module, std::string_view type) {
  const std::string qualified = module.qualified(type);
  return qualified == "sqlmodel.Session" || qualified == "sqlalchemy.orm.Session" ||
         qualified == "sqlalchemy.orm.session.Session";
}

// Whether a parameter's annotation is a synchronous Session: `Session`,
// `Annotated[Session, Depends(...)]`, or a module-level alias of the latter.
bool sync_session_annotation(const code::Module& module, std::string_view annotation) {
  if (annotation.empty()) return false;
  if (is_sync_session_type(module, annotation)) return true;
  std::string_view inner = annotation;
  if (const auto* alias = module_assignment(module, annotation); alias != nullptr && alias->call < 0)
    inner = alias->value;
  const auto open = inner.find('[');
  if (open == std::string_view::npos) return false;
  const std::string_view head = inner.substr(0, open);
  const std::string head_qualified = module.qualified(head);
  if (head_qualified != "typing.Annotated" && head_qualified != "typing_extensions.Annotated" && head != "Annotated")
    return false;
  std::string_view first = inner.substr(open + 1);
  first = first.substr(0, first.find_first_of(",]"));
  while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
  return is_sync_session_type(module, first);
}

bool awaited(const code::Node& call) {
  for (code::Node current = call.parent(); current; current = current.parent()) {
    if (current.is("await")) return true;
    if (!current.is("attribute") && !current.is("call") && !current.is("parenthesized_expression")) return false;
  }
  return false;
}

class AsyncBlockingIoCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return judges_application_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !judges_path(file.file().path)) return;
    for (std::size_t index = 0; index < module->functions.size(); ++index) {
      const code::Function& function = module->functions[index];
      if (!function.is_async) continue;
      std::set<std::string, std::less<>> sessions;
      for (const auto& parameter : function.parameters)
        if (sync_session_annotation(*module, parameter.annotation)) sessions.insert(parameter.name);
      bool session_reported = false;
      for (const code::Call& call : module->calls) {
        if (call.function != static_cast<int>(index)) continue;
        const std::string qualified = module->qualified(call.callee);
        // Whether the call runs later (in a lambda or a nested function) is
        // asked last: it walks up the tree, and most calls block nothing.
        if (const Blocking* entry = blocking(qualified); entry != nullptr && !deferred(call.node, function.node)) {
          out.report(call.range, fmt::format("async function '{}' calls the blocking {}(), which stalls the event "
                                             "loop; use {} (awaited) or run it in a thread",
                                             function.name, qualified, entry->instead));
          continue;
        }
        const auto dot = call.callee.find('.');
        if (session_reported || dot == std::string::npos) continue;
        const std::string_view receiver = std::string_view(call.callee).substr(0, dot);
        if (!sessions.contains(receiver) || awaited(call.node) || deferred(call.node, function.node)) continue;
        session_reported = true;
        out.report(call.range, fmt::format("async function '{}' queries through the synchronous Session '{}' "
                                           "({}()), which blocks the event loop; use an AsyncSession and await "
                                           "it, or declare the function with plain `def`",
                                           function.name, receiver, call.callee));
      }
    }
  }
};

}  // namespace async_blocking_io_check
}  // namespace

std::unique_ptr<engine::Check> make_async_blocking_io_check() {
  return engine::make_check<async_blocking_io_check::AsyncBlockingIoCheck>();
}

}  // namespace constable::checks::fastapi
