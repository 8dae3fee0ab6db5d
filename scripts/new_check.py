#!/usr/bin/env python3
"""Scaffolds a new check: source file, factory declaration, sorted
registration and fixtures. Usage: scripts/new_check.py DOMAIN NAME
(e.g. `scripts/new_check.py docker no-sudo`)."""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXTENSIONS = {"docker": "Dockerfile"}
KINDS = {"docker": "dockerfile"}


def fail(message: str) -> None:
    print(f"new_check: {message}", file=sys.stderr)
    sys.exit(2)


def main() -> None:
    if len(sys.argv) != 3:
        fail("usage: scripts/new_check.py DOMAIN NAME")
    domain, name = sys.argv[1], sys.argv[2]
    if not re.fullmatch(r"[a-z][a-z0-9-]*", domain) or not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        fail("DOMAIN and NAME are lower-case words separated by '-'")
    check_id = f"{domain}/{name}"
    ident = name.replace("-", "_")
    checks_dir = ROOT / "src" / "checks" / domain
    header = checks_dir / f"{domain}_checks.hpp"
    module = checks_dir / f"{domain}_module.cpp"
    source = checks_dir / f"{ident}.cpp"
    if not header.exists() or not module.exists():
        fail(f"domain '{domain}' has no {header.name} / {module.name}; create the domain module first")
    if source.exists():
        fail(f"{source.relative_to(ROOT)} already exists")
    kind = KINDS.get(domain, "other")
    class_name = "".join(part.capitalize() for part in name.split("-")) + "Check"

    source.write_text(f'''// {check_id}: TODO one line saying what this check enforces.

#include <fmt/format.h>

#include "checks/{domain}/{domain}_checks.hpp"

namespace constable::checks::{domain} {{

namespace {{
namespace {ident}_check {{

constexpr engine::CheckInfo kInfo{{
    .id = "{check_id}",
    .domain = "{domain}",
    .nature = Nature::maintainability,
    .summary = "TODO imperative one-line summary",
    .rationale = "TODO why the rule exists.",
    .remediation = "TODO how to fix a finding.",
    .bad_example = "TODO a snippet that fires\\n",
    .good_example = "TODO a snippet that passes every check of the domain\\n",
    .parameters = "",
    .clause = {{.section = "TODO section pattern", .text = "TODO clause pattern"}},
    .file_kind = FileKind::{kind},
    .stack = "{domain}",
}};

class {class_name} final : public engine::Check {{
 public:
  const engine::CheckInfo& info() const override {{ return kInfo; }}

  void check(const engine::FileContext& file, engine::Emitter& out) const override {{
    (void)file;
    (void)out;  // TODO: out.report(range, "what is wrong with the offending thing");
  }}
}};

}}  // namespace {ident}_check
}}  // namespace

std::unique_ptr<engine::Check> make_{ident}_check() {{
  return engine::make_check<{ident}_check::{class_name}>();
}}

}}  // namespace constable::checks::{domain}
''')

    # Declare the factory next to the others, in order.
    text = header.read_text()
    declarations = re.findall(r"std::unique_ptr<engine::Check> make_(\w+)_check\(\);\n", text)
    declaration = f"std::unique_ptr<engine::Check> make_{ident}_check();\n"
    after = [d for d in declarations if d > ident]
    if after:
        anchor = f"std::unique_ptr<engine::Check> make_{after[0]}_check();\n"
        text = text.replace(anchor, declaration + anchor, 1)
    elif declarations:
        anchor = f"std::unique_ptr<engine::Check> make_{declarations[-1]}_check();\n"
        text = text.replace(anchor, anchor + declaration, 1)
    else:
        fail(f"no factory declarations found in {header.name}")
    header.write_text(text)

    # Register in id order.
    text = module.read_text()
    entries = re.findall(r"(      &make_(\w+)_check,\s*// (\S+)\n)", text)
    new_entry = f"      &make_{ident}_check,  // {check_id}\n"
    later = [e for e in entries if e[2] > check_id]
    if later:
        text = text.replace(later[0][0], new_entry + later[0][0], 1)
    elif entries:
        text = text.replace(entries[-1][0], entries[-1][0] + new_entry, 1)
    else:
        fail(f"no registrations found in {module.name}")
    module.write_text(text)

    fixtures = ROOT / "tests" / "fixtures" / domain / name
    fixtures.mkdir(parents=True, exist_ok=False)
    ext = EXTENSIONS.get(domain, "txt")
    (fixtures / f"fire.{ext}").write_text(f"# TODO: a file that violates the clause\n# expect: {check_id}\n")
    (fixtures / f"silent.{ext}").write_text("# TODO: a file that satisfies every check of the domain\n")

    for path in (source, header, module, fixtures / f"fire.{ext}", fixtures / f"silent.{ext}"):
        print(f"wrote {path.relative_to(ROOT)}")
    print("next: fill in the TODOs, then `make docs` and `make test`")


if __name__ == "__main__":
    main()
