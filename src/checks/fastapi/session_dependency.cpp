// fastapi/session-dependency: a route receives its database session from a
// dependency (Depends(get_session)) instead of opening one from a
// module-level factory, engine or session object.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"

namespace constable::checks::fastapi {

namespace {
namespace session_dependency_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/session-dependency",
    .domain = "fastapi",
    .nature = Nature::reliability,
    .summary = "Give routes their database session through a dependency",
    .rationale = "A session a route opens itself from a module-level factory or engine escapes FastAPI's "
                 "dependency system: it cannot be overridden in tests, its lifetime is not tied to the request, "
                 "and an exception path can leak it. A dependency that yields the session closes it once, for "
                 "every route.",
    .remediation = "Declare a dependency that yields a session (def get_session(): with Session(engine) as s: "
                   "yield s) and take it as a route parameter: session: Annotated[Session, Depends(get_session)].",
    .bad_example = "SessionLocal = sessionmaker(bind=engine)\n\n@app.get(\"/items\")\ndef read_items():\n"
                   "    db = SessionLocal()\n    return db.query(Item).all()\n",
    .good_example = "@app.get(\"/items\")\ndef read_items(db: Annotated[Session, Depends(get_db)]):\n"
                    "    return db.query(Item).all()\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|dependency", .text = "database session.*(dependenc|inject)"},
    .file_kind = FileKind::source,
    .stack = "fastapi",
    .scope = engine::Scope::files_of_kind,
};

bool is_session_factory_callee(std::string_view qualified) {
  const std::string_view name = last_component(qualified);
  return name == "sessionmaker" || name == "async_sessionmaker" || name == "scoped_session";
}

bool is_engine_callee(std::string_view qualified) {
  const std::string_view name = last_component(qualified);
  return name == "create_engine" || name == "create_async_engine";
}

bool is_session_class(std::string_view qualified) {
  return qualified == "sqlmodel.Session" || qualified == "sqlalchemy.orm.Session" ||
         qualified == "sqlalchemy.orm.session.Session" || qualified == "sqlalchemy.ext.asyncio.AsyncSession" ||
         qualified == "sqlmodel.ext.asyncio.session.AsyncSession";
}

class SessionDependencyCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return judges_application_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !judges_path(file.file().path)) return;
    for (const Route& route : routes(*module)) {
      const code::Function& function = module->functions[static_cast<std::size_t>(route.function)];
      for (const code::Call& call : module->calls) {
        if (call.function != route.function) continue;
        const std::string how = session_opened(*module, call);
        if (how.empty()) continue;
        out.report(call.range, fmt::format("route '{}' {}; take the session as a parameter from a dependency "
                                           "(Depends(get_session))",
                                           function.name, how));
        break;  // one finding per route: the fix is the same for all its uses
      }
    }
  }

 private:
  // How `call` opens a session outside the dependency system, "" when it does not.
  static std::string session_opened(const code::Module& module, const code::Call& call) {
    static const RE2 factory_name(R"((?i)^(async_?)?session_?(local|maker|factory)$)");
    const std::string_view callee = call.callee;
    const auto dot = callee.find('.');
    if (dot == std::string_view::npos) {
      const std::string from = assigned_from(module, callee);
      if (is_session_factory_callee(from))
        return fmt::format("opens a session from the module-level factory {}()", callee);
      if (from.empty() && module.import_binding(callee) != nullptr && RE2::FullMatch(callee, factory_name))
        return fmt::format("opens a session from the imported factory {}()", callee);
      if (is_session_class(module.qualified(callee)) && !call.arguments.empty())
        return fmt::format("creates its own session with {}(...)", callee);
      return {};
    }
    // `engine.connect()`, `db.query(...)`: a method of a module-level object.
    const std::string_view receiver = callee.substr(0, dot);
    if (receiver.empty() || callee.find('.', dot + 1) != std::string_view::npos) return {};
    const std::string_view method = callee.substr(dot + 1);
    const std::string from = assigned_from(module, receiver);
    if ((method == "connect" || method == "begin") &&
        (is_engine_callee(from) || (from.empty() && receiver == "engine" && module.import_binding(receiver))))
      return fmt::format("opens a connection from the module-level engine {}", receiver);
    if (from.empty()) return {};
    const std::string_view factory = last_component(from);
    const std::string factory_from = assigned_from(module, factory);
    if (is_session_factory_callee(factory_from) || is_session_class(from) ||
        (module.import_binding(factory) != nullptr && RE2::FullMatch(factory, factory_name)))
      return fmt::format("uses the module-level session {} ({}())", receiver, callee);
    return {};
  }
};

}  // namespace session_dependency_check
}  // namespace

std::unique_ptr<engine::Check> make_session_dependency_check() {
  return engine::make_check<session_dependency_check::SessionDependencyCheck>();
}

}  // namespace constable::checks::fastapi
