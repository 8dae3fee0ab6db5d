// fastapi/native-dependency-injection: routes receive their dependencies
// from FastAPI's own system (Depends), not from a third-party container
// wired into them (dependency-injector's Provide, injector, kink, lagom).

#include <array>

#include <fmt/format.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"

namespace constable::checks::fastapi {

namespace {
namespace native_dependency_injection_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/native-dependency-injection",
    .domain = "fastapi",
    .nature = Nature::maintainability,
    .summary = "Use FastAPI's own dependency injection in routes",
    .rationale = "A second injection system beside FastAPI's splits how dependencies are declared, scoped and "
                 "overridden: app.dependency_overrides does not reach a container's providers, and a reader "
                 "must know two lifecycles. The constitution asks for FastAPI's native system, consistently.",
    .remediation = "Declare the dependency as a function (or class) and take it with Depends(...); build what it "
                   "returns inside that function.",
    .bad_example = "@router.get(\"/orders\")\n@inject\ndef read_orders(service: OrderService = "
                   "Depends(Provide[Container.order_service])):\n    ...\n",
    .good_example = "@router.get(\"/orders\")\ndef read_orders(service: Annotated[OrderService, "
                    "Depends(get_order_service)]):\n    ...\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|dependency", .text = "native|consistent"},
    .file_kind = FileKind::source,
    .stack = "fastapi",
    .scope = engine::Scope::files_of_kind,
};

// Modules of injection containers that are not FastAPI's.
constexpr std::array kContainers = {std::string_view{"dependency_injector"}, std::string_view{"injector"},
                                    std::string_view{"kink"}, std::string_view{"lagom"},
                                    std::string_view{"punq"}, std::string_view{"that_depends"},
                                    std::string_view{"dishka"}, std::string_view{"wireup"}};

// The container module a dotted name resolves to, "" when none.
std::string_view container_of(const code::Module& module, std::string_view dotted) {
  const std::string qualified = module.qualified(dotted);
  for (std::string_view container : kContainers)
    if (qualified == container || (qualified.starts_with(container) && qualified[container.size()] == '.'))
      return container;
  return {};
}

class NativeDependencyInjectionCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return judges_application_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !judges_path(file.file().path)) return;
    for (const Route& route : routes(*module)) {
      const code::Function& function = module->functions[static_cast<std::size_t>(route.function)];
      for (const auto& decorator : function.decorators) {
        const std::string_view container = container_of(*module, decorator.callee);
        if (container.empty()) continue;
        out.report(decorator.range, fmt::format("route '{}' is wired by {} (@{}) instead of FastAPI's Depends",
                                                function.name, container, decorator.callee));
        break;
      }
      // `Provide[Container.x]` is a subscript, not a call: read the parameter's text.
      for (const auto& parameter : function.parameters) {
        const std::string_view text = parameter.default_value.empty() ? parameter.annotation : parameter.default_value;
        const auto provide = text.find("Provide");
        if (provide == std::string_view::npos) continue;
        const auto separator = text.find_last_of("(, ", provide);
        const std::size_t start = separator == std::string_view::npos ? 0 : separator + 1;
        const auto end = text.find_first_of("[(", provide);
        if (end == std::string_view::npos) continue;
        const std::string_view name = text.substr(start, end - start);
        const std::string_view container = container_of(*module, name);
        if (container.empty()) continue;
        out.report(parameter.range, fmt::format("route '{}' takes '{}' from a {} container ({}) instead of a "
                                                "FastAPI dependency",
                                                function.name, parameter.name, container, name));
      }
    }
  }
};

}  // namespace native_dependency_injection_check
}  // namespace

std::unique_ptr<engine::Check> make_native_dependency_injection_check() {
  return engine::make_check<native_dependency_injection_check::NativeDependencyInjectionCheck>();
}

}  // namespace constable::checks::fastapi
