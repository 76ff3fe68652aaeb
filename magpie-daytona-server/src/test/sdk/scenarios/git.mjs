// Git through the SDK on a repository the Java test laid into the snapshot (a bare origin with main and feature):
// clone, branches, status, add, commit, history, push and pull against the origin, reset, restore, remotes,
// configuration, init, and the failures the daemon reports.
import { daytona, args, report } from './sdk.mjs';

async function refusal(fn) {
  try {
    await fn();
    return { error: null };
  } catch (e) {
    return { error: e.constructor.name, status: e.statusCode ?? null, code: e.code ?? null, message: String(e.message) };
  }
}

const client = daytona();
const sandbox = await client.create({ snapshot: args.snapshot }, { timeout: 60 });
const git = sandbox.git;
const home = await sandbox.getUserHomeDir();
const origin = `${home}/origin.git`;
const work = `${home}/work`;
const run = (command) => sandbox.process.executeCommand(command, work);
const names = (status) => status.fileStatus.map((f) => `${f.name}:${f.staging}/${f.worktree}`).sort();
const result = { sandboxId: sandbox.id, home };

await git.clone(`file://${origin}`, 'work', undefined, undefined, 'reader', args.password);
result.cloned = await git.status(work);
result.shallowClone = await refusal(() => git.clone(`file://${origin}`, `${home}/shallow`, 'feature', undefined,
  undefined, undefined, undefined, 1));
result.shallowHistory = (await git.apiClient.getCommitHistory(`${home}/shallow`)).data.map((c) => c.message);

await git.createBranch(work, 'topic');
result.branchesAfterCreate = await git.branches(work);
await run('echo "first notes" > notes.txt');
result.untracked = names(await git.status(work));
await git.add(work, ['notes.txt']);
result.staged = names(await git.status(work));
result.topicCommit = (await git.commit(work, 'Add notes', 'Ada Lovelace', 'ada@example.com')).sha;
result.history = (await git.apiClient.getCommitHistory(work)).data;
result.firstCommit = result.history[result.history.length - 1].hash;
await git.clone(origin, `${home}/pinned`, undefined, result.firstCommit);
result.pinned = await git.status(`${home}/pinned`);
result.emptyCommit = (await git.commit(work, 'Nothing changed', 'Ada Lovelace', 'ada@example.com', true)).sha;
await git.push(work, undefined, undefined, undefined, undefined, true);

await git.clone(`file://${origin}`, `${home}/other`);
await sandbox.process.executeCommand('echo "from elsewhere" > elsewhere.txt', `${home}/other`);
await git.add(`${home}/other`, ['.']);
result.otherCommit = (await git.commit(`${home}/other`, 'Work from elsewhere', 'Grace Hopper', 'grace@example.com')).sha;
await git.push(`${home}/other`);

await git.checkoutBranch(work, 'main');
await git.pull(work);
result.afterPull = (await git.apiClient.getCommitHistory(work)).data.map((c) => c.hash);
await run('echo "main notes" > main.txt');
await git.add(work, ['main.txt']);
result.mainCommit = (await git.commit(work, 'Main notes', 'Ada Lovelace', 'ada@example.com')).sha;
result.ahead = await git.status(work);
await git.push(work);
result.afterMainPush = await git.status(work);

await run('echo changed >> README.md');
result.modified = names(await git.status(work));
await git.restore(work, ['README.md']);
result.restored = names(await git.status(work));
await run('echo staged >> README.md');
await git.add(work, ['README.md']);
await git.reset(work);
result.mixedReset = names(await git.status(work));
await git.reset(work, 'hard');
result.hardReset = names(await git.status(work));
await git.reset(work, 'soft', 'HEAD~1');
result.softReset = names(await git.status(work));
await git.reset(work, 'hard', 'origin/main');

await git.deleteBranch(work, 'topic');
result.branchesAfterDelete = await git.branches(work);
result.remotes = await git.remotes(work);
await git.remoteAdd(work, 'mirror', `file://${home}/other`, true);
result.mirror = await git.remoteGet(work, 'mirror');
await git.configureUser('Ada Lovelace', 'ada@example.com');
await git.setConfig('core.autocrlf', 'input', 'local', work);
result.config = {
  userName: await git.getConfig('user.name'),
  autocrlf: await git.getConfig('core.autocrlf', 'local', work),
  unset: (await git.getConfig('magpie.nothing')) ?? null,
};
await git.init(`${home}/fresh`, false, 'trunk');
result.fresh = await git.status(`${home}/fresh`);

result.missingRepo = await refusal(() => git.clone(`file://${home}/no-such.git`, `${home}/missing`, undefined,
  undefined, 'reader', args.password));
result.unknownBranch = await refusal(() => git.checkoutBranch(work, 'no-such-branch'));
result.notARepo = await refusal(() => git.status(home));
result.existingBranch = await refusal(() => git.createBranch(work, 'main'));
result.outside = await refusal(() => git.status('/'));
if (args.httpUrl) {
  // a remote behind Basic authentication: the credentials must reach it, and a wrong one must show nowhere
  result.httpClone = await refusal(() => git.clone(args.httpUrl, `${home}/over-http`, undefined, undefined,
    'reader', args.password));
  result.httpCloned = (await git.branches(`${home}/over-http`)).current;
  result.wrongPassword = await refusal(() => git.clone(args.httpUrl, `${home}/denied`, undefined, undefined,
    'reader', 'not-the-password-42'));
  result.noCredentials = await refusal(() => git.clone(args.httpUrl, `${home}/anonymous`));
}
// the sandbox stays for the Java side to read its origin; the client lets go of its event connection
await client[Symbol.asyncDispose]();
report(result);
