package dev.magpie.sandbox.local;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.internal.GithubShorthand;
import dev.magpie.sandbox.internal.HostGit;
import dev.magpie.sandbox.internal.SourceCommit;
import dev.magpie.sandbox.internal.ProcessRunner;
import dev.magpie.sandbox.internal.TreeDeleter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Clones sources into new workspace directories. With the cache on (the default), the first clone of a source
 * fetches it once into a bare mirror; every clone after it, in this JVM, is a local copy of that mirror:
 * objects copied, not hard-linked or borrowed through alternates, so each workspace stands alone, and
 * {@code origin} points at the original source. Thread-safe: concurrent clones of one source share one fetch.
 */
final class Cloner {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,40}");
    private static final String OWNER = "magpie-clone";

    private final TempDirs dirs;
    private final ProcessRunner runner;
    private final Map<String, CompletableFuture<Mirror>> mirrors = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ghReady = new ConcurrentHashMap<>();

    /** A bare mirror of a source, and the URL its clones name as {@code origin}. */
    private record Mirror(Path repository, String origin) {
    }

    Cloner(TempDirs dirs, ProcessRunner runner) {
        this.dirs = dirs;
        this.runner = runner;
    }

    /** A new temporary directory holding a clone of the spec's source at its ref. */
    Path cloneInto(CloneSpec spec, Settings settings) {
        HostGit git = git(settings);
        CloneSource source = source(spec, settings, git);
        Path target = dirs.create("clone");
        try {
            if (settings.getBoolean(LocalWorkspace.CLONE_CACHE_KEY, true)) {
                Mirror mirror = mirror(source, spec, git);
                // The mirror's own depth carries over; git ignores --depth for local clones.
                cloneLocally(git, mirror.repository().toString(), target, spec, source, List.of("--no-hardlinks"),
                        false);
                git.run(target, "to point origin at " + source.display(), "remote", "set-url", "origin",
                        mirror.origin());
            } else if (source.viaGh()) {
                ghClone(git, source, target, spec, List.of());
            } else {
                cloneLocally(git, gitLocation(source, spec), target, spec, source, List.of(), true);
            }
            return target;
        } catch (RuntimeException e) {
            try {
                TreeDeleter.delete(target);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * What identifies the spec's source and the commit its ref names now, asked of the source itself (a cached
     * mirror may be older).
     */
    String sourceAndCommit(CloneSpec spec, Settings settings) {
        HostGit git = git(settings);
        CloneSource source = source(spec, settings, git);
        String location = source.viaGh() ? GithubShorthand.DEFAULT_BASE + "/" + source.shorthand() + ".git"
                : source.location();
        return source.key() + "@" + SourceCommit.resolve(git, location, spec.ref().orElse(null));
    }

    private HostGit git(Settings settings) {
        return new HostGit(runner, settings.get(LocalWorkspace.GIT_KEY, "git"),
                settings.get(LocalWorkspace.GH_KEY, "gh"),
                settings.getDuration(LocalWorkspace.CLONE_TIMEOUT_KEY, Duration.ofMinutes(10)), OWNER, ProviderId.LOCAL);
    }

    private CloneSource source(CloneSpec spec, Settings settings, HostGit git) {
        String base = spec.githubBase().orElseGet(() -> settings.get(LocalWorkspace.GITHUB_BASE_KEY,
                CloneSpec.DEFAULT_GITHUB_BASE));
        return CloneSource.resolve(spec.source(), base, () -> ghReady(git.gh()));
    }

    /** Deletes every cached mirror. */
    void clear() {
        for (CompletableFuture<Mirror> future : mirrors.values()) {
            Mirror mirror = future.getNow(null);
            if (mirror != null) {
                TreeDeleter.delete(mirror.repository().getParent());
            }
        }
        mirrors.clear();
    }

    private Mirror mirror(CloneSource source, CloneSpec spec, HostGit git) {
        String key = source.key() + "#depth=" + spec.depth().orElse(0);
        CompletableFuture<Mirror> mine = new CompletableFuture<>();
        CompletableFuture<Mirror> existing = mirrors.putIfAbsent(key, mine);
        if (existing != null) {
            try {
                return existing.join();
            } catch (CompletionException e) {
                throw (RuntimeException) e.getCause();
            }
        }
        try {
            Mirror mirror = fetchMirror(source, spec, git);
            mine.complete(mirror);
            return mirror;
        } catch (RuntimeException e) {
            mirrors.remove(key, mine); // a later clone tries again
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private Mirror fetchMirror(CloneSource source, CloneSpec spec, HostGit git) {
        Path dir = dirs.create("mirror");
        Path repository = dir.resolve("repository.git");
        try {
            List<String> options = new ArrayList<>(List.of("--mirror"));
            // --depth alone would fetch one branch; the mirror serves every ref of the source.
            spec.depth().ifPresent(depth -> options.addAll(List.of("--depth=" + depth, "--no-single-branch")));
            if (source.viaGh()) {
                ghClone(git, source, repository, spec, options);
                String origin = git.exec(git.program(), repository, "config", "--get", "remote.origin.url").stdout()
                        .strip();
                return new Mirror(repository, origin);
            }
            if (source.isLocalPath()) {
                options.add("--no-local"); // one pack instead of thousands of loose objects: clones copy it fast
            }
            List<String> args = new ArrayList<>(List.of("clone", "--quiet"));
            args.addAll(options);
            args.add("--");
            args.add(gitLocation(source, spec));
            args.add(repository.toString());
            git.run(dir, "to clone " + source.display(), args.toArray(String[]::new));
            return new Mirror(repository, source.location());
        } catch (RuntimeException e) {
            TreeDeleter.delete(dir);
            throw e;
        }
    }

    /** {@code git clone} of {@code from} into the empty {@code target}, then the ref checked out. */
    private static void cloneLocally(HostGit git, String from, Path target, CloneSpec spec, CloneSource source,
                                     List<String> extra, boolean withDepth) {
        List<String> args = new ArrayList<>(List.of("-c", "checkout.workers=0", "clone", "--quiet"));
        args.addAll(extra);
        if (withDepth) {
            spec.depth().ifPresent(depth -> args.add("--depth=" + depth));
        }
        boolean commit = spec.ref().map(ref -> COMMIT.matcher(ref).matches()).orElse(false);
        if (commit) {
            args.add("--no-checkout");
        } else {
            spec.ref().ifPresent(ref -> args.add("--branch=" + ref));
        }
        args.add("--");
        args.add(from);
        args.add(target.toString());
        git.run(target, "to clone " + source.display() + spec.ref().map(ref -> " at ref '" + ref
                + "' (expected a branch, tag or commit of it)").orElse(""), args.toArray(String[]::new));
        if (commit) {
            git.run(target, "to check out commit " + spec.ref().get(), "-c", "checkout.workers=0", "checkout",
                    "--quiet", "--detach", spec.ref().get());
        }
    }

    private static void ghClone(HostGit git, CloneSource source, Path target, CloneSpec spec, List<String> options) {
        List<String> args = new ArrayList<>(List.of("repo", "clone", source.shorthand(), target.toString(), "--"));
        args.addAll(options);
        if (options.isEmpty()) {
            spec.depth().ifPresent(depth -> args.add("--depth=" + depth));
            spec.ref().filter(ref -> !COMMIT.matcher(ref).matches()).ifPresent(ref -> args.add("--branch=" + ref));
        }
        HostGit.check(git.exec(git.gh(), target.getParent(), args.toArray(String[]::new)), "to clone " + source.display());
        spec.ref().filter(ref -> options.isEmpty() && COMMIT.matcher(ref).matches()).ifPresent(ref ->
                git.run(target, "to check out commit " + ref, "checkout", "--quiet", "--detach", ref));
    }

    /** What git clones from; a shallow clone of a local path needs a file:// URL, or git ignores the depth. */
    private static String gitLocation(CloneSource source, CloneSpec spec) {
        return spec.depth().isPresent() && source.isLocalPath() ? "file://" + source.location() : source.location();
    }

    /** Whether {@code gh} is installed and logged in; asked once per program and JVM. */
    private boolean ghReady(String gh) {
        return ghReady.computeIfAbsent(gh, program -> {
            try {
                return runner.run(ExecRequest.builder(program, "auth", "status").timeout(Duration.ofSeconds(30))
                        .build(), Path.of(".").toAbsolutePath().toFile(), System.getenv(), OWNER).succeeded();
            } catch (CommandStartException e) {
                return false;
            }
        });
    }
}
