// The SDK's file system calls: round trips (binary, large, missing), bulk transfers with a missing file, folders,
// listing, details, move, permissions, find/search/replace, recursive delete, and paths that leave the sandbox.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daytona, args, report, failure } from './sdk.mjs';

const client = daytona();
const sandbox = await client.create({}, { timeout: 60 });
const fs = sandbox.fs;
const home = await sandbox.getUserHomeDir();
const r = { home, workDir: await sandbox.getWorkDir() };

const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
await fs.uploadFile(binary, 'data/bytes.bin');
r.binaryRelative = (await fs.downloadFile('data/bytes.bin')).equals(binary);
r.binaryAbsolute = (await fs.downloadFile(`${home}/data/bytes.bin`)).equals(binary);
r.missing = await failure(() => fs.downloadFile('data/missing.txt'));
const oddName = 'data/ünï € "quoted" ;name.bin';
await fs.uploadFile(Buffer.from('odd'), oddName);
r.oddName = (await fs.downloadFile(oddName)).toString();

// a file larger than any buffer on the way, from a local file to a local file
const local = await mkdtemp(join(tmpdir(), 'magpie-sdk-files-'));
const large = Buffer.alloc(args.largeBytes);
for (let i = 0; i + 4 <= large.length; i += 4096) large.writeUInt32LE(i, i);
await writeFile(join(local, 'large.in'), large);
await fs.uploadFile(join(local, 'large.in'), 'data/large.bin');
await fs.downloadFile('data/large.bin', join(local, 'large.out'));
const sha = (b) => createHash('sha256').update(b).digest('hex');
r.largeIntact = sha(await readFile(join(local, 'large.out'))) === sha(large);
r.largeSize = (await fs.getFileDetails('data/large.bin')).size;
// the streaming forms: a chunked upload from a stream, a download handed over as a stream
await fs.uploadFileStream(createReadStream(join(local, 'large.in')), 'data/streamed.bin');
const chunks = [];
for await (const chunk of await fs.downloadFileStream('data/streamed.bin')) chunks.push(chunk);
r.streamedIntact = sha(Buffer.concat(chunks)) === sha(large);

await fs.uploadFiles([
  { source: Buffer.from('one'), destination: 'bulk/one.txt' },
  { source: Buffer.from('two'), destination: `${home}/bulk/two.txt` },
  { source: Buffer.from('first\nsecond TODO\nTODO third\n'), destination: 'bulk/deep/three.txt' },
]);
const many = await fs.downloadFiles([
  { source: 'bulk/one.txt' },
  { source: `${home}/bulk/two.txt` },
  { source: 'bulk/absent.txt' },
  { source: 'bulk/deep' },
]);
r.bulk = many.map((m) => ({
  source: m.source,
  text: m.result ? m.result.toString() : null,
  error: m.error ?? null,
  status: m.errorDetails?.statusCode ?? null,
  code: m.errorDetails?.code ?? null,
}));

await fs.createFolder('made/inner', '700');
r.folder = await fs.getFileDetails('made/inner');
r.list = (await fs.listFiles('.')).map((f) => f.name);
r.deepList = (await fs.listFiles('bulk', { depth: 2 })).map((f) => f.path);
r.listMissing = await failure(() => fs.listFiles('nowhere'));

await fs.moveFiles('bulk/one.txt', 'made/one.txt');
r.moved = (await fs.downloadFile('made/one.txt')).toString();
r.moveOntoExisting = await failure(() => fs.moveFiles('made/one.txt', 'bulk/two.txt'));
r.moveMissing = await failure(() => fs.moveFiles('nothing', 'made/nothing'));

await fs.setFilePermissions('made/one.txt', { mode: '750' });
r.permissions = (await fs.getFileDetails('made/one.txt')).permissions;
r.modeSeenByCommand = (await sandbox.process.executeCommand('stat -c %a made/one.txt')).result.trim();
r.unknownOwner = await failure(() => fs.setFilePermissions('made/one.txt', { owner: 'no-such-user-magpie' }));
r.badMode = await failure(() => fs.setFilePermissions('made/one.txt', { mode: 'rwx' }));

r.find = await fs.findFiles('bulk', 'TODO');
r.search = (await fs.searchFiles(home, '*.txt')).files;
r.replace = await fs.replaceInFiles(['bulk/deep/three.txt', 'bulk/absent.txt'], 'TODO', 'DONE');
r.replaced = (await fs.downloadFile('bulk/deep/three.txt')).toString();

r.deleteDirectoryPlainly = await failure(() => fs.deleteFile('bulk'));
await fs.deleteFile('bulk', true);
r.afterDelete = await failure(() => fs.getFileDetails('bulk'));

r.escapeRelative = await failure(() => fs.downloadFile('../../../../etc/passwd'));
r.escapeAbsolute = await failure(() => fs.getFileDetails('/etc/passwd'));
r.escapeUpload = await failure(() => fs.uploadFile(Buffer.from('x'), '../outside.txt'));
await sandbox.process.executeCommand('ln -s /etc planted');
r.escapeLink = await failure(() => fs.downloadFile('planted/hostname'));
r.escapeMove = await failure(() => fs.moveFiles('made', '/tmp/made'));

await sandbox.delete();
report(r);
