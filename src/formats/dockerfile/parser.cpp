// Hand-written Dockerfile parser following BuildKit's reading rules: parser
// directives, continuations, comments, heredocs, flags, exec form and stages.
// Never throws, never stops early: problems become ParseError values.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"
#include "formats/dockerfile/printable.hpp"

namespace constable::dockerfile {

std::string detail::printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, std::min<std::size_t>(s.size(), 40))) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (s.size() > 40) out += "...";
  return out;
}

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::size_t leading_ws(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_ws(s[i])) ++i;
  return i;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

int to_int(std::size_t v) { return v > 0x7fffffffU ? 0x7fffffff : static_cast<int>(v); }

using detail::printable;

const char* const kKnownKeywords[] = {"FROM",   "RUN",        "CMD",    "LABEL", "MAINTAINER", "EXPOSE",
                                      "ENV",    "ADD",        "COPY",   "ENTRYPOINT", "VOLUME", "USER",
                                      "WORKDIR", "ARG",       "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};

bool is_known_keyword(std::string_view k) {
  return std::any_of(std::begin(kKnownKeywords), std::end(kKnownKeywords),
                     [&](const char* known) { return k == known; });
}

bool takes_exec_form(std::string_view k) {
  return k == "RUN" || k == "CMD" || k == "ENTRYPOINT" || k == "SHELL" || k == "COPY" || k == "ADD" ||
         k == "VOLUME";
}

bool takes_heredocs(std::string_view k) { return k == "RUN" || k == "COPY" || k == "ADD"; }

// A line ending with the escape character (optionally followed by
// whitespace) continues: returns the line without it and true.
std::pair<std::string_view, bool> strip_continuation(std::string_view line, char escape) {
  std::string_view t = line;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (!t.empty() && t.back() == escape) {
    t.remove_suffix(1);
    return {t, true};
  }
  return {line, false};
}


std::optional<std::uint32_t> hex4(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) return std::nullopt;
  std::uint32_t v = 0;
  for (std::size_t k = at; k < at + 4; ++k) {
    const char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
    else return std::nullopt;
  }
  return v;
}

// A JSON array of strings (the exec form), or nullopt: iterative, bounded,
// no recursion, so hostile input cannot exhaust the stack.
std::optional<std::vector<std::string>> parse_json_string_array(std::string_view s) {
  std::size_t i = leading_ws(s);
  if (i >= s.size() || s[i] != '[') return std::nullopt;
  ++i;
  std::vector<std::string> out;
  auto skip = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  };
  skip();
  if (i < s.size() && s[i] == ']') {
    ++i;
  } else {
    for (;;) {
      skip();
      if (i >= s.size() || s[i] != '"') return std::nullopt;
      ++i;
      std::string str;
      bool closed = false;
      while (i < s.size()) {
        const char c = s[i];
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
        if (c != '\\') {
          str += c;
          ++i;
          continue;
        }
        if (i + 1 >= s.size()) return std::nullopt;
        const char e = s[i + 1];
        i += 2;
        switch (e) {
          case '"': str += '"'; break;
          case '\\': str += '\\'; break;
          case '/': str += '/'; break;
          case 'b': str += '\b'; break;
          case 'f': str += '\f'; break;
          case 'n': str += '\n'; break;
          case 'r': str += '\r'; break;
          case 't': str += '\t'; break;
          case 'u': {
            auto cp = hex4(s, i);
            if (!cp) return std::nullopt;
            i += 4;
            std::uint32_t code = *cp;
            if (code >= 0xD800 && code <= 0xDBFF) {
              std::optional<std::uint32_t> low;
              if (i + 1 < s.size() && s[i] == '\\' && s[i + 1] == 'u') low = hex4(s, i + 2);
              if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
                code = 0x10000 + ((code - 0xD800) << 10) + (*low - 0xDC00);
                i += 6;
              } else {
                code = 0xFFFD;
              }
            } else if (code >= 0xDC00 && code <= 0xDFFF) {
              code = 0xFFFD;
            }
            text::append_utf8(str, code);
            break;
          }
          default: return std::nullopt;
        }
      }
      if (!closed) return std::nullopt;
      out.push_back(std::move(str));
      skip();
      if (i >= s.size()) return std::nullopt;
      if (s[i] == ',') {
        ++i;
        continue;
      }
      if (s[i] == ']') {
        ++i;
        break;
      }
      return std::nullopt;
    }
  }
  skip();
  if (i != s.size()) return std::nullopt;
  return out;
}

