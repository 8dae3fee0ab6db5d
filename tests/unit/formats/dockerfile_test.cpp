#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/dockerfile/dockerfile.hpp"

namespace constable::dockerfile {
namespace {

bool has_error(const Dockerfile& df, std::string_view needle, int line = -1) {
  for (const ParseError& e : df.errors)
    if (e.message.find(needle) != std::string::npos && (line < 0 || e.line == line)) return true;
  return false;
}

TEST(DockerfileParse, EmptyFileHasNoErrorsAndNoStages) {
  const auto df = Dockerfile::parse("");
  EXPECT_TRUE(df.errors.empty());
  EXPECT_TRUE(df.instructions.empty());
  EXPECT_TRUE(df.stages.empty());
  EXPECT_EQ(df.final_stage(), nullptr);
  const auto only_comments = Dockerfile::parse("# just a comment\n\n   \n");
  EXPECT_TRUE(only_comments.errors.empty());
  EXPECT_TRUE(only_comments.instructions.empty());
}

TEST(DockerfileParse, SimpleInstructionsKeywordsAndColumns) {
  const auto df = Dockerfile::parse("from alpine:3.20\n  run   echo hi  \nCMD [\"sh\", \"-c\", \"echo\"]\n");
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[0].keyword, "FROM");
  EXPECT_EQ(df.instructions[0].arguments, "alpine:3.20");
  EXPECT_EQ(df.instructions[0].column, 1);
  EXPECT_EQ(df.instructions[0].args_column, 6);
  const auto& run = df.instructions[1];
  EXPECT_EQ(run.keyword, "RUN");
  EXPECT_EQ(run.arguments, "echo hi");
  EXPECT_EQ(run.line, 2);
  EXPECT_EQ(run.end_line, 2);
  EXPECT_EQ(run.column, 3);
  EXPECT_EQ(run.args_column, 9);
  EXPECT_FALSE(run.exec_form);
  const auto& cmd = df.instructions[2];
  EXPECT_TRUE(cmd.exec_form);
  EXPECT_EQ(cmd.exec_args, (std::vector<std::string>{"sh", "-c", "echo"}));
  ASSERT_EQ(df.lines.size(), 3u);
  EXPECT_EQ(df.lines[1], "  run   echo hi  ");
}

TEST(DockerfileParse, ContinuationsJoinPiecesAndKeepPhysicalLines) {
  const std::string src =
      "FROM debian\n"
      "RUN apt-get update \\  \n"   // trailing whitespace after the escape
      "    # a comment inside\n"
      "\n"
      "    && apt-get install -y curl \\\n"
      "    && rm -rf /var/lib/apt/lists/*\n"
      "USER app\n";
  const auto df = Dockerfile::parse(src);
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  ASSERT_EQ(df.instructions.size(), 3u);
  const auto& run = df.instructions[1];
  EXPECT_EQ(run.arguments, "apt-get update     && apt-get install -y curl     && rm -rf /var/lib/apt/lists/*");
  EXPECT_EQ(run.line, 2);
  EXPECT_EQ(run.end_line, 6);
  EXPECT_EQ(df.instructions[2].keyword, "USER");
  EXPECT_EQ(df.instructions[2].line, 7);
  // Offsets map back to physical positions.
  const auto pos = run.position_of(run.arguments.find("rm -rf"));
  EXPECT_EQ(pos.line, 6);
  EXPECT_EQ(pos.column, 8);
  const auto first = run.position_of(0);
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.column, 5);
}

TEST(DockerfileParse, ArgumentsStartingOnContinuationLineHaveNoArgsColumn) {
  const auto df = Dockerfile::parse("FROM a\nRUN \\\n  echo hi\n");
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].arguments, "echo hi");
  EXPECT_EQ(df.instructions[1].args_column, 0);
  EXPECT_EQ(df.instructions[1].position_of(0).line, 3);
  EXPECT_EQ(df.instructions[1].position_of(0).column, 3);
}

TEST(DockerfileParse, ContinuationAtEndOfFileEndsInstruction) {
  const auto df = Dockerfile::parse("FROM a\nRUN echo \\");
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].arguments, "echo");
  EXPECT_EQ(df.instructions[1].end_line, 2);
  const auto lone = Dockerfile::parse("FROM a\n\\");
  EXPECT_EQ(lone.instructions.size(), 2u);
  const auto lone_tick = Dockerfile::parse("# escape=`\nFROM a\n`");
  EXPECT_EQ(lone_tick.instructions.size(), 2u);
}

