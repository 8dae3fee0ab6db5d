#pragma once
// What a `.yaml` file that is not YAML looks like: a README pasted into
// `deploy.yaml`, a Go template kept outside a chart's templates/. The
// parser's own message ("could not find expected ':'") says where it gave
// up, not what the file is; this says what it is.

#include <optional>
#include <string>
#include <string_view>

namespace constable::yaml {

struct Lookalike {
  std::string message;  // "the file looks like Markdown, not YAML (...)"
  int line = 1;         // the first line that shows it (a heading, a `{{`)
};

// Only for text the YAML parser rejected: nullopt when it looks like YAML
// gone wrong (an indentation slip, a stray tab), so the parser's message
// stands. Judges lines outside YAML block scalars, Markdown code fences and
// inline code, so a YAML file that quotes Markdown or templates in its
// values is not mistaken for one.
std::optional<Lookalike> lookalike(std::string_view text);

}  // namespace constable::yaml
