// A client written with the official MCP TypeScript SDK, calling every tool
// of `constable mcp`, reading its resources and getting its prompt; the SDK
// validates each structuredContent against the tool's outputSchema.
//
//   node sdk_client.mjs stdio CONSTABLE_BINARY ARGS...   # spawns `constable mcp ARGS...`
//   node sdk_client.mjs http URL
//
// Prints one JSON line (what was checked) and exits 0, or prints why and exits 1.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [mode, target, ...rest] = process.argv.slice(2);
const transport =
  mode === 'stdio'
    ? new StdioClientTransport({ command: target, args: ['mcp', ...rest], stderr: 'inherit' })
    : new StreamableHTTPClientTransport(new URL(target));
const client = new Client({ name: 'constable-sdk-test', version: '1.0.0' });

const checked = [];
function expect(condition, what) {
  if (!condition) throw new Error(`expected ${what}`);
  checked.push(what);
}
async function call(name, args) {
  const result = await client.callTool({ name, arguments: args });
  expect(Array.isArray(result.content) && result.content[0].type === 'text', `${name} returns text`);
  return result;
}

try {
  await client.connect(transport);
  expect(client.getServerVersion().name === 'constable', 'the server names itself constable');
  expect(client.getServerCapabilities().tools !== undefined, 'the tools capability');

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  expect(
    JSON.stringify(names) ===
      JSON.stringify(['applicable_clauses', 'check_files', 'check_repository', 'coverage', 'explain_check', 'explain_clause', 'list_overdue']),
    `every tool listed (got ${names})`,
  );

  const applicable = await call('applicable_clauses', { path: 'Dockerfile' });
  const checks = applicable.structuredContent.clauses.flatMap((c) => c.checks.map((k) => k.check));
  expect(checks.includes('docker/non-root-user'), 'applicable_clauses names docker/non-root-user for a Dockerfile');

  const files = await call('check_files', {
    files: [{ path: 'Dockerfile', content: 'FROM python:latest\nCMD ["python"]\n' }],
  });
  const found = files.structuredContent.findings.map((f) => f.check);
  expect(found.includes('docker/base-image-tag'), 'check_files finds the latest tag in memory');
  expect(files.structuredContent.findings.every((f) => f.clause && f.due && f.fix !== undefined), 'findings carry clause, due date and fix');

  const repository = await call('check_repository', {});
  expect(repository.structuredContent.summary.violations > 0, 'check_repository finds the example repository\'s violations');

  const clauseId = files.structuredContent.findings[0].clause.id;
  const clause = await call('explain_clause', { id: clauseId });
  expect(clause.structuredContent.enforced_by.length > 0, 'explain_clause names the checks of a clause');
  const check = await call('explain_check', { id: 'docker/non-root-user' });
  expect(check.structuredContent.severity === 'critical', 'explain_check gives the severity');
  const coverage = await call('coverage', {});
  expect(coverage.structuredContent !== undefined, 'coverage returns the coverage report');
  const overdue = await call('list_overdue', {});
  expect(overdue.isError || Array.isArray(overdue.structuredContent.overdue), 'list_overdue answers');

  const { resources } = await client.listResources();
  expect(resources[0].uri === 'constitution://document', 'the constitution is a resource');
  const document = await client.readResource({ uri: 'constitution://document' });
  expect(document.contents[0].text.includes('MUST'), 'the constitution can be read');
  const { resourceTemplates } = await client.listResourceTemplates();
  expect(resourceTemplates.length === 2, 'clause and check templates');
  const { prompts } = await client.listPrompts();
  expect(prompts[0].name === 'review_change', 'the review prompt');
  const prompt = await client.getPrompt({ name: 'review_change', arguments: { change: 'diff --git a/Dockerfile b/Dockerfile' } });
  expect(prompt.messages[0].content.text.includes('check_files'), 'the prompt tells the agent to call check_files');
  await client.ping();
  await client.close();
  console.log(JSON.stringify({ ok: true, checked }));
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error && error.stack ? error.stack : error), checked }));
  process.exit(1);
}
