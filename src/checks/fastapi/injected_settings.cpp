// fastapi/injected-settings: a route receives configuration through a
// dependency instead of reading a module-level settings object or the
// process environment.

#include <set>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"

namespace constable::checks::fastapi {

namespace {
namespace injected_settings_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/injected-settings",
    .domain = "fastapi",
    .nature = Nature::maintainability,
    .summary = "Inject configuration into routes; do not read a global settings object",
    .rationale = "A route that reads a module-level settings object (or os.environ) binds itself to the "
                 "configuration of the process it was imported in: tests cannot override it per request "
                 "(app.dependency_overrides), and the value is fixed at import. A dependency returning the "
                 "settings keeps configuration replaceable.",
    .remediation = "Provide the settings through a dependency (def get_settings() -> Settings, cached with "
                   "lru_cache) and take it as a parameter: settings: Annotated[Settings, Depends(get_settings)].",
    .bad_example = "from app.config import settings\n\n@router.get(\"/info\")\ndef info():\n"
                   "    return {\"name\": settings.app_name}\n",
    .good_example = "@router.get(\"/info\")\ndef info(settings: Annotated[Settings, Depends(get_settings)]):\n"
                    "    return {\"name\": settings.app_name}\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|dependency", .text = "configuration.*(inject|import)"},
    .file_kind = FileKind::source,
    .stack = "fastapi",
    .scope = engine::Scope::files_of_kind,
};

// Names a settings object goes by when it is imported ready-made.
bool settings_name(std::string_view name) {
  static const RE2 pattern(R"((?i)^(app_|api_)?(settings|config|configuration|conf|cfg)$)");
  return RE2::FullMatch(name, pattern);
}

bool settings_factory(const code::Module& module, std::string_view qualified) {
  const std::string_view name = last_component(qualified);
  if (name == "get_settings" || name == "get_config" || name == "Settings" || name.ends_with("Settings") ||
      name == "Config")
    return true;
  const code::Class* klass = module.class_named(name);
  return klass != nullptr && (klass->has_base("BaseSettings") || klass->has_base("pydantic_settings.BaseSettings"));
}

// Names the function binds itself: parameters and plain assignments in its body.
std::set<std::string, std::less<>> local_names(const code::Function& function) {
  std::set<std::string, std::less<>> names;
  for (const auto& parameter : function.parameters) names.insert(parameter.name);
  function.body.walk([&](const code::Node& node) {
    if (node.is("function_definition") || node.is("lambda")) return false;
    code::Node target;
    if (node.is("assignment") || node.is("augmented_assignment") || node.is("for_statement"))
      target = node.field("left");
    else if (node.is("as_pattern"))
      target = node.field("alias");
    if (target) {
      target.walk([&](const code::Node& inner) {
        if (inner.is("identifier")) names.insert(std::string(inner.text()));
        return true;
      });
    }
    return true;
  });
  return names;
}

class InjectedSettingsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return judges_application_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !judges_path(file.file().path)) return;
    for (const Route& route : routes(*module)) {
      const code::Function& function = module->functions[static_cast<std::size_t>(route.function)];
      const auto locals = local_names(function);
      std::set<std::string, std::less<>> reported;
      auto judge = [&](std::string_view dotted, const SourceRange& range) {
        const std::string_view root = dotted.substr(0, dotted.find('.'));
        if (locals.contains(root) || reported.contains(root)) return;
        const std::string qualified = module->qualified(dotted);
        std::string what;
        if (qualified == "os.environ" || qualified.starts_with("os.environ.") || qualified == "os.getenv") {
          what = "reads the process environment";
        } else if (dotted.find('.') != std::string_view::npos && global_settings(*module, root)) {
          what = fmt::format("reads the module-level settings object '{}'", root);
        } else {
          return;
        }
        reported.insert(std::string(root));
        out.report(range, fmt::format("route '{}' {} ({}); inject the configuration with a dependency "
                                      "(Depends(get_settings))",
                                      function.name, what, dotted));
      };
      for (const code::AttributeRead& read : module->attribute_reads)
        if (read.function == route.function) judge(read.path, read.range);
      for (const code::Call& call : module->calls)
        if (call.function == route.function) judge(call.callee, call.range);
    }
  }

 private:
  // Whether `name` is, at module level, a settings object: imported under a
  // settings name, or assigned from a settings class or factory.
  static bool global_settings(const code::Module& module, std::string_view name) {
    const std::string from = assigned_from(module, name);
    if (!from.empty()) return settings_factory(module, from);
    if (module_assignment(module, name) != nullptr) return false;
    const code::Import* binding = module.import_binding(name);
    // `from app.core.config import settings`, not `import config` (a module of constants).
    return binding != nullptr && !binding->name.empty() && binding->name != "*" && settings_name(name);
  }
};

}  // namespace injected_settings_check
}  // namespace

std::unique_ptr<engine::Check> make_injected_settings_check() {
  return engine::make_check<injected_settings_check::InjectedSettingsCheck>();
}

}  // namespace constable::checks::fastapi
