// Auto-stop after the idle interval, then auto-delete after the stopped interval, on the server's clock.
import { daytona, report } from './sdk.mjs';

const client = daytona();
const sandbox = await client.create({ autoStopInterval: 1, autoDeleteInterval: 1 }, { timeout: 60 });
const result = { intervals: [sandbox.autoStopInterval, sandbox.autoDeleteInterval] };
await sandbox.process.executeCommand('echo written > file.txt');
await sandbox.waitUntilStopped(60);
result.stateAfterIdle = sandbox.state;
const deadline = Date.now() + 60_000;
result.deleted = false;
while (!result.deleted && Date.now() < deadline) {
  try {
    await sandbox.refreshData();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } catch (e) {
    result.deleted = e.constructor.name === 'DaytonaNotFoundError';
    result.error = e.constructor.name;
    if (!result.deleted) break;
  }
}
report(result);
