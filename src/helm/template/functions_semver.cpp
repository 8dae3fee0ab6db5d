// Sprig's semver and semverCompare.

#include <fmt/format.h>

#include "helm/template/functions.hpp"
#include "helm/template/semver.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

class VersionObject : public Object {
 public:
  explicit VersionObject(SemVersion v) : v_(std::move(v)) {}
  std::string type_name() const override { return "*semver.Version"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Major") return Value::of_int(static_cast<std::int64_t>(v_.major));
    if (name == "Minor") return Value::of_int(static_cast<std::int64_t>(v_.minor));
    if (name == "Patch") return Value::of_int(static_cast<std::int64_t>(v_.patch));
    if (name == "Prerelease") return Value::of(v_.prerelease);
    if (name == "Metadata") return Value::of(v_.metadata);
    if (name == "Original") return Value::of(v_.original);
    if (name == "String") return Value::of(v_.to_string());
    return std::nullopt;
  }
  std::string to_string() const override { return v_.to_string(); }

 private:
  SemVersion v_;
};

}  // namespace

void add_semver_functions(FunctionTable& t) {
  using P = Param;
  t["semver"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                           auto v = parse_semver(a[0].string);
                           if (!v) return func_error("Invalid Semantic Version");
                           return Value::of(std::shared_ptr<const Object>(std::make_shared<VersionObject>(*v)));
                         }};
  t["semverCompare"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                                  auto v = parse_semver(a[1].string);
                                  std::string error;
                                  // The constraint is parsed first, as Sprig does.
                                  SemVersion probe;
                                  if (!semver_satisfies(a[0].string, probe, &error)) return func_error(error);
                                  if (!v) return func_error("Invalid Semantic Version");
                                  auto ok = semver_satisfies(a[0].string, *v, &error);
                                  if (!ok) return func_error(error);
                                  return Value::of(*ok);
                                }};
}

}  // namespace constable::helm::tmpl
