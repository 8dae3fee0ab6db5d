#pragma once
// A small typed model of one source file, built once from its syntax tree
// and shared by every check (the engine's parse-once rule): what it imports,
// defines, calls and renders. Python and TypeScript share the shapes; each
// field says where a language differs. The model owns a copy of the text
// its tree and nodes point into, so it can be moved and handed on freely.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "code/syntax.hpp"
#include "core/types.hpp"

namespace constable::code {

// `from fastapi import Depends as D`: module "fastapi", name "Depends",
// alias "D". `import os.path`: module "os.path", name "". TypeScript:
// `import x from "m"` name "default", `import * as ns from "m"` name "*",
// `import { a as b } from "m"` name "a" alias "b", `import "m"` name "",
// `const x = require("m")` name "default".
struct Import {
  std::string module;
  std::string name;
  std::string alias;
  SourceRange range;
  bool type_only = false;  // TypeScript `import type`
  // The name the import binds in the file: the alias, else the name, else
  // the module's first component (Python's `import os.path` binds `os`).
  std::string_view bound_name() const;
};

// One argument of a call: `keyword` is "" when positional. `text` is the
// argument's source; `value` its string value when it is a plain string
// literal.
struct Argument {
  std::string keyword;
  std::string text;
  std::optional<std::string> value;
  SourceRange range;
  Node node;
};

struct Call {
  std::string callee;  // the callee's source with whitespace removed: "app.get", "Field", "router.post"
  std::vector<Argument> arguments;
  SourceRange range;
  int function = -1;  // index of the innermost enclosing Function, -1 at module or class level
  Node node;

  const Argument* keyword(std::string_view name) const;
  const Argument* positional(std::size_t index) const;
  // The last component of the callee: "get" for "app.get".
  std::string_view method() const;
};

struct Parameter {
  std::string name;
  std::string annotation;     // "" when none
  std::string default_value;  // "" when none
  SourceRange range;
};

// A decorator: `@app.get("/items")` has callee "app.get" and one argument;
// `@staticmethod` has callee "staticmethod" and is_call false.
struct Decorator {
  std::string callee;
  std::vector<Argument> arguments;
  bool is_call = false;
  SourceRange range;
};

// A function, method or (TypeScript) a named arrow function or function
// expression bound by `const name = ...`.
struct Function {
  std::string name;
  bool is_async = false;
  std::vector<Parameter> parameters;
  std::vector<Decorator> decorators;
  int owner_class = -1;      // index into Module::classes for a method
  int enclosing = -1;        // index of the enclosing Function, -1 when none
  bool exported = false;     // TypeScript `export`
  bool default_export = false;
  SourceRange range;         // the whole definition
  SourceRange name_range;
  Node node;
  Node body;
};

// A class-level field: `name: str = Field(index=True)`, `__tablename__ = "x"`,
// TypeScript `name = 1`.
struct Field {
  std::string name;
  std::string annotation;
  std::string value;  // source of the value, "" when none
  int call = -1;      // index into Module::calls when the value is a call
  SourceRange range;
};

struct Class {
  std::string name;
  std::vector<std::string> bases;   // source of each base: "SQLModel", "models.Model"
  std::vector<Argument> keywords;   // Python class keywords: `table=True`
  std::vector<Decorator> decorators;
  std::vector<Field> fields;
  SourceRange range;
  SourceRange name_range;
  Node node;
  Node body;

  bool has_base(std::string_view base) const;
  const Argument* keyword(std::string_view name) const;
  const Field* field(std::string_view name) const;
};

// A module-level assignment (`engine = create_engine(url)`, TypeScript
// `const config = {...}`).
struct Assignment {
  std::string target;
  std::string value;
  int call = -1;  // index into Module::calls when the value is a call
  SourceRange range;
  Node value_node{};
};

// A dotted read of identifiers: `settings.database_url`, `process.env.API_KEY`.
// Only the outermost chain of each expression is recorded.
struct AttributeRead {
  std::string path;
  SourceRange range;
  int function = -1;
};

struct StringLiteral {
  std::string value;  // without quotes; escapes as written; interpolations kept as source
  SourceRange range;
};

struct JsxAttribute {
  std::string name;
  std::string value;  // the string value, or the source of an expression `{...}`, "" when bare
  SourceRange range;
};

struct JsxElement {
  std::string tag;  // "img", "Image", "Foo.Bar"
  std::vector<JsxAttribute> attributes;
  SourceRange range;
  int function = -1;

  const JsxAttribute* attribute(std::string_view name) const;
};

// A TypeScript export: `export function GET`, `export const POST = ...`,
// `export default ...` (name "default"), `export { a as b }` (name "b").
struct Export {
  std::string name;
  SourceRange range;
};

struct SyntaxError {
  SourceRange range;
  std::string message;  // "unexpected `)`", "missing `:`"
};

struct Module {
  Language language = Language::python;
  std::vector<Import> imports;
  std::vector<Function> functions;
  std::vector<Class> classes;
  std::vector<Call> calls;
  std::vector<Assignment> assignments;
  std::vector<AttributeRead> attribute_reads;
  std::vector<StringLiteral> strings;
  std::vector<JsxElement> jsx_elements;
  std::vector<Export> exports;
  std::vector<std::string> directives;  // "use client", "use server" (TypeScript, the file's prologue)
  std::vector<SyntaxError> errors;      // the first few; what parsed is still in the model
  std::optional<SyntaxTree> tree;       // absent when the file could not be parsed at all
  std::string failure;                  // why not, when `tree` is absent
  std::shared_ptr<const std::string> source;  // the text `tree` and every Node point into

  // The import that binds `name` in this file, or null.
  const Import* import_binding(std::string_view name) const;
  // Whether the file imports `module` (or a submodule of it, for Python).
  bool imports_module(std::string_view module) const;
  // What a local name refers to, through the imports: "Depends" bound by
  // `from fastapi import Depends` gives "fastapi.Depends"; `np.array` with
  // `import numpy as np` gives "numpy.array". A name no import binds is
  // returned as it is.
  std::string qualified(std::string_view dotted) const;
  bool has_directive(std::string_view directive) const;
  const Function* function(std::string_view name) const;
  const Class* class_named(std::string_view name) const;
};

// How many syntax errors a model keeps: one is enough to say the file did
// not parse; the rest are usually consequences of the first.
inline constexpr std::size_t kMaxSyntaxErrors = 3;

// Parses `text` (copied) as `language` and builds its model. Never fails: a
// file that cannot be parsed gives an empty model with `failure` set; a file
// with syntax errors gives what parsed and `errors`.
Module build_module(Language language, std::string_view text);

// The model of a file at `path` (its language from the extension), or
// nullopt when no grammar reads it.
std::optional<Module> build_module_for(std::string_view path, std::string_view text);

}  // namespace constable::code