TEST(DockerfileDirectives, EscapeBacktickChangesContinuationAndKeepsWindowsPaths) {
  const std::string src =
      "# escape=`\n"
      "# syntax=docker/dockerfile:1\n"
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
      "WORKDIR C:\\app\\\n"
      "RUN dir `\n"
      "    C:\\app\n"
      "COPY . C:\\app\\\n";
  const auto df = Dockerfile::parse(src);
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  EXPECT_EQ(df.escape, '`');
  ASSERT_EQ(df.directives.size(), 2u);
  EXPECT_EQ(df.directives[0].name, "escape");
  EXPECT_EQ(df.directives[0].value, "`");
  EXPECT_EQ(df.directives[0].line, 1);
  EXPECT_EQ(df.directives[1].name, "syntax");
  EXPECT_EQ(df.directives[1].value, "docker/dockerfile:1");
  ASSERT_EQ(df.instructions.size(), 4u);
  EXPECT_EQ(df.instructions[1].keyword, "WORKDIR");
  EXPECT_EQ(df.instructions[1].arguments, "C:\\app\\");
  EXPECT_EQ(df.instructions[1].end_line, 4);
  EXPECT_EQ(df.instructions[2].arguments, "dir     C:\\app");
  EXPECT_EQ(df.instructions[2].end_line, 6);
  EXPECT_EQ(df.instructions[3].keyword, "COPY");
  EXPECT_EQ(df.instructions[3].escape, '`');
}

TEST(DockerfileDirectives, CaseInsensitiveNamesAndSpacing) {
  const auto df = Dockerfile::parse("#  ESCAPE = `\n#Check=skip=all\nFROM a\n");
  EXPECT_EQ(df.escape, '`');
  ASSERT_EQ(df.directives.size(), 2u);
  EXPECT_EQ(df.directives[0].name, "escape");
  EXPECT_EQ(df.directives[1].name, "check");
  EXPECT_EQ(df.directives[1].value, "skip=all");
}

TEST(DockerfileDirectives, OnlyAtTheTop) {
  // After an instruction, a blank line or a plain comment, directives are comments.
  for (const char* src : {"FROM a\n# escape=`\nRUN x `\n", "\n# escape=`\nFROM a\n",
                          "# hello\n# escape=`\nFROM a\n"}) {
    const auto df = Dockerfile::parse(src);
    EXPECT_EQ(df.escape, '\\') << src;
    EXPECT_TRUE(df.directives.empty()) << src;
    EXPECT_TRUE(df.errors.empty()) << src;
  }
  // An unknown directive ends the directive block.
  const auto df = Dockerfile::parse("# foo=bar\n# escape=`\nFROM a\n");
  EXPECT_EQ(df.escape, '\\');
}

TEST(DockerfileDirectives, InvalidEscapeIsAnError) {
  const auto df = Dockerfile::parse("# escape=x\nFROM a\n");
  EXPECT_EQ(df.escape, '\\');
  EXPECT_TRUE(has_error(df, "invalid escape", 1));
  const auto dup = Dockerfile::parse("# escape=`\n# escape=\\\nFROM a\n");
  EXPECT_EQ(dup.escape, '`');
  EXPECT_TRUE(has_error(dup, "only one", 2));
}

TEST(DockerfileHeredoc, SingleHeredocBody) {
  const std::string src =
      "FROM alpine\n"
      "RUN <<EOF\n"
      "apk add curl\n"
      "FROM not-an-instruction\n"
      "EOF\n"
      "USER app\n";
  const auto df = Dockerfile::parse(src);
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  ASSERT_EQ(df.instructions.size(), 3u);
  const auto& run = df.instructions[1];
  EXPECT_EQ(run.arguments, "<<EOF");
  ASSERT_EQ(run.heredocs.size(), 1u);
  EXPECT_EQ(run.heredocs[0].delimiter, "EOF");
  EXPECT_EQ(run.heredocs[0].content, "apk add curl\nFROM not-an-instruction\n");
  EXPECT_EQ(run.heredocs[0].line, 3);
  EXPECT_FALSE(run.heredocs[0].strip_tabs);
  EXPECT_FALSE(run.heredocs[0].quoted);
  EXPECT_EQ(run.line, 2);
  EXPECT_EQ(run.end_line, 5);
  EXPECT_EQ(df.instructions[2].keyword, "USER");
  EXPECT_EQ(df.instructions[2].line, 6);
  EXPECT_EQ(df.stages.size(), 1u);
}

