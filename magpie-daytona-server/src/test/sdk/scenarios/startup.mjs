// Create-to-started as the SDK sees it (create() resolves once the SDK saw `started`), three ways:
// - gateway: the SDK as users run it, resolving on the event gateway's sandbox.state.updated;
// - noGateway: the same SDK whose gateway is shut, as against a server without one: events never come and the
//   SDK polls once a second while subscribed;
// - polling: the SDK's own polling mode (useDeprecatedPolling), 100 ms polls.
import { Daytona } from '@daytonaio/sdk';
import { args, report } from './sdk.mjs';

const config = { apiKey: process.env.DAYTONA_API_KEY, apiUrl: process.env.DAYTONA_API_URL, target: 'local' };

async function measure(client) {
  const millis = [];
  const states = [];
  // one round unmeasured: the gateway connects meanwhile, as for a client that has been up a while
  await (await client.create({}, { timeout: 60 })).delete();
  for (let i = 0; i < args.rounds; i++) {
    const start = performance.now();
    const sandbox = await client.create({}, { timeout: 60 });
    millis.push(Math.round(performance.now() - start));
    states.push(sandbox.state);
    await sandbox.delete();
  }
  return { millis, states };
}

const gateway = new Daytona(config);
const noGateway = new Daytona(config);
noGateway.eventDispatcher.disconnect();
const polling = new Daytona({ ...config, useDeprecatedPolling: true });

report({
  gateway: await measure(gateway),
  noGateway: await measure(noGateway),
  polling: await measure(polling),
});
