// Session commands: logs followed through the callbacks while the command runs, status and exit code, one-shot
// logs, input to a command that reads stdin, and deleting a session ends its commands.
import { daytona, report, failure } from './sdk.mjs';

const client = daytona();
const sandbox = await client.create({}, { timeout: 60 });
const result = {};
const process = sandbox.process;
await process.createSession('s');

// the command waits for a file the test writes only once the first line came through the callback
const started = await process.executeSessionCommand('s', {
  command: 'echo first; echo oops >&2; while [ ! -f go ]; do sleep 0.05; done; echo second; exit 3',
  runAsync: true,
});
result.asyncExitCode = started.exitCode ?? null;
const stdout = [];
const stderr = [];
let wroteGo = false;
await process.getSessionCommandLogs('s', started.cmdId, (chunk) => {
  stdout.push(chunk);
  if (!wroteGo && stdout.join('').includes('first')) {
    wroteGo = true;
    // the command is still running: the callback got its output live
    process.getSessionCommand('s', started.cmdId).then((c) => { result.exitCodeWhileRunning = c.exitCode ?? null; })
      .then(() => sandbox.process.executeCommand('touch go'));
  }
}, (chunk) => stderr.push(chunk));
result.followedStdout = stdout.join('');
result.followedStderr = stderr.join('');
result.status = await process.getSessionCommand('s', started.cmdId);
result.oneShot = await process.getSessionCommandLogs('s', started.cmdId);

const reader = await process.executeSessionCommand('s', { command: 'read line; echo "got $line"', runAsync: true });
await process.sendSessionCommandInput('s', reader.cmdId, 'hello\n');
const deadline = Date.now() + 30_000;
let command = await process.getSessionCommand('s', reader.cmdId);
while (command.exitCode === undefined || command.exitCode === null) {
  if (Date.now() > deadline) throw new Error('the command reading input did not end within 30 s');
  await new Promise((resolve) => setTimeout(resolve, 20));
  command = await process.getSessionCommand('s', reader.cmdId);
}
result.inputExitCode = command.exitCode;
result.inputOutput = (await process.getSessionCommandLogs('s', reader.cmdId)).stdout;
result.inputAfterExit = await failure(() => process.sendSessionCommandInput('s', reader.cmdId, 'late\n'));

await process.createSession('doomed');
await process.executeSessionCommand('doomed', { command: "sh -c 'echo $$ > sleeper.pid; exec sleep 300'", runAsync: true });
await process.executeCommand('while [ ! -s sleeper.pid ]; do sleep 0.02; done');
await process.deleteSession('doomed');
result.sleeperAfterDelete = (await process.executeCommand(
  // a zombie (no init reaps it here) counts as gone: it runs no more
  'case "$(cut -d" " -f3 /proc/$(cat sleeper.pid)/stat 2>/dev/null)" in ""|Z) echo gone;; *) echo alive;; esac')).result.trim();
result.sessions = (await process.listSessions()).map((s) => s.sessionId);

await sandbox.delete();
report(result);