TEST(DockerfileHeredoc, MultipleHeredocsOnOneLine) {
  const std::string src =
      "FROM alpine\n"
      "COPY <<a.txt <<b.txt /dest/\n"
      "alpha\n"
      "a.txt\n"
      "beta\n"
      "b.txt\n"
      "CMD [\"true\"]\n";
  const auto df = Dockerfile::parse(src);
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  ASSERT_EQ(df.instructions.size(), 3u);
  const auto& copy = df.instructions[1];
  ASSERT_EQ(copy.heredocs.size(), 2u);
  EXPECT_EQ(copy.heredocs[0].delimiter, "a.txt");
  EXPECT_EQ(copy.heredocs[0].content, "alpha\n");
  EXPECT_EQ(copy.heredocs[0].line, 3);
  EXPECT_EQ(copy.heredocs[1].delimiter, "b.txt");
  EXPECT_EQ(copy.heredocs[1].content, "beta\n");
  EXPECT_EQ(copy.heredocs[1].line, 5);
  EXPECT_EQ(copy.end_line, 6);
  EXPECT_TRUE(df.instructions[2].exec_form);
}

TEST(DockerfileHeredoc, DashStripsTabsAndQuotedDelimiters) {
  const std::string src =
      "FROM alpine\n"
      "RUN <<-EOT bash\n"
      "\techo one\n"
      "\t\techo two\n"
      "\tEOT\n"
      "RUN <<\"END\" cat > /x\n"
      "$HOME stays\n"
      "END\n"
      "RUN 3<<'X' sh\n"
      "y\n"
      "X\n";
  const auto df = Dockerfile::parse(src);
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  ASSERT_EQ(df.instructions.size(), 4u);
  const auto& a = df.instructions[1].heredocs;
  ASSERT_EQ(a.size(), 1u);
  EXPECT_TRUE(a[0].strip_tabs);
  EXPECT_EQ(a[0].content, "echo one\necho two\n");
  EXPECT_EQ(df.instructions[1].end_line, 5);
  const auto& b = df.instructions[2].heredocs;
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].delimiter, "END");
  EXPECT_TRUE(b[0].quoted);
  EXPECT_EQ(b[0].content, "$HOME stays\n");
  const auto& c = df.instructions[3].heredocs;
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].delimiter, "X");
  EXPECT_TRUE(c[0].quoted);
}

TEST(DockerfileHeredoc, NotHeredocs) {
  // Here-strings, quoted "<<" and other instructions do not open heredocs.
  const auto df = Dockerfile::parse("FROM a\nRUN cat <<<word\nRUN echo \"<<EOF\"\nENV X=<<EOF\nUSER u\n");
  ASSERT_EQ(df.instructions.size(), 5u);
  for (const auto& ins : df.instructions) EXPECT_TRUE(ins.heredocs.empty()) << ins.arguments;
  EXPECT_TRUE(df.errors.empty());
}

TEST(DockerfileHeredoc, UnterminatedHeredocTakesRestOfFile) {
  const auto df = Dockerfile::parse("FROM a\nRUN <<EOF\necho 1\nUSER x\n");
  ASSERT_EQ(df.instructions.size(), 2u);
  const auto& run = df.instructions[1];
  ASSERT_EQ(run.heredocs.size(), 1u);
  EXPECT_EQ(run.heredocs[0].content, "echo 1\nUSER x\n");
  EXPECT_EQ(run.end_line, 4);
  EXPECT_TRUE(has_error(df, "unterminated heredoc", 2));
  const auto at_eof = Dockerfile::parse("FROM a\nRUN <<EOF");
  ASSERT_EQ(at_eof.instructions.size(), 2u);
  EXPECT_TRUE(has_error(at_eof, "unterminated heredoc", 2));
  EXPECT_EQ(at_eof.instructions[1].heredocs.at(0).content, "");
}

