// Conformance of the template engine with Go's text/template, Sprig and
// Helm: each case is a template, the values it runs with, and the exact
// output (or error with its location) Helm produces.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "helm/template/eval.hpp"
#include "helm/template/parser.hpp"
#include "helm/values.hpp"

namespace constable::helm {
namespace {

struct Case {
  std::string_view name;
  std::string_view tmpl;
  std::string_view values;    // YAML for .Values
  std::string_view expected;  // output, or "ERROR <line>:<col> <message substring>"
};

std::string run(std::string_view text, std::string_view values_yaml) {
  static const std::string kValuesFile = "values.yaml";
  const auto& functions = tmpl::standard_functions();
  auto parsed = tmpl::parse("t.yaml", "t.yaml", text, [&](std::string_view n) { return functions.contains(n); });
  if (!parsed) return fmt::format("ERROR {}:{} {}", parsed.error().line, parsed.error().column, parsed.error().message);
  tmpl::TemplateSet set;
  set.add(parsed->main);
  for (auto& d : parsed->defines) set.add(d);
  auto values = parse_values(values_yaml, &kValuesFile);
  if (!values) return "BAD VALUES " + values.error().message;
  Dict data;
  data["Values"] = *values;
  Dict release;
  release["Name"] = Value::of("rel");
  release["Namespace"] = Value::of("ns");
  data["Release"] = Value::of(std::move(release));
  Dict tinfo;
  tinfo["Name"] = Value::of("t.yaml");
  tinfo["BasePath"] = Value::of("chart/templates");
  data["Template"] = Value::of(std::move(tinfo));
  tmpl::Limits limits;
  limits.max_steps = 100000;
  limits.max_items = 10000;
  limits.max_depth = 50;
  tmpl::Evaluator ev(set, functions, limits, tmpl::Determinism{});
  tmpl::Output out;
  auto r = ev.execute(*parsed->main, Value::of(std::move(data)), out);
  if (!r) return fmt::format("ERROR {}:{} {}", r.error().line, r.error().column, r.error().message);
  std::string s = out.text;
  for (auto at = s.find("<no value>"); at != std::string::npos; at = s.find("<no value>")) s.erase(at, 10);
  return s;
}

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, RendersLikeHelm) {
  const Case& c = GetParam();
  const std::string got = run(c.tmpl, c.values);
  if (c.expected.starts_with("ERROR ")) {
    // "ERROR 1:4 message": location exact, message contained.
    const auto space = c.expected.find(' ', 6);
    const std::string_view where = c.expected.substr(6, space - 6);
    const std::string_view message = c.expected.substr(space + 1);
    ASSERT_TRUE(got.starts_with("ERROR ")) << got;
    EXPECT_EQ(got.substr(6, where.size()), where) << got;
    EXPECT_NE(got.find(message), std::string::npos) << got;
  } else {
    EXPECT_EQ(got, c.expected);
  }
}

const Case kLanguage[] = {
    {"text", "hello\n", "", "hello\n"},
    {"field", "{{ .Values.name }}", "name: web", "web"},
    {"nested_field", "{{ .Values.a.b.c }}", "a: {b: {c: deep}}", "deep"},
    {"missing_key_empty", "[{{ .Values.nope }}]", "", "[]"},
    {"missing_parent_nil_pointer", "{{ .Values.a.b }}", "", "ERROR 1:4 nil pointer evaluating interface {}.b"},
    {"null_parent_nil_pointer", "x\n  {{ .Values.a.b }}", "a: null", "ERROR 2:6 nil pointer evaluating interface {}.b"},
    {"field_of_string", "{{ .Values.a.b }}", "a: s", "ERROR 1:4 can't evaluate field b in type interface {}"},
    {"float_prints_go_style", "{{ .Values.r }} {{ .Values.big }} {{ .Values.f }}", "r: 3\nbig: 1000000\nf: 0.5", "3 1e+06 0.5"},
    {"trim_markers", "a  {{- \"b\" -}}  \n c", "", "abc"},
    {"trim_keeps_other_side", "a {{- 1 }} b", "", "a1 b"},
    {"comment", "a{{/* hidden */}}b{{- /* trimmed */ -}} c", "", "abc"},
    {"variables", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "", "2"},
    {"root_variable", "{{ with .Values.a }}{{ $.Release.Name }}-{{ . }}{{ end }}", "a: x", "rel-x"},
    {"if_else_if", "{{ if eq 1 2 }}a{{ else if eq 1 1 }}b{{ else }}c{{ end }}", "", "b"},
    {"if_truthiness", "{{ if .Values.l }}L{{ end }}{{ if .Values.m }}M{{ end }}{{ if .Values.z }}Z{{ end }}{{ if \"\" }}S{{ end }}",
     "l: []\nm: {}\nz: 0", ""},
    {"with_else", "{{ with .Values.x }}{{ . }}{{ else }}none{{ end }}", "", "none"},
    {"else_with", "{{ with .Values.a }}a{{ else with .Values.b }}{{ . }}{{ end }}", "b: bee", "bee"},
    {"range_list", "{{ range .Values.l }}[{{ . }}]{{ end }}", "l: [a, b]", "[a][b]"},
    {"range_index_value", "{{ range $i, $v := .Values.l }}{{ $i }}={{ $v }};{{ end }}", "l: [a, b]", "0=a;1=b;"},
    {"range_map_sorted", "{{ range $k, $v := .Values.m }}{{ $k }}:{{ $v }} {{ end }}", "m: {b: 2, a: 1, C: 3}", "C:3 a:1 b:2 "},
    {"range_int", "{{ range 3 }}{{ . }}{{ end }}", "", "012"},
    {"range_else", "{{ range .Values.none }}x{{ else }}empty{{ end }}", "", "empty"},
    {"range_break_continue_ints", "{{ range $i := until 6 }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 4 }}{{ break }}{{ end }}{{ $i }}{{ end }}",
     "", "023"},
    {"range_over_string_fails", "{{ range \"ab\" }}{{ end }}", "", "ERROR 1:10 range can't iterate over ab"},
    {"define_template", "{{ define \"x\" }}<{{ . }}>{{ end }}{{ template \"x\" \"arg\" }}", "", "<arg>"},
    {"block", "{{ block \"b\" . }}default{{ end }}", "", "default"},
    {"include_nindent", "{{ define \"l\" }}a: 1\nb: 2{{ end }}x:{{ include \"l\" . | nindent 2 }}", "", "x:\n  a: 1\n  b: 2"},
    {"parens_and_chain", "{{ (dict \"k\" \"v\").k }}", "", "v"},
    {"pipeline_last_arg", "{{ \"a\" | printf \"%s-%s\" \"b\" }}", "", "b-a"},
    {"and_or_return_operand", "{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 \"\" \"x\" }} {{ or 0 \"\" }}", "", "0 2 x "},
    {"and_short_circuit", "{{ and false (fail \"not evaluated\") }}", "", "false"},
    {"not", "{{ not 0 }} {{ not \"a\" }}", "", "true false"},
    {"eq_multi", "{{ eq 3 1 2 3 }} {{ eq \"a\" \"b\" }}", "", "true false"},
    {"eq_missing_is_false", "{{ eq .Values.x \"a\" }}", "", "false"},
    {"eq_int_float_error", "{{ eq .Values.n 1 }}", "n: 1", "ERROR 1:4 error calling eq: incompatible types for comparison"},
    {"ne_lt_le_gt_ge", "{{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 2.5 }}", "", "true true true true false"},
    {"lt_bool_error", "{{ lt true false }}", "", "ERROR 1:4 invalid type for comparison"},
    {"len", "{{ len .Values.l }} {{ len \"abc\" }} {{ len .Values.m }}", "l: [1, 2]\nm: {a: 1}", "2 3 1"},
    {"index_nested", "{{ index .Values.m \"a\" 1 }} [{{ index .Values.m \"zz\" }}]", "m: {a: [x, z]}", "z []"},
    {"index_out_of_range", "{{ index .Values.l 5 }}", "l: [1]", "ERROR 1:4 error calling index: index out of range: 5"},
    {"slice", "{{ slice \"abcdef\" 1 3 }} {{ slice .Values.l 1 }}", "l: [a, b, c]", "bc [b c]"},
    {"print_println", "{{ print 1 2 \"a\" \"b\" 3 }}|{{ println \"x\" 1 }}", "", "1 2ab3|x 1\n"},
    {"printf_verbs", "{{ printf \"%s %d %v %q %x %5.2f %t %T %%\" \"s\" 42 .Values.m \"q\" 255 3.14159 true 1.5 }}",
     "m: {b: 2, a: x}", "s 42 map[a:x b:2] \"q\" ff  3.14 true float64 %"},
    {"printf_mismatch", "{{ printf \"%d|%s|%d\" \"x\" 5 }}", "", "%!d(string=x)|%!s(int=5)|%!d(MISSING)"},
    {"printf_float_value_as_d", "{{ printf \"%d\" .Values.port }}", "port: 80", "%!d(float64=80)"},
    {"printf_slice_and_nil", "{{ printf \"%v %v %s\" .Values.l nil .Values.l }}", "l: [a, 1]", "[a 1] <nil> [a %!s(float64=1)]"},
    {"printf_extra", "{{ printf \"x\" 1 }}", "", "x%!(EXTRA int=1)"},
    {"printf_width_flags", "{{ printf \"[%-4s][%04d][%+d][%x][%X][%o][%e][%g]\" \"ab\" 7 3 \"hi\" 254 8 1234.5678 0.000012 }}", "",
     "[ab  ][0007][+3][6869][FE][10][1.234568e+03][1.2e-05]"},
    {"html_js_urlquery", "{{ html \"<a href='x'>&\" }} {{ js \"it's <b>\" }} {{ urlquery \"a b&c\" }}", "",
     "&lt;a href=&#39;x&#39;&gt;&amp; it\\'s \\u003Cb\\u003E a+b%26c"},
    {"call_non_function", "{{ call 1 }}", "", "ERROR 1:4 error calling call: non-function of type int"},
    {"unknown_function", "line1\n{{ frobnicate 1 }}", "", "ERROR 2:4 function \"frobnicate\" not defined"},
    {"undefined_variable", "{{ $nope }}", "", "ERROR 1:4 undefined variable \"$nope\""},
    {"unclosed_action", "{{ if true }}x", "", "ERROR 1:15 unexpected EOF"},
    {"wrong_arg_type", "{{ upper 3 }}", "", "ERROR 1:10 expected string; found 3"},
    {"wrong_value_type", "{{ upper .Values.n }}", "n: 1", "ERROR 1:10 wrong type for value; expected string; got float64"},
    {"piped_nil_to_string", "{{ .Values.nope | upper }}", "", "ERROR 1:19 invalid value; expected string"},
    {"wrong_arg_count", "{{ upper \"a\" \"b\" }}", "", "ERROR 1:4 wrong number of args for upper: want 1 got 2"},
    {"int_vs_int64_param", "{{ trunc (add 1 2) \"abcdef\" }}", "", "ERROR 1:10 wrong type for value; expected int; got int64"},
    {"non_function_with_args", "{{ .Values.a 1 }}", "a: x", "ERROR 1:4 a is not a method but has arguments"},
    {"nil_command", "{{ nil }}", "", "ERROR 1:4 nil is not a command"},
    {"step_budget", "{{ range until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}", "", "ERROR 1:"},
    {"until_limit", "{{ until 1000000000 }}", "", "ERROR 1:4 until: 1000000000 elements exceed the limit"},
    {"recursion_limit", "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}", "", "ERROR 1:"},
    // Lexer errors inside an action (found by fuzz/helm_template_fuzzer: they used to leave no token at all).
    {"unterminated_string", "{{ \"abc }}", "", "ERROR 1:4 unterminated quoted string"},
    {"unterminated_string_at_eof", "{{\"", "", "ERROR 1:3 unterminated quoted string"},
    {"bad_escape", "{{ \"\\q\" }}", "", "ERROR 1:4 invalid syntax"},
    {"unterminated_char", "{{ 'a }}", "", "ERROR 1:4"},
    {"bad_number", "x\n{{ 12ab }}", "", "ERROR 2:4 bad number syntax"},
};
INSTANTIATE_TEST_SUITE_P(Language, Conformance, ::testing::ValuesIn(kLanguage),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

const Case kFunctions[] = {
    {"default", "{{ .Values.x | default \"d\" }} {{ .Values.y | default \"d\" }} {{ default 5 0 }}", "y: set", "d set 5"},
    {"quote_squote", "{{ quote \"a\\\"b\" 1 }} {{ .Values.n | quote }} [{{ .Values.missing | quote }}] {{ squote \"x\" }}", "n: 8080",
     "\"a\\\"b\" \"1\" \"8080\" [] 'x'"},
    {"trim_family", "[{{ trim \"  a \" }}][{{ trimAll \"$\" \"$5.00$\" }}][{{ trimPrefix \"-\" \"-x\" }}][{{ trimSuffix \".y\" \"x.y\" }}]", "",
     "[a][5.00][x][x]"},
    {"paths",
     "{{ base \"/etc/app/config.yaml\" }} {{ base \"dir/\" }} {{ dir \"/etc/app/config.yaml\" }} {{ dir \"file\" }} "
     "{{ ext \"archive.tar.gz\" }} [{{ ext \"dir.d/file\" }}] {{ clean \"a//b/./c/../d/\" }} {{ clean \"/../x\" }} "
     "{{ clean \"\" }} {{ isAbs \"/x\" }} {{ isAbs \"x\" }}",
     "", "config.yaml dir /etc/app . .gz [] a/b/d /x . true false"},
    {"shuffle_keeps_every_character", "{{ shuffle \"aé1\" | len }} {{ shuffle \"\" }}[{{ shuffle \"x\" }}]", "", "4 [x]"},
    {"must_aliases", "{{ list 1 2 3 | mustFirst }} {{ list 1 2 3 | mustLast }} {{ list 1 1 2 | mustUniq | len }} {{ trimall \"-\" \"-a-\" }}",
     "", "1 3 2 a"},
    {"trunc", "{{ trunc 3 \"abcdef\" }} {{ trunc -2 \"abcdef\" }} {{ trunc 63 \"ab\" }}", "", "abc ef ab"},
    {"case", "{{ lower \"AbC\" }} {{ upper \"AbC\" }} {{ title \"hello world-wide\" }} {{ untitle \"Hello World\" }}", "",
     "abc ABC Hello World-Wide hello world"},
    {"replace_contains", "{{ replace \"a\" \"b\" \"banana\" }} {{ contains \"an\" \"banana\" }} {{ hasPrefix \"ba\" \"banana\" }} {{ hasSuffix \"x\" \"banana\" }}",
     "", "bbnbnb true true false"},
    {"indent_nindent", "x:{{ \"a\\nb\" | indent 2 }}|{{ \"a\\nb\" | nindent 4 }}", "", "x:  a\n  b|\n    a\n    b"},
    {"repeat_substr_nospace", "{{ repeat 3 \"ab\" }} {{ substr 1 3 \"hello\" }} {{ nospace \"a b\\tc\" }}", "", "ababab el abc"},
    {"abbrev_cat", "{{ abbrev 5 \"hello world\" }} {{ cat \"a\" nil 1 \"b\" }}", "", "he... a 1 b"},
    {"join_split", "{{ join \",\" .Values.l }} {{ (split \"$\" \"a$b\")._1 }} {{ splitList \",\" \"x,y\" }} {{ (splitn \",\" 2 \"a,b,c\")._1 }}",
     "l: [a, 1, true]", "a,1,true b [x y] b,c"},
    {"toString_toStrings", "{{ toString 1.5 }} {{ toStrings .Values.l }} {{ typeOf (toStrings .Values.l) }}", "l: [1, a]",
     "1.5 [1 a] []string"},
    {"base64", "{{ b64enc \"hello\" }} {{ b64dec \"aGVsbG8=\" }} {{ b64dec \"!!\" }}", "", "aGVsbG8= hello illegal base64 data at input byte 0"},
    {"hashes", "{{ sha1sum \"abc\" }} {{ sha256sum \"abc\" }} {{ adler32sum \"Wikipedia\" }}", "",
     "a9993e364706816aba3e25717850c26c9cd0d89d ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 300286872"},
    {"sha256_empty", "{{ sha256sum \"\" }}", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"regex", "{{ regexMatch \"^[a-z]+$\" \"abc\" }} {{ regexFind \"[0-9]+\" \"ab12cd34\" }} {{ regexFindAll \"[0-9]\" \"a1b2c3\" 2 }} {{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }} {{ regexReplaceAllLiteral \"a(x*)b\" \"-ab-\" \"${1}\" }} {{ regexSplit \"z+\" \"pizza\" -1 }}",
     "", "true 12 [1 2] -W-xxW- -${1}- [pi a]"},
    {"regex_empty_matches", "{{ regexReplaceAll \"a*\" \"baaac\" \"-\" }}", "", "-b-c-"},
    {"case_conversions", "{{ camelcase \"http_server\" }} {{ snakecase \"FirstName\" }} {{ kebabcase \"HTTPServer\" }}", "",
     "HttpServer first_name http-server"},
    {"list_tuple", "{{ list 1 \"a\" }} {{ tuple 1 2 | len }}", "", "[1 a] 2"},
    {"dict_get_set_unset", "{{ $d := dict \"a\" 1 \"b\" 2 }}{{ $_ := set $d \"c\" 3 }}{{ $_ := unset $d \"a\" }}{{ $d }} {{ get $d \"b\" }} [{{ get $d \"z\" }}] {{ hasKey $d \"c\" }}",
     "", "map[b:2 c:3] 2 [] true"},
    {"keys_values_sorted", "{{ keys .Values.m }} {{ values .Values.m }}", "m: {b: 2, a: 1}", "[a b] [1 2]"},
    {"pick_omit", "{{ pick .Values.m \"a\" \"c\" }} {{ omit .Values.m \"a\" }}", "m: {a: 1, b: 2, c: 3}", "map[a:1 c:3] map[b:2 c:3]"},
    {"merge", "{{ $d := dict \"a\" 1 \"n\" (dict \"x\" 1) }}{{ merge $d (dict \"a\" 2 \"b\" 3 \"n\" (dict \"y\" 2)) }}", "",
     "map[a:1 b:3 n:map[x:1 y:2]]"},
    {"merge_overwrite", "{{ mergeOverwrite (dict \"a\" 1 \"k\" true) (dict \"a\" 2 \"k\" false) }}", "", "map[a:2 k:false]"},
    {"deep_copy", "{{ $a := dict \"x\" (dict \"y\" 1) }}{{ $b := deepCopy $a }}{{ $_ := set $b.x \"y\" 2 }}{{ $a.x.y }}{{ $b.x.y }}", "", "12"},
    {"pluck_dig", "{{ pluck \"a\" (dict \"a\" 1) (dict \"b\" 2) (dict \"a\" 3) }} {{ dig \"x\" \"y\" \"def\" .Values.m }}", "m: {x: {}}", "[1 3] def"},
    {"first_last_rest_initial", "{{ first .Values.l }} {{ last .Values.l }} {{ rest .Values.l }} {{ initial .Values.l }}", "l: [a, b, c]",
     "a c [b c] [a b]"},
    {"append_prepend_concat", "{{ append .Values.l \"z\" }} {{ prepend .Values.l \"0\" }} {{ concat .Values.l (list 1) }}", "l: [a]", "[a z] [0 a] [a 1]"},
    {"has_without_uniq_compact", "{{ has \"b\" .Values.l }} {{ without .Values.l \"a\" }} {{ uniq .Values.l }} {{ compact (list \"\" 1 0 \"x\") }}",
     "l: [a, b, a]", "true [b] [a b] [1 x]"},
    {"reverse_sortAlpha", "{{ reverse .Values.l }} {{ sortAlpha .Values.l }}", "l: [b, c, a]", "[a c b] [a b c]"},
    {"until_seq", "{{ until 3 }} {{ untilStep 0 10 4 }} {{ seq 3 }} {{ seq 2 -2 -4 }}", "", "[0 1 2] [0 4 8] 1 2 3 2 0 -2 -4"},
    {"ternary_coalesce_empty", "{{ ternary \"y\" \"n\" true }} {{ coalesce nil \"\" \"c\" }} {{ empty .Values.x }} {{ empty (list) }}", "",
     "y c true true"},
    {"type_conversion", "{{ int \"42\" }} {{ int 3.9 }} {{ int64 \"0x10\" }} {{ float64 \"1.5\" }} {{ atoi \"12\" }} {{ toDecimal \"0777\" }}", "",
     "42 3 16 1.5 12 511"},
    {"kind_type", "{{ kindOf .Values.m }} {{ kindOf .Values.n }} {{ typeOf .Values.n }} {{ typeOf 1 }} {{ kindIs \"slice\" .Values.l }} {{ typeIs \"string\" \"x\" }} {{ typeOf nil }}",
     "m: {}\nn: 1\nl: []", "map float64 float64 int true true <nil>"},
    {"math", "{{ add 1 2 3 }} {{ add1 .Values.n }} {{ sub 5 3 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }} {{ min 4 2 }}", "n: 9",
     "6 10 2 24 3 1 5 2"},
    {"float_math", "{{ floor 1.7 }} {{ ceil 1.2 }} {{ round 3.14159 2 }} {{ round 2.5 0 }}", "", "1 2 3.14 3"},
    {"div_zero", "{{ div 1 0 }}", "", "ERROR 1:4 error calling div: runtime error: integer divide by zero"},
    {"semver", "{{ (semver \"1.2.3-beta.1\").Minor }} {{ semverCompare \">=1.21-0\" \"v1.28.3-gke.100\" }} {{ semverCompare \">=1.21\" \"1.28.3-gke.1\" }} {{ semverCompare \"^1.2\" \"1.9.0\" }} {{ semverCompare \"~1.2\" \"1.3.0\" }} {{ semverCompare \"<1.0 || >=2.0\" \"2.1\" }} {{ semverCompare \"1.2 - 1.4\" \"1.3.7\" }}",
     "", "2 true false true false true true"},
    {"semver_bad", "{{ semverCompare \">=1\" \"not-a-version\" }}", "", "ERROR 1:4 error calling semverCompare: Invalid Semantic Version"},
    // Components past 64 bits: the version is invalid (as Go's ParseUint finds), numeric prereleases of any length compare.
    {"semver_huge", "{{ semverCompare \">=1.0.0-99999999999999999998\" \"1.0.0-99999999999999999999\" }} {{ semverCompare \"<1.0.0-99999999999999999999\" \"1.0.0-100000000000000000000\" }}",
     "", "true false"},
    {"semver_huge_constraint", "{{ semverCompare \"^99999999999999999999999\" \"1.0.0\" }}", "",
     "ERROR 1:4 error calling semverCompare: improper constraint: ^99999999999999999999999"},
    {"semver_huge_version", "{{ semverCompare \">=1\" \"99999999999999999999999.0.0\" }}", "",
     "ERROR 1:4 error calling semverCompare: Invalid Semantic Version"},
    {"dates_deterministic", "{{ now | date \"2006-01-02T15:04:05Z07:00\" }} {{ htmlDate 86400 }} {{ unixEpoch now }} {{ (toDate \"2006-01-02\" \"2024-03-05\") | date \"Jan 2, 2006\" }}",
     "", "1970-01-01T00:00:00Z 1970-01-02 0 Mar 5, 2024"},
    {"random_deterministic", "{{ len (randAlphaNum 12) }} {{ regexMatch \"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$\" uuidv4 }}", "",
     "12 true"},
    {"required_ok", "{{ required \"need x\" .Values.x }}", "x: here", "here"},
    {"required_missing", "a\n{{ required \"x is required\" .Values.x }}", "", "ERROR 2:4 x is required"},
    {"required_empty_string", "{{ required \"x!\" .Values.x }}", "x: \"\"", "ERROR 1:4 x!"},
    {"fail", "{{ if true }}{{ fail \"boom\" }}{{ end }}", "", "ERROR 1:17 boom"},
    {"to_yaml", "{{ toYaml .Values }}", "b: [1, x]\na: {c: true, d: null}\ne: \"\"\nf: \"true\"\ng: \"1.5\"\nh: 'a: b'\nk: \"multi\\nline\"\nbig: 1000000\nfl: 2.5",
     "a:\n  c: true\n  d: null\nb:\n- 1\n- x\nbig: 1000000\ne: \"\"\nf: \"true\"\nfl: 2.5\ng: \"1.5\"\nh: 'a: b'\nk: |-\n  multi\n  line"},
    {"to_yaml_scalars", "{{ toYaml \"plain\" }}|{{ toYaml 3 }}|{{ toYaml (list) }}|{{ toYaml (dict) }}|{{ toYaml nil }}", "", "plain|3|[]|{}|null"},
    {"to_yaml_natural_key_order", "{{ toYaml .Values }}", "item10: a\nitem9: b\nItem: c\n_x: d", "_x: d\nItem: c\nitem9: b\nitem10: a"},
    {"to_yaml_nested_lists", "{{ toYaml .Values.l }}", "l: [[a, b], {k: v, j: w}]", "- - a\n  - b\n- j: w\n  k: v"},
    {"to_yaml_special_strings", "{{ toYaml .Values }}", "a: \"yes\"\nb: \"~\"\nc: \"- x\"\nd: \"#x\"\ne: \" lead\"\nf: \"tab\\there\"\ng: \"it's\"\nh: \"2024-01-02\"\ni: \"1:20\"\nj: \"0x1F\"",
     "a: \"yes\"\nb: \"~\"\nc: '- x'\nd: '#x'\ne: ' lead'\nf: \"tab\\there\"\ng: it's\nh: \"2024-01-02\"\ni: \"1:20\"\nj: \"0x1F\""},
    {"to_yaml_literal_chomping", "{{ toYaml .Values }}", "a: \"x\\n\"\nb: \"x\\n\\n\"\nc: \" x\\ny\"", "a: |\n  x\nb: |+\n  x\n\nc: |2-\n   x\n  y"},
    {"to_yaml_folds_long_plain", "{{ toYaml .Values }}",
     "k: \"aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh iiiiiiiiii\"",
     "k: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh\n  iiiiiiiiii"},
    {"to_json", "{{ toJson .Values }} {{ toJson 1e21 }} {{ toJson 0.0000001 }}", "b: [1, \"<&>\"]\na: {c: null, f: 1.5}",
     "{\"a\":{\"c\":null,\"f\":1.5},\"b\":[1,\"\\u003c\\u0026\\u003e\"]} 1e+21 1e-7"},
    {"to_pretty_json", "{{ toPrettyJson .Values }}", "a: [1]\nb: {}", "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}"},
    {"from_yaml_json", "{{ (fromYaml \"a: 1\\nb: [x]\").b }} {{ (fromJson \"{\\\"k\\\": 2}\").k }} {{ fromYamlArray \"- 1\\n- 2\" }} {{ fromJsonArray \"[1,2]\" }} {{ (fromYaml \"[1]\").Error }}",
     "", "[x] 2 [1 2] [1 2] error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"},
    {"tpl", "{{ tpl .Values.t . }}", "t: \"{{ .Values.name }}-{{ .Release.Name }}\"\nname: web", "web-rel"},
    {"tpl_defines_are_local", "{{ tpl \"{{ define \\\"z\\\" }}Z{{ end }}{{ include \\\"z\\\" . }}\" . }}", "", "Z"},
    {"tpl_error", "{{ tpl \"{{ .Values.a.b }}\" . }}", "", "ERROR 1:4 error during tpl function execution"},
    {"lookup_empty", "{{ lookup \"v1\" \"Secret\" \"ns\" \"x\" }} {{ (lookup \"v1\" \"Secret\" \"ns\" \"x\").data }}", "", "map[] "},
    // bitnami/kube-prometheus, bitnami/grafana
    {"deep_equal", "{{ deepEqual .Values.a .Values.b }} {{ deepEqual .Values.a .Values.c }} {{ deepEqual 1 1.0 }}",
     "a: {x: [1, {y: z}]}\nb: {x: [1, {y: z}]}\nc: {x: [1]}", "true false false"},
    {"url_parse",
     "{{ $u := urlParse \"https://user:pw@LDAP.example.com:636/a%20b?q=1#frag\" }}{{ $u.scheme }}|{{ $u.host }}|"
     "{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.fragment }}|{{ $u.userinfo }}|{{ $u.opaque }}|"
     "{{ (urlParse \"mailto:a@b\").opaque }}|{{ (urlParse \"ldap://[::1]:389\").hostname }}|{{ (urlParse \"/p\").path }}",
     "", "https|LDAP.example.com:636|LDAP.example.com|/a b|q=1|frag|user:pw||a@b|::1|/p"},
    {"url_parse_error", "{{ urlParse \"%zz\" }}", "", "ERROR 1:4 error calling urlParse: unable to parse url: parse \"%zz\": invalid URL escape \"%zz\""},
    {"unsupported_crypto", "{{ bcrypt \"x\" }}", "", "ERROR 1:4 function \"bcrypt\" is not supported"},
    {"files_absent_env", "{{ env \"HOME\" }}", "", "ERROR 1:4 function \"env\" not defined"},
};
INSTANTIATE_TEST_SUITE_P(Functions, Conformance, ::testing::ValuesIn(kFunctions),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace constable::helm
