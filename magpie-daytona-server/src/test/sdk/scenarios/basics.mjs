// Create, run a command, read the paths the SDK reports, delete.
import { daytona, report } from './sdk.mjs';

const client = daytona();
const sandbox = await client.create({}, { timeout: 60 });
const exec = await sandbox.process.executeCommand('echo hello');
const result = {
  state: sandbox.state,
  exitCode: exec.exitCode,
  output: exec.result,
  home: await sandbox.getUserHomeDir(),
  workDir: await sandbox.getWorkDir(),
};
await sandbox.delete();
result.listedAfterDelete = false;
for await (const listed of client.list()) {
  result.listedAfterDelete ||= listed.id === sandbox.id;
}
report(result);