TEST(DockerfileExecForm, JsonArraysAndFallbacks) {
  const auto df = Dockerfile::parse(
      "FROM a\n"
      "ENTRYPOINT [\"/bin/app\", \"--flag=\\\"q\\\"\", \"\\u00e9\"]\n"
      "CMD []\n"
      "CMD [\"unterminated\"\n"
      "RUN ['single', 'quotes']\n"
      "CMD [\"a\", 1]\n"
      "CMD [\"a\"] trailing\n"
      "SHELL [\"powershell\", \"-Command\"]\n");
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  ASSERT_EQ(df.instructions.size(), 8u);
  EXPECT_TRUE(df.instructions[1].exec_form);
  EXPECT_EQ(df.instructions[1].exec_args,
            (std::vector<std::string>{"/bin/app", "--flag=\"q\"", "\xc3\xa9"}));
  EXPECT_TRUE(df.instructions[2].exec_form);
  EXPECT_TRUE(df.instructions[2].exec_args.empty());
  for (std::size_t k = 3; k <= 6; ++k) {
    EXPECT_FALSE(df.instructions[k].exec_form) << df.instructions[k].arguments;
    EXPECT_TRUE(df.instructions[k].exec_args.empty());
  }
  EXPECT_EQ(df.instructions[4].arguments, "['single', 'quotes']");
  EXPECT_TRUE(df.instructions[7].exec_form);
}

TEST(DockerfileExecForm, ExecFormAcrossContinuation) {
  const auto df = Dockerfile::parse("FROM a\nCMD [\"python\", \\\n     \"app.py\"]\n");
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_TRUE(df.instructions[1].exec_form);
  EXPECT_EQ(df.instructions[1].exec_args, (std::vector<std::string>{"python", "app.py"}));
}

TEST(DockerfileFlags, FlagsAreExtractedAndRemovedFromArguments) {
  const auto df = Dockerfile::parse(
      "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
      "RUN --mount=type=cache,target=/root/.cache --network=none go build ./...\n"
      "COPY --from=build --chown=app:app --chmod=0755 --link /out/app /app\n"
      "ADD --checksum=sha256:abc https://example.com/x.tgz /x.tgz\n"
      "HEALTHCHECK --interval=30s --timeout=3s \\\n"
      "  --retries=3 CMD curl -f http://localhost/\n");
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  ASSERT_EQ(df.instructions.size(), 5u);
  const auto& from = df.instructions[0];
  ASSERT_EQ(from.flags.size(), 1u);
  EXPECT_EQ(from.flags[0].name, "platform");
  EXPECT_EQ(from.flags[0].value, "$BUILDPLATFORM");
  EXPECT_EQ(from.flags[0].line, 1);
  EXPECT_EQ(from.flags[0].column, 6);
  EXPECT_EQ(from.arguments, "golang:1.22 AS build");
  EXPECT_EQ(from.args_column, 32);
  ASSERT_EQ(df.stages.size(), 1u);
  EXPECT_EQ(df.stages[0].platform, "$BUILDPLATFORM");

  const auto& run = df.instructions[1];
  ASSERT_EQ(run.flags.size(), 2u);
  EXPECT_EQ(run.flags[0].name, "mount");
  EXPECT_EQ(run.flags[0].value, "type=cache,target=/root/.cache");
  EXPECT_EQ(run.flags[1].name, "network");
  EXPECT_EQ(run.flags[1].value, "none");
  EXPECT_EQ(run.arguments, "go build ./...");

  const auto& copy = df.instructions[2];
  ASSERT_EQ(copy.flags.size(), 4u);
  EXPECT_EQ(copy.flags[0].name, "from");
  EXPECT_EQ(copy.flags[0].value, "build");
  EXPECT_EQ(copy.flags[1].value, "app:app");
  EXPECT_EQ(copy.flags[2].value, "0755");
  EXPECT_EQ(copy.flags[3].name, "link");
  EXPECT_EQ(copy.flags[3].value, "");
  EXPECT_EQ(copy.arguments, "/out/app /app");

  EXPECT_EQ(df.instructions[3].flags.at(0).name, "checksum");
  EXPECT_EQ(df.instructions[3].arguments, "https://example.com/x.tgz /x.tgz");

  const auto& hc = df.instructions[4];
  ASSERT_EQ(hc.flags.size(), 3u);
  EXPECT_EQ(hc.flags[2].name, "retries");
  EXPECT_EQ(hc.flags[2].line, 6);
  EXPECT_EQ(hc.flags[2].column, 3);
  EXPECT_EQ(hc.arguments, "CMD curl -f http://localhost/");
}

