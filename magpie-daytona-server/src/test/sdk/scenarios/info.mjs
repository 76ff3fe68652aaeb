// The sandbox information calls: work and home directory, the daemon version, ports in use, resource usage, the
// environment.
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

// the latest resource sample, twice: the second one has a CPU usage window
await sandbox.getMetricsLatest();
r.metrics = await sandbox.getMetricsLatest();

// the daemon's environment: new commands and sessions get it, a request's own variables win
const printed = async (command, env) => (await sandbox.process.executeCommand(command, undefined, env)).result;
await sandbox.updateEnv({ MAGPIE_GREETING: "it's set" });
r.envSet = await printed('printf %s "$MAGPIE_GREETING"');
r.envRequestWins = await printed('printf %s "$MAGPIE_GREETING"', { MAGPIE_GREETING: 'from the request' });
await sandbox.process.createSession('env');
r.envInSession = (await sandbox.process.executeSessionCommand('env', {
  command: 'printf %s "$MAGPIE_GREETING"' })).stdout;
await sandbox.updateEnv({}, { unset: ['MAGPIE_GREETING'] });
r.envUnset = await printed('printf %s "${MAGPIE_GREETING-gone}"');
r.envBadName = await failure(() => sandbox.updateEnv({ 'NOT A NAME': 'x' }));

await sandbox.delete();
report(r);
