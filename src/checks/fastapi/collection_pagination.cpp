// fastapi/collection-pagination: a GET route that answers with a list takes
// pagination parameters (limit/offset, page/size, a cursor) or a
// pagination dependency.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"

namespace constable::checks::fastapi {

namespace {
namespace collection_pagination_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/collection-pagination",
    .domain = "fastapi",
    .nature = Nature::reliability,
    .summary = "Paginate collection routes",
    .rationale = "A route that returns a whole table as a list grows with the data: responses, memory and "
                 "query time grow without bound, and one client can exhaust the service. Limit and offset (or "
                 "a page, or a cursor) bound every response.",
    .remediation = "Take pagination parameters (skip: int = 0, limit: int = Query(100, le=1000)) or a "
                   "pagination dependency, and apply them to the query.",
    .bad_example = "@router.get(\"/items\", response_model=list[Item])\ndef read_items(session: SessionDep):\n"
                   "    return session.exec(select(Item)).all()\n",
    .good_example = "@router.get(\"/items\", response_model=list[Item])\n"
                    "def read_items(session: SessionDep, skip: int = 0, limit: int = 100):\n"
                    "    return session.exec(select(Item).offset(skip).limit(limit)).all()\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|performance", .text = "paginat"},
    .file_kind = FileKind::source,
    .stack = "fastapi",
    .scope = engine::Scope::files_of_kind,
};

// `list[Item]`, `List[Item]`, `typing.List[Item]`, `Sequence[Item]`.
bool is_list_type(std::string_view type) {
  static const RE2 pattern(R"(^(typing\.)?(list|List|Sequence)\[)");
  return RE2::PartialMatch(type, pattern);
}

bool pagination_parameter(const code::Parameter& parameter) {
  static const RE2 name(
      R"((?i)^(limit|offset|skip|page|page_?size|per_?page|size|cursor|after|before|first|last|take|start|)"
      R"(page_?number|page_?token|next_?token|pagination|paging|params|pager)$)");
  static const RE2 type(R"((?i)pagina|\bPage|Params\b)");
  return RE2::FullMatch(parameter.name, name) || RE2::PartialMatch(parameter.annotation, type) ||
         RE2::PartialMatch(parameter.default_value, type);
}

// Whether the route reads its collection from somewhere that grows: it takes
// a database session or connection, awaits I/O, or queries. A route that
// returns a constant list (the roles a product defines, a tutorial's two
// items) serves a fixed catalog, not a collection of records.
bool reads_stored_records(const code::Function& function) {
  static const RE2 source(R"((?i)session|\bdb\b|database|connection|\bconn\b|repositor)");
  for (const auto& parameter : function.parameters)
    if (RE2::PartialMatch(parameter.annotation, source) || RE2::PartialMatch(parameter.default_value, source) ||
        RE2::PartialMatch(parameter.name, source))
      return true;
  bool found = false;
  function.body.walk([&](const code::Node& node) {
    if (found || node.is("function_definition") || node.is("lambda")) return false;
    if (node.is("await")) {
      found = true;
      return false;
    }
    if (node.is("call") && node.field("function").is("attribute")) {
      const std::string_view method = node.field("function").field("attribute").text();
      found = method == "exec" || method == "execute" || method == "query" || method == "scalars" ||
              method == "all" || method == "fetch_all" || method == "find" || method == "filter";
    }
    return !found;
  });
  return found;
}

class CollectionPaginationCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return judges_application_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !judges_path(file.file().path)) return;
    for (const Route& route : routes(*module)) {
      if (route.verb != "get") continue;
      const code::Function& function = module->functions[static_cast<std::size_t>(route.function)];
      std::string type;
      for (const auto& argument : route.decorator->arguments)
        if (argument.keyword == "response_model") type = argument.text;
      if (type.empty()) type = return_annotation(function);
      if (!is_list_type(type)) continue;
      // Pagination parameters bound the result; so does a list of keys the
      // caller sends (GET /services?ids=1&ids=2 returns at most those).
      bool bounded = false;
      for (const auto& parameter : function.parameters)
        bounded = bounded || pagination_parameter(parameter) || is_list_type(parameter.annotation);
      if (bounded || !reads_stored_records(function)) continue;
      out.report(function.name_range,
                 fmt::format("GET route '{}'{} returns a collection ({}) without pagination parameters; take "
                             "limit/offset, a page or a cursor",
                             function.name, route.path.empty() ? "" : fmt::format(" ({})", route.path), type));
    }
  }

 private:
  static std::string return_annotation(const code::Function& function) {
    const code::Node type = function.node.field("return_type");
    return type ? std::string(type.text()) : std::string{};
  }
};

}  // namespace collection_pagination_check
}  // namespace

std::unique_ptr<engine::Check> make_collection_pagination_check() {
  return engine::make_check<collection_pagination_check::CollectionPaginationCheck>();
}

}  // namespace constable::checks::fastapi
