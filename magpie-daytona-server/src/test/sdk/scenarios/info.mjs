// The sandbox information calls: work and home directory, the daemon version, ports in use.
import { PortApi } from '@daytona/toolbox-api-client';
import { daytona, args, report, failure } from './sdk.mjs';

const client = daytona();
const sandbox = await client.create({}, { timeout: 60 });
const ports = new PortApi(sandbox.clientConfig, '', sandbox.axiosInstance);
const inUse = async (port) => (await ports.isPortInUse(port)).data.isInUse;
const r = {
  home: await sandbox.getUserHomeDir(),
  workDir: await sandbox.getWorkDir(),
  version: (await sandbox.infoApi.getVersion()).data.version,
  freeBefore: await inUse(args.port),
};

// a listener in the sandbox, left running after the command returns
await sandbox.process.executeCommand(
  `nohup node -e "require('net').createServer().listen(${args.port})" > /dev/null 2>&1 &`);
const deadline = Date.now() + 30_000;
while (!(await inUse(args.port))) {
  if (Date.now() > deadline) throw new Error(`port ${args.port} not in use 30 s after the listener started`);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
r.inUse = true;
r.listed = (await ports.getPorts()).data.ports.includes(args.port);
r.outOfRange = await failure(() => ports.isPortInUse(80));

await sandbox.delete();
report(r);