// A whitespace-separated word of `s`, quotes grouping, escapes kept.
struct Word {
  std::size_t start = 0;
  std::string_view raw;
};

std::vector<Word> split_words(std::string_view s, char escape) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_ws(s[i])) ++i;
    if (i >= s.size()) break;
    const std::size_t start = i;
    char quote = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (quote == 0 && is_ws(c)) break;
      if (c == escape && quote != '\'') {
        i += (i + 1 < s.size()) ? 2 : 1;
        continue;
      }
      if (quote == 0 && (c == '"' || c == '\'')) quote = c;
      else if (quote != 0 && c == quote) quote = 0;
      ++i;
    }
    words.push_back({start, s.substr(start, i - start)});
  }
  return words;
}

// Removes quotes and escapes as the shell would (no expansion): single
// quotes are literal; inside double quotes only `"`, `$` and the escape
// character can be escaped.
std::string unquote(std::string_view s, char escape) {
  std::string out;
  out.reserve(s.size());
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote == '\'') {
      if (c == '\'') quote = 0;
      else out += c;
      continue;
    }
    if (c == escape && i + 1 < s.size()) {
      const char n = s[i + 1];
      if (quote == '"' && n != '"' && n != '$' && n != escape) {
        out += c;
        continue;
      }
      out += n;
      ++i;
      continue;
    }
    if (quote == '"') {
      if (c == '"') quote = 0;
      else out += c;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    out += c;
  }
  return out;
}

struct HeredocMarker {
  std::string delimiter;
  bool strip_tabs = false;
  bool quoted = false;
  std::size_t offset = 0;  // in arguments
};

// `<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF` words (BuildKit: ^\d*<<(-?)([^<]*)$).
std::vector<HeredocMarker> find_heredocs(std::string_view args, char escape) {
  std::vector<HeredocMarker> out;
  for (const Word& w : split_words(args, escape)) {
    std::string_view r = w.raw;
    std::size_t k = 0;
    while (k < r.size() && r[k] >= '0' && r[k] <= '9') ++k;
    if (r.substr(k, 2) != "<<") continue;
    k += 2;
    HeredocMarker m;
    if (k < r.size() && r[k] == '-') {
      m.strip_tabs = true;
      ++k;
    }
    std::string_view name = r.substr(k);
    if (name.empty() || name.find('<') != std::string_view::npos) continue;
    m.quoted = name.find('"') != std::string_view::npos || name.find('\'') != std::string_view::npos;
    m.delimiter = unquote(name, escape);
    if (m.delimiter.empty()) continue;
    m.offset = w.start;
    out.push_back(std::move(m));
  }
  return out;
}

std::string_view strip_leading_tabs(std::string_view s) {
  while (!s.empty() && s.front() == '\t') s.remove_prefix(1);
  return s;
}

struct Segment {
  std::size_t offset = 0;  // in the logical line
  int line = 0;
  int column = 0;
};

// Spans of arguments = logical.substr(start, length), from the logical line's segments.
std::vector<Instruction::Span> spans_for(const std::vector<Segment>& segs, std::size_t start, std::size_t length) {
  std::vector<Instruction::Span> spans;
  for (std::size_t k = 0; k < segs.size(); ++k) {
    const std::size_t seg_end = (k + 1 < segs.size()) ? segs[k + 1].offset : static_cast<std::size_t>(-1);
    if (seg_end <= start && k + 1 < segs.size()) continue;
    if (segs[k].offset >= start + length && !spans.empty()) break;
    const std::size_t from = std::max(segs[k].offset, start);
    spans.push_back({from - start, segs[k].line, segs[k].column + to_int(from - segs[k].offset)});
  }
  return spans;
}

Instruction::Position position_in(const std::vector<Segment>& segs, std::size_t offset) {
  auto it = std::upper_bound(segs.begin(), segs.end(), offset,
                             [](std::size_t o, const Segment& s) { return o < s.offset; });
  if (it == segs.begin()) return {segs.empty() ? 0 : segs.front().line, 0};
  --it;
  return {it->line, it->column + to_int(offset - it->offset)};
}