TEST(DockerfileStages, GlobalArgsSubstituteIntoFrom) {
  const std::string src =
      "ARG BASE=python:3.12-slim\n"
      "ARG TAG\n"
      "FROM ${BASE} AS build\n"
      "RUN pip install .\n"
      "FROM build AS test\n"
      "RUN pytest\n"
      "FROM $UNKNOWN AS other\n"
      "FROM Build\n"
      "COPY --from=build /app /app\n";
  const auto df = Dockerfile::parse(src);
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  EXPECT_EQ(df.global_args, (std::vector<std::size_t>{0, 1}));
  const auto defaults = df.global_arg_defaults();
  EXPECT_EQ(defaults.size(), 1u);
  EXPECT_EQ(defaults.at("BASE"), "python:3.12-slim");
  ASSERT_EQ(df.stages.size(), 4u);
  const auto& build = df.stages[0];
  EXPECT_EQ(build.index, 0);
  EXPECT_EQ(build.image, "${BASE}");
  EXPECT_EQ(build.resolved_image, "python:3.12-slim");
  EXPECT_FALSE(build.unresolved);
  EXPECT_EQ(build.name, "build");
  EXPECT_EQ(build.from, 2u);
  EXPECT_EQ(build.last, 3u);
  EXPECT_FALSE(build.parent_stage.has_value());
  const auto& test = df.stages[1];
  EXPECT_EQ(test.parent_stage, 0);
  EXPECT_EQ(test.from, 4u);
  EXPECT_EQ(test.last, 5u);
  const auto& other = df.stages[2];
  EXPECT_TRUE(other.unresolved);
  EXPECT_EQ(other.from, 6u);
  EXPECT_EQ(other.last, 6u);
  const auto& last = df.stages[3];
  EXPECT_EQ(last.name, "");
  EXPECT_EQ(last.parent_stage, 0);  // stage names compare case-insensitively
  EXPECT_EQ(last.last, 8u);
  EXPECT_EQ(df.final_stage(), &df.stages[3]);

  const auto ins = df.stage_instructions(test);
  ASSERT_EQ(ins.size(), 2u);
  EXPECT_EQ(ins[0]->keyword, "FROM");
  EXPECT_EQ(ins[1]->arguments, "pytest");
  const auto chain = df.ancestry(test);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0], &df.stages[1]);
  EXPECT_EQ(chain[1], &df.stages[0]);
  EXPECT_EQ(df.ancestry(df.stages[0]).size(), 1u);
}

TEST(DockerfileStages, ArgDefaultsReferToEarlierArgs) {
  const auto df = Dockerfile::parse("ARG V=3.12\nARG IMG=python:${V}-slim\nFROM ${IMG}\n");
  ASSERT_EQ(df.stages.size(), 1u);
  EXPECT_EQ(df.stages[0].resolved_image, "python:3.12-slim");
  EXPECT_FALSE(df.stages[0].unresolved);
  // An ARG without default leaves the FROM unresolved.
  const auto df2 = Dockerfile::parse("ARG BASE\nFROM $BASE\n");
  ASSERT_EQ(df2.stages.size(), 1u);
  EXPECT_TRUE(df2.stages[0].unresolved);
  EXPECT_EQ(df2.stages[0].resolved_image, "");
}

TEST(DockerfileStages, AsIsCaseInsensitiveAndNamesLowerCased) {
  const auto df = Dockerfile::parse("FROM alpine as Builder\nFROM builder\n");
  ASSERT_TRUE(df.errors.empty());
  ASSERT_EQ(df.stages.size(), 2u);
  EXPECT_EQ(df.stages[0].name, "builder");
  EXPECT_EQ(df.stages[1].parent_stage, 0);
}

TEST(DockerfileErrors, MissingImageAndExtraTokens) {
  const auto df = Dockerfile::parse("FROM\nFROM a b\nFROM a AS\nFROM a AS b c\n");
  EXPECT_TRUE(has_error(df, "requires an image", 1));
  EXPECT_TRUE(has_error(df, "unexpected", 2));
  EXPECT_TRUE(has_error(df, "AS", 3));
  EXPECT_TRUE(has_error(df, "unexpected", 4));
  EXPECT_EQ(df.stages.size(), 4u);
  // The error points at the offending token.
  for (const auto& e : df.errors) {
    if (e.line == 2) {
      EXPECT_EQ(e.column, 8);
    }
  }
}

