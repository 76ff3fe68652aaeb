package dev.magpie.daytona.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Git's machine-readable output turned into the daemon's reply shapes: GitStatus, commit history, remotes. */
final class GitReports {

    /** The arguments of {@code git status} whose output {@link #status} reads. */
    static final String[] STATUS = {"status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all"};
    /** The arguments of {@code git log} whose output {@link #history} reads. */
    static final String[] LOG = {"log", "-z", "--format=%H%x00%an%x00%ae%x00%aI%x00%B"};

    private GitReports() {
    }

    /**
     * The GitStatus of porcelain v2 output: a detached HEAD is named "HEAD", as the daemon's git library names it;
     * ahead and behind count against the upstream, zero without one.
     */
    static Map<String, Object> status(String output) {
        String head = "";
        String upstream = "";
        int ahead = 0;
        int behind = 0;
        List<Object> files = new ArrayList<>();
        String[] entries = output.split("\0");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            if (entry.startsWith("# branch.head ")) {
                head = entry.substring("# branch.head ".length());
            } else if (entry.startsWith("# branch.upstream ")) {
                upstream = entry.substring("# branch.upstream ".length());
            } else if (entry.startsWith("# branch.ab ")) {
                String[] ab = entry.substring("# branch.ab ".length()).split(" ");
                ahead = Integer.parseInt(ab[0].substring(1));
                behind = Integer.parseInt(ab[1].substring(1));
            } else if (entry.startsWith("? ")) {
                files.add(file(entry.substring(2), "Untracked", "Untracked", ""));
            } else if (entry.startsWith("1 ")) {
                String[] f = entry.split(" ", 9);
                files.add(file(f[8], state(f[1].charAt(0)), state(f[1].charAt(1)), ""));
            } else if (entry.startsWith("2 ")) {
                // a rename or copy: the original path follows as the next entry
                String[] f = entry.split(" ", 10);
                String original = i + 1 < entries.length ? entries[++i] : "";
                files.add(file(f[9], state(f[1].charAt(0)), state(f[1].charAt(1)), original));
            } else if (entry.startsWith("u ")) {
                String[] f = entry.split(" ", 11);
                files.add(file(f[10], "Updated but unmerged", "Updated but unmerged", ""));
            }
        }
        boolean detached = head.equals("(detached)");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("currentBranch", detached ? "HEAD" : head);
        out.put("fileStatus", files);
        out.put("branchPublished", !upstream.isEmpty());
        out.put("ahead", ahead);
        out.put("behind", behind);
        if (detached) {
            out.put("detached", true);
        }
        if (!upstream.isEmpty()) {
            out.put("upstream", upstream);
        }
        return out;
    }

    private static Map<String, Object> file(String name, String staging, String worktree, String extra) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("extra", extra);
        out.put("staging", staging);
        out.put("worktree", worktree);
        return out;
    }

    private static String state(char code) {
        switch (code) {
            case 'M':
            case 'T':
                return "Modified";
            case 'A': return "Added";
            case 'D': return "Deleted";
            case 'R': return "Renamed";
            case 'C': return "Copied";
            case 'U': return "Updated but unmerged";
            default: return "Unmodified";
        }
    }

    /** The GitCommitInfo list of {@link #LOG}'s output, newest first; each message as stored, newline included. */
    static List<Object> history(String output) {
        List<Object> commits = new ArrayList<>();
        String[] fields = output.split("\0", -1);
        for (int i = 0; i + 4 < fields.length; i += 5) {
            Map<String, Object> commit = new LinkedHashMap<>();
            // git separates commits with a newline ahead of the next hash
            commit.put("hash", fields[i].strip());
            commit.put("author", fields[i + 1]);
            commit.put("email", fields[i + 2]);
            commit.put("message", fields[i + 4]);
            commit.put("timestamp", fields[i + 3]);
            commits.add(commit);
        }
        return commits;
    }

    /**
     * The GitRemote list of {@code git remote -v} output: each remote's fetch URL, with a password in it left out
     * (the daemon shows only the user).
     */
    static List<Object> remotes(String output) {
        List<Object> remotes = new ArrayList<>();
        for (String line : output.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0 || !line.endsWith(" (fetch)")) {
                continue;
            }
            String url = line.substring(tab + 1, line.length() - " (fetch)".length());
            remotes.add(Map.of("name", line.substring(0, tab),
                    "url", url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/:@]+):[^/@]*@", "$1@")));
        }
        return remotes;
    }
}