// Reads `# name=value` parser directives at the top; returns the index of
// the first line that is not a directive.
std::size_t read_directives(const std::vector<std::string_view>& lines, Dockerfile& df) {
  std::size_t i = 0;
  for (; i < lines.size(); ++i) {
    std::string_view t = text::trim(lines[i]);
    if (t.empty() || t.front() != '#') break;
    t.remove_prefix(1);
    const std::size_t eq = t.find('=');
    if (eq == std::string_view::npos) break;
    const std::string_view name = text::trim(t.substr(0, eq));
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }))
      break;
    std::string lname = text::to_lower(name);
    if (lname != "escape" && lname != "syntax" && lname != "check") break;
    const int line = to_int(i + 1);
    if (std::any_of(df.directives.begin(), df.directives.end(),
                    [&](const Directive& d) { return d.name == lname; })) {
      df.errors.push_back({"only one '" + lname + "' parser directive can be used", line, 1});
      break;
    }
    std::string value(text::trim(t.substr(eq + 1)));
    if (lname == "escape") {
      if (value == "`" || value == "\\") df.escape = value[0];
      else df.errors.push_back({"invalid escape token '" + printable(value) + "' does not match ` or \\", line, 1});
    }
    df.directives.push_back({std::move(lname), std::move(value), line});
  }
  return i;
}

void parse_flags(std::string_view rest, std::size_t base, const std::vector<Segment>& segs, Instruction& ins,
                 std::size_t& consumed) {
  std::size_t i = 0;
  for (;;) {
    std::size_t j = i;
    while (j < rest.size() && is_ws(rest[j])) ++j;
    if (rest.substr(j, 2) != "--") break;
    // A flag token runs to the next whitespace outside quotes.
    std::size_t k = j;
    char quote = 0;
    while (k < rest.size() && (quote != 0 || !is_ws(rest[k]))) {
      if (quote == 0 && (rest[k] == '"' || rest[k] == '\'')) quote = rest[k];
      else if (quote != 0 && rest[k] == quote) quote = 0;
      ++k;
    }
    std::string_view tok = rest.substr(j + 2, k - j - 2);
    Flag f;
    const std::size_t eq = tok.find('=');
    if (eq == std::string_view::npos) {
      f.name = std::string(tok);
    } else {
      f.name = std::string(tok.substr(0, eq));
      f.value = unquote(tok.substr(eq + 1), ins.escape);
    }
    const auto pos = position_in(segs, base + j);
    f.line = pos.line;
    f.column = pos.column;
    ins.flags.push_back(std::move(f));
    i = k;
  }
  consumed = i;
}

void build_stages(Dockerfile& df) {
  const auto& defaults = df.global_arg_defaults();
  std::map<std::string, int, std::less<>> last_stage_named;  // a later stage of the same name wins
  for (std::size_t idx = 0; idx < df.instructions.size(); ++idx) {
    const Instruction& ins = df.instructions[idx];
    if (ins.keyword != "FROM") continue;
    Stage st;
    st.index = to_int(df.stages.size());
    st.from = idx;
    for (const Flag& f : ins.flags)
      if (f.name == "platform") st.platform = f.value;
    const auto words = split_words(ins.arguments, ins.escape);
    if (words.empty()) {
      df.errors.push_back({"FROM requires an image", ins.line, ins.column});
    } else {
      st.image = std::string(words[0].raw);
      if (words.size() == 3 && text::iequals(words[1].raw, "AS")) {
        st.name = text::to_lower(words[2].raw);
        // BuildKit: ^[a-z][a-z0-9-_.]*$
        const bool valid = st.name.front() >= 'a' && st.name.front() <= 'z' &&
                           std::all_of(st.name.begin(), st.name.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                                    c == '.';
                           });
        if (!valid) {
          const auto pos = ins.position_of(words[2].start);
          df.errors.push_back({"invalid stage name '" + printable(words[2].raw) + "'", pos.line, pos.column});
        }
      } else if (words.size() != 1) {
        const auto pos = ins.position_of(words[1].start);
        df.errors.push_back({words.size() == 2 && text::iequals(words[1].raw, "AS")
                                 ? "FROM: missing stage name after 'AS'"
                                 : "FROM: unexpected arguments after the image (expected 'FROM image [AS name]')",
                             pos.line, pos.column});
      }
      bool unresolved = false;
      st.resolved_image = expand_variables(st.image, defaults, ins.escape, &unresolved);
      st.unresolved = unresolved;
      const std::string lowered = text::to_lower(st.resolved_image);
      if (const auto named = last_stage_named.find(lowered); named != last_stage_named.end())
        st.parent_stage = named->second;
    }
    if (!st.name.empty()) last_stage_named[st.name] = st.index;
    df.stages.push_back(std::move(st));
  }
  for (std::size_t s = 0; s < df.stages.size(); ++s) {
    df.stages[s].last =
        (s + 1 < df.stages.size()) ? df.stages[s + 1].from - 1 : df.instructions.size() - 1;
  }
}

}  // namespace