TEST(DockerfileErrors, InvalidStageName) {
  const auto df = Dockerfile::parse("FROM a AS 1st\nFROM b AS ok-name_2.x\n");
  ASSERT_EQ(df.errors.size(), 1u);
  EXPECT_EQ(df.errors[0].message, "invalid stage name '1st'");
  EXPECT_EQ(df.errors[0].line, 1);
  EXPECT_EQ(df.errors[0].column, 11);
  EXPECT_EQ(df.stages.at(1).name, "ok-name_2.x");
}

TEST(DockerfileErrors, UnknownInstructionIsRecordedWithLocation) {
  const auto df = Dockerfile::parse("FROM a\n   FOO bar baz\nRUN x\n");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[1].keyword, "FOO");
  EXPECT_EQ(df.instructions[1].arguments, "bar baz");
  ASSERT_EQ(df.errors.size(), 1u);
  EXPECT_EQ(df.errors[0].message, "unknown instruction 'FOO'");
  EXPECT_EQ(df.errors[0].line, 2);
  EXPECT_EQ(df.errors[0].column, 4);
}

TEST(DockerfileErrors, InstructionBeforeFrom) {
  const auto df = Dockerfile::parse("ARG X=1\nRUN echo\nFROM a\n");
  EXPECT_TRUE(has_error(df, "instruction before FROM", 2));
  EXPECT_FALSE(has_error(df, "instruction before FROM", 1));
  EXPECT_EQ(df.stages.size(), 1u);
  EXPECT_EQ(df.global_args, (std::vector<std::size_t>{0}));
}

TEST(DockerfileErrors, NoFromInstruction) {
  const auto df = Dockerfile::parse("# comment\nRUN echo\nCMD x\n");
  ASSERT_EQ(df.errors.size(), 1u);
  EXPECT_EQ(df.errors[0].message, "no FROM instruction");
  EXPECT_EQ(df.errors[0].line, 1);
  EXPECT_EQ(df.instructions.size(), 2u);
  EXPECT_TRUE(df.stages.empty());
}

TEST(DockerfileErrors, BinaryContent) {
  const std::string bin("FROM a\n\0\x01\x02RUN x\n", 15);
  const auto df = Dockerfile::parse(bin);
  ASSERT_EQ(df.errors.size(), 1u);
  EXPECT_EQ(df.errors[0].message, "binary content");
  EXPECT_EQ(df.errors[0].line, 1);
  EXPECT_EQ(df.errors[0].column, 1);
  EXPECT_TRUE(df.instructions.empty());
  EXPECT_TRUE(df.stages.empty());
}

TEST(DockerfileParse, CrlfAndBom) {
  const std::string src = "\xEF\xBB\xBF# escape=`\r\nFROM alpine AS base\r\nRUN echo a `\r\n  b\r\nENV K=v\r\n";
  const auto df = Dockerfile::parse(src);
  ASSERT_TRUE(df.errors.empty()) << df.errors[0].message;
  EXPECT_EQ(df.escape, '`');
  ASSERT_EQ(df.lines.size(), 5u);
  EXPECT_EQ(df.lines[0], "# escape=`");
  EXPECT_EQ(df.lines[1], "FROM alpine AS base");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[0].column, 1);
  EXPECT_EQ(df.instructions[0].line, 2);
  EXPECT_EQ(df.instructions[1].arguments, "echo a   b");
  EXPECT_EQ(df.instructions[1].end_line, 4);
  const auto kvs = key_values(df.instructions[2]);
  ASSERT_EQ(kvs.size(), 1u);
  EXPECT_EQ(kvs[0].value, "v");
  EXPECT_EQ(df.stages.at(0).name, "base");
}

