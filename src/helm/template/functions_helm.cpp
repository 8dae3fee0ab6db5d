// Helm's own functions: include, tpl, required, fail, lookup, plus the
// Sprig functions constable deliberately does not implement (hashing
// passwords, encryption, DNS), which fail with an "unsupported" problem.

#include <fmt/format.h>

#include "helm/template/eval.hpp"
#include "helm/template/functions.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

}  // namespace

void add_helm_functions(FunctionTable& t) {
  using P = Param;
  t["include"] = Function{{P::string, P::any}, false, [](Call& c, Args a) -> Expected<Value> {
                            return c.evaluator->execute_named(a[0].string, a[1]);
                          }};
  t["tpl"] = Function{{P::string, P::dict}, false, [](Call& c, Args a) -> Expected<Value> {
                        std::string name;
                        if (a[1].kind == Kind::dict)
                          if (const auto tmpl = a[1].dict->find("Template"); tmpl != a[1].dict->end() && tmpl->second.is_dict())
                            if (const auto n = tmpl->second.dict->find("Name"); n != tmpl->second.dict->end() && n->second.is_string())
                              name = n->second.string;
                        if (name.empty()) return func_error("cannot retrieve Template.Name from values inside tpl function: " + a[0].string);
                        auto out = c.evaluator->execute_text(a[0].string, name, a[1]);
                        if (!out) return std::unexpected(out.error());
                        return Value::of(std::move(*out));
                      }};
  t["required"] = Function{{P::string, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                             if (a[1].is_nil() || (a[1].is_string() && a[1].string.empty()))
                               return func_error(a[0].string, ErrorKind::fail);
                             return a[1];
                           }};
  t["fail"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return func_error(a[0].string, ErrorKind::fail); }};
  // `helm template` has no cluster: lookup always finds nothing.
  t["lookup"] = Function{{P::string, P::string, P::string, P::string}, false,
                         [](Call&, Args) -> Expected<Value> { return Value::empty_dict(); }};
  // genCA, genSignedCert, ... are functions_crypto.cpp's.
  for (const char* name : {"derivePassword", "buildCustomCert", "encryptAES", "decryptAES", "bcrypt", "htpasswd",
                           "getHostByName", "randBytes", "toToml"}) {
    t[name] = Function{{P::any}, true, [name](Call&, Args) -> Expected<Value> {
                         return func_error(fmt::format("function \"{}\" is not supported by constable's Helm renderer", name),
                                           ErrorKind::unsupported);
                       }};
  }
}

}  // namespace constable::helm::tmpl