Instruction::Position Instruction::position_of(std::size_t offset) const {
  auto it = std::upper_bound(argument_spans.begin(), argument_spans.end(), offset,
                             [](std::size_t o, const Span& s) { return o < s.offset; });
  if (it == argument_spans.begin()) return {line, 0};
  --it;
  return {it->line, it->column + to_int(offset - it->offset)};
}

Dockerfile Dockerfile::parse(std::string_view input) {
  Dockerfile df;
  const std::string_view text = text::strip_bom(input);
  if (text.find('\0') != std::string_view::npos) {
    df.errors.push_back({"binary content", 1, 1});
    return df;
  }
  df.lines = text::split_lines(text);
  const auto& lines = df.lines;
  const std::size_t n = lines.size();

  std::size_t i = read_directives(lines, df);
  const char escape = df.escape;

  while (i < n) {
    const std::string_view raw = lines[i];
    const std::size_t ws = leading_ws(raw);
    const std::string_view content = raw.substr(ws);
    if (rtrim(content).empty() || content.front() == '#') {
      ++i;
      continue;
    }
    Instruction ins;
    ins.escape = escape;
    ins.line = to_int(i + 1);
    ins.column = to_int(ws + 1);

    std::string logical;
    std::vector<Segment> segs;
    auto [piece, cont] = strip_continuation(content, escape);
    segs.push_back({0, ins.line, ins.column});
    logical.append(piece);
    std::size_t j = i + 1;
    while (cont && j < n) {
      const std::string_view l = lines[j];
      const std::string_view t = text::trim(l);
      if (t.empty() || t.front() == '#') {
        ++j;
        continue;
      }
      auto [p, c] = strip_continuation(l, escape);
      segs.push_back({logical.size(), to_int(j + 1), 1});
      logical.append(p);
      cont = c;
      ++j;
    }
    ins.end_line = to_int(j);

    // Keyword.
    std::size_t kw_end = 0;
    while (kw_end < logical.size() && !is_ws(logical[kw_end])) ++kw_end;
    ins.keyword = text::to_upper(std::string_view(logical).substr(0, kw_end));
    if (!is_known_keyword(ins.keyword))
      df.errors.push_back({"unknown instruction '" + printable(ins.keyword) + "'", ins.line, ins.column});

    // Flags, then arguments.
    std::size_t consumed = 0;
    const std::string_view rest = std::string_view(logical).substr(kw_end);
    parse_flags(rest, kw_end, segs, ins, consumed);
    std::size_t a_start = kw_end + consumed;
    std::size_t a_end = logical.size();
    while (a_start < a_end && is_ws(logical[a_start])) ++a_start;
    while (a_end > a_start && is_ws(logical[a_end - 1])) --a_end;
    ins.arguments = logical.substr(a_start, a_end - a_start);
    ins.argument_spans = spans_for(segs, a_start, a_end - a_start);
    if (!ins.arguments.empty()) {
      const auto pos = position_in(segs, a_start);
      ins.args_column = pos.line == ins.line ? pos.column : 0;
    }

    if (takes_exec_form(ins.keyword) && !ins.arguments.empty() && ins.arguments.front() == '[') {
      if (auto arr = parse_json_string_array(ins.arguments)) {
        ins.exec_form = true;
        ins.exec_args = std::move(*arr);
      }
    }

    if (takes_heredocs(ins.keyword) && !ins.exec_form) {
      bool reported = false;  // one error per instruction for unterminated heredocs
      for (HeredocMarker& m : find_heredocs(ins.arguments, escape)) {
        Heredoc h;
        h.delimiter = std::move(m.delimiter);
        h.strip_tabs = m.strip_tabs;
        h.quoted = m.quoted;
        h.line = to_int(j + 1);
        bool terminated = false;
        while (j < n) {
          const std::string_view body_line = h.strip_tabs ? strip_leading_tabs(lines[j]) : lines[j];
          ++j;
          if (body_line == h.delimiter) {
            terminated = true;
            break;
          }
          h.content.append(body_line);
          h.content += '\n';
        }
        if (!terminated && !reported) {
          reported = true;
          const auto pos = ins.position_of(m.offset);
          df.errors.push_back({"unterminated heredoc '" + printable(h.delimiter) + "'", pos.line,
                               pos.column == 0 ? ins.column : pos.column});
        }
        ins.heredocs.push_back(std::move(h));
      }
      ins.end_line = std::max(ins.end_line, to_int(j));
    }

    df.instructions.push_back(std::move(ins));
    i = j;
  }

  // Instructions before the first FROM.
  const auto first_from = std::find_if(df.instructions.begin(), df.instructions.end(),
                                       [](const Instruction& x) { return x.keyword == "FROM"; });
  if (first_from == df.instructions.end()) {
    if (!df.instructions.empty()) df.errors.push_back({"no FROM instruction", 1, 1});
  } else {
    for (auto it = df.instructions.begin(); it != first_from; ++it) {
      if (it->keyword == "ARG") {
        df.global_args.push_back(static_cast<std::size_t>(it - df.instructions.begin()));
      } else if (is_known_keyword(it->keyword)) {
        df.errors.push_back({"instruction before FROM: only ARG may precede the first FROM, found '" +
                                 it->keyword + "'",
                             it->line, it->column});
      }
    }
    // Global ARG defaults, expanded once; a value past the expansion limits is reported.
    const std::map<std::string, std::string> none;
    VariableScope globals(escape, none);
    for (std::size_t idx : df.global_args) globals.apply(df.instructions[idx]);
    df.global_defaults_ = globals.variables();
    if (globals.limit_error()) df.errors.push_back(*globals.limit_error());
    build_stages(df);
    // Every stage's ARG and ENV values, expanded once as a build would, so
    // that a value past the limits is reported where it is written.
    if (!globals.limit_error()) {
      VariableScope scope(df);
      for (const Stage& stage : df.stages) {
        scope.enter_stage(stage.parent_stage.has_value() && *stage.parent_stage == stage.index - 1);
        for (std::size_t k = stage.from + 1; k <= stage.last && k < df.instructions.size(); ++k)
          scope.apply(df.instructions[k]);
        if (scope.limit_error()) {
          df.errors.push_back(*scope.limit_error());
          break;
        }
      }
    }
  }
  return df;
}