TEST(DockerfileKeyValues, EnvPairsWithQuotesAndEscapes) {
  const auto df = Dockerfile::parse(
      "FROM a\n"
      "ENV A=1 B=\"two words\" C='it''s' D=x\\ y E=\n");
  ASSERT_EQ(df.instructions.size(), 2u);
  const auto kvs = key_values(df.instructions[1]);
  ASSERT_EQ(kvs.size(), 5u);
  EXPECT_EQ(kvs[0].key, "A");
  EXPECT_EQ(kvs[0].value, "1");
  EXPECT_TRUE(kvs[0].has_value);
  EXPECT_EQ(kvs[0].line, 2);
  EXPECT_EQ(kvs[0].column, 5);
  EXPECT_EQ(kvs[0].value_column, 7);
  EXPECT_EQ(kvs[1].key, "B");
  EXPECT_EQ(kvs[1].value, "two words");
  EXPECT_EQ(kvs[1].column, 9);
  EXPECT_EQ(kvs[1].value_column, 11);
  EXPECT_EQ(kvs[2].value, "its");
  EXPECT_EQ(kvs[3].value, "x y");
  EXPECT_EQ(kvs[4].key, "E");
  EXPECT_EQ(kvs[4].value, "");
  EXPECT_TRUE(kvs[4].has_value);
}

TEST(DockerfileKeyValues, LegacyEnvForm) {
  const auto df = Dockerfile::parse("FROM a\nENV PATH /usr/local/bin:$PATH and more\nLABEL maintainer \"Jane Doe\"\n");
  ASSERT_EQ(df.instructions.size(), 3u);
  const auto env = key_values(df.instructions[1]);
  ASSERT_EQ(env.size(), 1u);
  EXPECT_EQ(env[0].key, "PATH");
  EXPECT_EQ(env[0].value, "/usr/local/bin:$PATH and more");
  EXPECT_EQ(env[0].column, 5);
  EXPECT_EQ(env[0].value_column, 10);
  const auto label = key_values(df.instructions[2]);
  ASSERT_EQ(label.size(), 1u);
  EXPECT_EQ(label[0].key, "maintainer");
  EXPECT_EQ(label[0].value, "Jane Doe");
}

TEST(DockerfileKeyValues, ArgForms) {
  const auto df = Dockerfile::parse("ARG NAME\nARG V=1 W=\"x y\"\nFROM a\n");
  ASSERT_GE(df.instructions.size(), 2u);
  const auto a = key_values(df.instructions[0]);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].key, "NAME");
  EXPECT_FALSE(a[0].has_value);
  EXPECT_EQ(a[0].value_column, 0);
  const auto b = key_values(df.instructions[1]);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].key, "V");
  EXPECT_EQ(b[0].value, "1");
  EXPECT_EQ(b[1].value, "x y");
  // Not a key/value instruction.
  const auto none = Dockerfile::parse("FROM a\nRUN A=1\n");
  EXPECT_TRUE(key_values(none.instructions[1]).empty());
}

TEST(DockerfileKeyValues, PositionsAcrossContinuationLines) {
  const auto df = Dockerfile::parse(
      "FROM a\n"
      "LABEL org.opencontainers.image.title=\"app\" \\\n"
      "      # comment\n"
      "      org.opencontainers.image.source=https://x \\\n"
      "  version=1.0\n");
  ASSERT_TRUE(df.errors.empty());
  const auto kvs = key_values(df.instructions.at(1));
  ASSERT_EQ(kvs.size(), 3u);
  EXPECT_EQ(kvs[0].line, 2);
  EXPECT_EQ(kvs[0].column, 7);
  EXPECT_EQ(kvs[0].value, "app");
  EXPECT_EQ(kvs[1].key, "org.opencontainers.image.source");
  EXPECT_EQ(kvs[1].line, 4);
  EXPECT_EQ(kvs[1].column, 7);
  EXPECT_EQ(kvs[1].value_column, 39);
  EXPECT_EQ(kvs[2].key, "version");
  EXPECT_EQ(kvs[2].line, 5);
  EXPECT_EQ(kvs[2].column, 3);
  EXPECT_EQ(kvs[2].value_column, 11);
}

