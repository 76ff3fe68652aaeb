// Stop and start (files kept, processes ended), labels set and listed by label, intervals, archive, recover.
import { daytona, args, report, failure } from './sdk.mjs';

const client = daytona();
const sandbox = await client.create({ labels: { suite: args.suite }, autoStopInterval: 0 }, { timeout: 60 });
const result = {};
await sandbox.process.executeCommand('echo kept > kept.txt');
await sandbox.process.createSession('background');
await sandbox.process.executeSessionCommand('background', { command: "sh -c 'echo $$ > sleeper.pid; exec sleep 3017'", runAsync: true });
await sandbox.process.executeCommand('while [ ! -s sleeper.pid ]; do sleep 0.02; done');

await sandbox.stop();
result.stateAfterStop = sandbox.state;
result.execWhileStopped = await failure(() => sandbox.process.executeCommand('true'));
await sandbox.start();
result.stateAfterStart = sandbox.state;
result.keptAfterRestart = (await sandbox.process.executeCommand('cat kept.txt')).result;
result.sessionsAfterRestart = (await sandbox.process.listSessions()).length;
result.sleeperAfterRestart = (await sandbox.process.executeCommand(
  // Found by its command line, not its pid: a restarted container numbers its processes afresh. A zombie (no init
  // reaps it here) counts as gone: it runs no more.
  'r=gone; for p in /proc/[0-9]*; do [ "$(tr "\\0" " " 2>/dev/null < $p/cmdline)" = "sleep 3017 " ] || continue; ' +
  'case "$(cut -d" " -f3 $p/stat 2>/dev/null)" in ""|Z) ;; *) r=alive;; esac; done; echo $r')).result.trim();

result.labels = await sandbox.setLabels({ suite: args.suite, role: 'db' });
const other = await client.create({ labels: { suite: args.suite, role: 'web' } }, { timeout: 60 });
result.listedDb = [];
for await (const listed of client.list({ labels: { suite: args.suite, role: 'db' } })) {
  result.listedDb.push(listed.id === sandbox.id ? 'first' : listed.id === other.id ? 'other' : listed.id);
}
result.listedSuite = 0;
for await (const listed of client.list({ labels: { suite: args.suite } })) {
  result.listedSuite += listed.labels.suite === args.suite ? 1 : 0;
}

await sandbox.setAutostopInterval(30);
await sandbox.setAutoArchiveInterval(60);
await sandbox.setAutoDeleteInterval(120);
const refreshed = await client.get(sandbox.id);
result.intervals = [refreshed.autoStopInterval, refreshed.autoArchiveInterval, refreshed.autoDeleteInterval];
result.negativeAutostop = await failure(() => sandbox.sandboxApi.setAutostopInterval(sandbox.id, -5));

result.archiveWhileStarted = await failure(() => sandbox.archive());
await sandbox.stop();
await sandbox.archive();
result.stateAfterArchive = sandbox.state;
await sandbox.start();
result.stateAfterArchivedStart = sandbox.state;
result.keptAfterArchive = (await sandbox.process.executeCommand('cat kept.txt')).result;
result.recover = await failure(() => sandbox.recover());

await other.delete();
await sandbox.delete();
report(result);
