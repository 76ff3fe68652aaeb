// Code run and command execution through the SDK: python (the SDK's default language) and javascript with
// arguments, variables and an exit code, a chart reported on the artifact marker, timeouts, and execute's
// working directory and variables.
import { daytona, report } from './sdk.mjs';

async function refusal(fn) {
  try {
    await fn();
    return { error: null };
  } catch (e) {
    return { error: e.constructor.name, status: e.statusCode ?? null, code: e.code ?? null };
  }
}

const client = daytona();
const python = await client.create({}, { timeout: 60 });
const result = {};
result.python = await python.process.codeRun(
  'import os, sys\nprint("args", sys.argv[1:], os.environ["GREETING"])\nprint("oops", file=sys.stderr)\nsys.exit(3)',
  { argv: ['one', 'two'], env: { GREETING: 'hello' } });
const chart = { type: 'chart', value: { type: 'bar', title: 'Widgets', elements: [] } };
result.chart = await python.process.codeRun(
  `print("before")\nprint("dtn_artifact_k39fd2:" + ${JSON.stringify(JSON.stringify(chart))})\nprint("after")`);
result.codeTimeout = await refusal(() => python.process.codeRun('import time\ntime.sleep(60)', {}, 1));

await python.process.executeCommand('mkdir -p sub/dir');
result.execute = await python.process.executeCommand('pwd; echo "$COLOUR"; exit 4', 'sub/dir', { COLOUR: 'teal' });
result.executeTimeout = await refusal(() => python.process.executeCommand('sleep 60', undefined, undefined, 1));
result.blank = await refusal(() => python.process.executeCommand('   '));
result.home = await python.getUserHomeDir();

const javascript = await client.create({ language: 'javascript' }, { timeout: 60 });
result.javascript = await javascript.process.codeRun(
  'console.log(process.argv.slice(1).join(","), process.env.GREETING)', { argv: ['x', 'y'], env: { GREETING: 'hi' } });
await python.delete();
await javascript.delete();
report(result);