TEST(DockerfileExpand, VariableForms) {
  const std::map<std::string, std::string> vars{{"A", "x"}, {"E", ""}};
  bool u = false;
  EXPECT_EQ(expand_variables("$A-${A}", vars, '\\', &u), "x-x");
  EXPECT_FALSE(u);
  EXPECT_EQ(expand_variables("${E:-d}|${E-d}|${B:-d}|${B-d}", vars, '\\', &u), "d||d|d");
  EXPECT_FALSE(u);
  EXPECT_EQ(expand_variables("${A:+alt}|${E:+alt}|${E+alt}|${B+alt}", vars, '\\', &u), "alt||alt|");
  EXPECT_FALSE(u);
  EXPECT_EQ(expand_variables("${B:-${A}}", vars, '\\', &u), "x");
  EXPECT_FALSE(u);
  EXPECT_EQ(expand_variables("pre$B.post", vars, '\\', &u), "pre.post");
  EXPECT_TRUE(u);
  u = false;
  EXPECT_EQ(expand_variables("\\$A and $ and $1", vars, '\\', &u), "$A and $ and $1");
  EXPECT_FALSE(u);
  EXPECT_EQ(expand_variables("`$A", vars, '`', &u), "$A");
  EXPECT_EQ(expand_variables("${A", vars, '\\', &u), "${A");
  EXPECT_TRUE(u);
  EXPECT_EQ(expand_variables("end\\", vars), "end\\");
}

TEST(DockerfileRobustness, HugeSingleLine) {
  std::string src = "FROM a\nRUN ";
  src.append(1'000'000, 'x');
  src += " \\";
  const auto df = Dockerfile::parse(src);
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].arguments.size(), 1'000'000u);
  std::string brackets = "FROM a\nCMD ";
  brackets.append(1'000'000, '[');
  const auto df2 = Dockerfile::parse(brackets);
  ASSERT_EQ(df2.instructions.size(), 2u);
  EXPECT_FALSE(df2.instructions[1].exec_form);
  std::string nested = "FROM ";
  for (int k = 0; k < 50'000; ++k) nested += "${A:-";
  const auto df3 = Dockerfile::parse(nested);
  EXPECT_EQ(df3.stages.size(), 1u);
}

TEST(DockerfileRobustness, HundredThousandLines) {
  std::string src = "FROM alpine AS base\n";
  for (int k = 0; k < 100'000; ++k) {
    if (k % 3 == 0) src += "RUN echo " + std::to_string(k) + " \\\n";
    else if (k % 3 == 1) src += "  && true \\\n";
    else src += "  && true\n";
  }
  const auto df = Dockerfile::parse(src);
  EXPECT_TRUE(df.errors.empty());
  EXPECT_EQ(df.lines.size(), 100'001u);
  ASSERT_EQ(df.stages.size(), 1u);
  EXPECT_EQ(df.stages[0].last, df.instructions.size() - 1);
  // One long continuation: many spans, fast lookups.
  std::string cont = "FROM a\nENV ";
  for (int k = 0; k < 100'000; ++k) cont += "K" + std::to_string(k) + "=v \\\n";
  const auto df2 = Dockerfile::parse(cont);
  ASSERT_EQ(df2.instructions.size(), 2u);
  const auto kvs = key_values(df2.instructions[1]);
  ASSERT_EQ(kvs.size(), 100'000u);
  EXPECT_EQ(kvs.back().line, 100'001);
  EXPECT_EQ(kvs.back().column, 1);
}

TEST(DockerfileRobustness, RandomGarbageNeverCrashes) {
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::string_view alphabet[] = {"FROM ", "RUN ", "COPY ", "ENV ", "ARG ", "\\", "`", "\n", "\r\n", "<<",
                                       "<<-", "EOF", "\"", "'", "[", "]", "$", "${", "}", ":-", "--", "=", "#",
                                       " ", "\t", "AS ", "# escape=`\n", "x"};
  for (int round = 0; round < 400; ++round) {
    std::string input;
    const auto len = next() % (round < 300 ? 200 : 3000);
    for (std::uint64_t k = 0; k < len; ++k) {
      if (round % 2 == 0) {
        input += alphabet[next() % std::size(alphabet)];
      } else {
        char c = static_cast<char>(next() % 256);
        if (c == '\0') c = '\n';
        input += c;
      }
    }
    const auto df = Dockerfile::parse(input);
    for (const auto& ins : df.instructions) {
      (void)key_values(ins);
      EXPECT_LE(ins.line, ins.end_line);
    }
    for (const auto& st : df.stages) {
      (void)df.stage_instructions(st);
      (void)df.ancestry(st);
      EXPECT_LE(st.from, st.last);
    }
    (void)df.global_arg_defaults();
  }
}

}  // namespace
}  // namespace constable::dockerfile
