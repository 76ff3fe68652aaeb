// Preview URLs of a port the sandbox serves: the standard link with its token header, a signed URL that needs no
// header, and that URL expired.
import { daytona, args, report, failure } from './sdk.mjs';

const client = daytona();
const sandbox = await client.create({}, { timeout: 60 });
await sandbox.process.executeCommand(`nohup node -e "require('http').createServer((q, s) => s.end('served ' + q.url))`
  + `.listen(${args.port})" > /dev/null 2>&1 &`);

// the service answers once it listens: poll the standard link with a deadline
const link = await sandbox.getPreviewLink(args.port);
const get = (url, headers = {}) => fetch(url, { headers }).then(async (res) => ({ status: res.status, body: await res.text() }));
const deadline = Date.now() + 30_000;
let standard = await get(link.url + '/standard', { 'x-daytona-preview-token': link.token });
while (standard.status !== 200) {
  if (Date.now() > deadline) throw new Error(`the preview answered ${standard.status} 30 s after the service started`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  standard = await get(link.url + '/standard', { 'x-daytona-preview-token': link.token });
}
const signed = await sandbox.getSignedPreviewUrl(args.port, 120);
const r = {
  standard,
  signedPort: signed.port,
  signedToken: signed.token,
  signed: await get(signed.url + '/signed'),
  sameAsStandard: signed.url === link.url,
};
await sandbox.expireSignedPreviewUrl(args.port, signed.token);
r.afterExpiry = await failure(() => fetch(signed.url + '/expired'));
r.standardAfterExpiry = (await get(link.url + '/standard', { 'x-daytona-preview-token': link.token })).status;
r.badExpiry = await failure(() => sandbox.getSignedPreviewUrl(args.port, 0));

await sandbox.delete();
report(r);