std::vector<const Instruction*> Dockerfile::stage_instructions(const Stage& stage) const {
  std::vector<const Instruction*> out;
  for (std::size_t k = stage.from; k <= stage.last && k < instructions.size(); ++k) out.push_back(&instructions[k]);
  return out;
}

std::vector<const Stage*> Dockerfile::ancestry(const Stage& stage) const {
  std::vector<const Stage*> out{&stage};
  const Stage* cur = &stage;
  while (cur->parent_stage && *cur->parent_stage >= 0 && *cur->parent_stage < cur->index &&
         static_cast<std::size_t>(*cur->parent_stage) < stages.size()) {
    cur = &stages[static_cast<std::size_t>(*cur->parent_stage)];
    out.push_back(cur);
  }
  return out;
}

std::vector<KeyValue> key_values(const Instruction& ins) {
  std::vector<KeyValue> out;
  const bool is_arg = ins.keyword == "ARG";
  if (!is_arg && ins.keyword != "ENV" && ins.keyword != "LABEL") return out;
  const std::string_view args = ins.arguments;
  const auto words = split_words(args, ins.escape);
  if (words.empty()) return out;
  const auto place = [&](KeyValue& kv, std::size_t key_off, std::optional<std::size_t> value_off) {
    const auto kp = ins.position_of(key_off);
    kv.line = kp.line;
    kv.column = kp.column;
    if (value_off) kv.value_column = ins.position_of(*value_off).column;
  };
  const bool legacy = !is_arg && words[0].raw.find('=') == std::string_view::npos;
  if (legacy) {
    KeyValue kv;
    kv.key = unquote(words[0].raw, ins.escape);
    std::optional<std::size_t> value_off;
    if (words.size() > 1) {
      value_off = words[1].start;
      kv.value = unquote(args.substr(words[1].start), ins.escape);
      kv.has_value = true;
    }
    place(kv, words[0].start, value_off);
    out.push_back(std::move(kv));
    return out;
  }
  for (const Word& w : words) {
    KeyValue kv;
    const std::size_t eq = w.raw.find('=');
    std::optional<std::size_t> value_off;
    if (eq == std::string_view::npos) {
      kv.key = unquote(w.raw, ins.escape);
    } else {
      kv.key = unquote(w.raw.substr(0, eq), ins.escape);
      kv.value = unquote(w.raw.substr(eq + 1), ins.escape);
      kv.has_value = true;
      value_off = w.start + eq + 1;
    }
    place(kv, w.start, value_off);
    out.push_back(std::move(kv));
  }
  return out;
}

}  // namespace constable::dockerfile
