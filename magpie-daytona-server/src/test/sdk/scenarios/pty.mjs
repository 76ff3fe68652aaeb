// A PTY session: created with a size and variables, input typed, output seen, resized, exited with a code.
import { daytona, report } from './sdk.mjs';

const client = daytona();
const sandbox = await client.create({}, { timeout: 60 });
const result = {};
let output = '';
const decoder = new TextDecoder();

async function waitFor(text) {
  const deadline = Date.now() + 30_000;
  while (!output.includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" on the terminal within 30 s; it shows: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

const pty = await sandbox.process.createPty({
  id: 'term', cols: 100, rows: 30, envs: { GREETING: 'hi-there' },
  onData: (data) => { output += decoder.decode(data, { stream: true }); },
});
await pty.sendInput('echo "$GREETING"; stty size\n');
result.greeting = await waitFor('hi-there');
result.initialSize = await waitFor('30 100');
result.listed = (await sandbox.process.listPtySessions()).map((s) => s.id);
const resized = await sandbox.process.resizePtySession('term', 120, 40);
result.resized = [resized.cols, resized.rows];
await pty.sendInput('stty size\n');
result.newSize = await waitFor('40 120');
await pty.sendInput('exit 7\n');
result.exit = await pty.wait();
result.infoAfterExit = await sandbox.process.getPtySessionInfo('term');
await sandbox.process.killPtySession('term');
result.listedAfterKill = (await sandbox.process.listPtySessions()).length;
await pty.disconnect();
await sandbox.delete();
report(result);
