package dev.magpie.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects a sandbox — a {@link dev.magpie.sandbox.Workspace} — into a field or a parameter of a test, lifecycle
 * method or constructor, and destroys it afterwards.
 *
 * <pre>{@code
 * @Test
 * void builds(@Sandbox(cloneFrom = "${widgets.repo}") Workspace sandbox) {
 *     assertThat(sandbox.shell("make test")).succeeded();
 * }
 * }</pre>
 *
 * <p><b>Type.</b> The declared type is {@code Workspace} or a provider type that implements it, such as
 * {@code LocalWorkspace}. Any other type fails the test with a message naming the declaration.
 *
 * <p><b>Source.</b> At most one of {@link #path()} and {@link #cloneFrom()}; {@link #snapshot()} starts a container
 * or a remote sandbox. With none of them the sandbox is an empty temporary directory. Every string attribute
 * may contain {@code ${key}} placeholders, resolved like every configuration key: JUnit configuration
 * parameters, system properties, then the environment variable for the key ({@code ${repo.url}} reads
 * {@code REPO_URL}). A placeholder without a value fails the test.
 *
 * <p><b>Lifecycle.</b> One sandbox per declaration, created when the declaration is injected: an instance field,
 * or a parameter of a test method, {@code @BeforeEach} or {@code @AfterEach} method, has one per test; a static
 * field, or a parameter of a {@code @BeforeAll} or {@code @AfterAll} method, has one per class. Each is kept in
 * the JUnit extension store and destroyed, as {@link #cleanup()} says, when its test or class ends. A failure
 * to destroy fails the test; the test's own failure is kept, with the destroy failure suppressed in it.
 *
 * <p><b>Unavailable providers.</b> When the provider cannot work here (no Docker engine, no Daytona
 * credentials) the test is aborted — reported as skipped — with the reason, unless the provider is required:
 * {@link #required()}, the key {@code magpie.<provider>.required}, the key {@value #REQUIRED_PROPERTY_NAME},
 * or else the environment variable {@code CI} being {@code true}; then it fails. Every other error fails.
 *
 * <p><b>Failures.</b> When a test fails, the transcript of each of its sandboxes is published as a report entry
 * ({@value #TRANSCRIPT_REPORT_KEY}) and printed.
 *
 * <p>No other annotation is needed: this one registers {@link SandboxExtension}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@ExtendWith(SandboxExtension.class)
public @interface Sandbox {

    /** Configuration key of the cleanup mode used for {@link CleanupMode#DEFAULT}: always, on_success or never. */
    String DEFAULT_CLEANUP_MODE_PROPERTY_NAME = "magpie.sandbox.cleanup.default";

    /**
     * Configuration key: {@code true} makes an unavailable provider fail the test instead of skipping it,
     * {@code false} skips even when {@code CI=true}. {@code magpie.<provider>.required} (for example
     * {@code magpie.docker.required}) takes precedence for one provider.
     */
    String REQUIRED_PROPERTY_NAME = "magpie.sandbox.required";

    /** Key of the report entry that carries a failed test's transcript. */
    String TRANSCRIPT_REPORT_KEY = "magpie.sandbox.transcript";

    /** Key of the report entry published for a sandbox kept by its cleanup mode. */
    String KEPT_REPORT_KEY = "magpie.sandbox.kept";

    /** An existing local directory to use as it is; it is never deleted. */
    String path() default "";

    /**
     * A repository to clone into a fresh directory: {@code org/name}, a git URL, or a local path. (Java forbids an
     * annotation element named {@code clone}.)
     */
    String cloneFrom() default "";

    /** A branch, tag or commit of {@link #cloneFrom()}. */
    String ref() default "";

    /** A Daytona snapshot or a Docker image to start the sandbox from. */
    String snapshot() default "";

    /**
     * The provider's name: {@code local}, {@code docker}, {@code daytona}, or the name of a provider registered on the
     * test classpath. Empty chooses from the other attributes and the configuration: a snapshot goes to the
     * provider named by {@code magpie.sandbox.snapshot-provider} (else {@code daytona} when Daytona is configured,
     * else {@code docker}); anything else is {@code local}.
     */
    String provider() default "";

    /** The working directory inside the sandbox; the provider's default when empty. */
    String workingDir() default "";

    /**
     * How a local sandbox's commands are isolated: {@code namespaces} runs each in Linux namespaces through
     * bubblewrap (the sandbox at {@code /workspace}, nothing else writable, no network), {@code none} not at all.
     * Empty follows {@code magpie.local.isolation}. Containers and remote sandboxes are isolated whatever it says.
     */
    String isolation() default "";

    /**
     * A warm pool for this declaration's spec: the number of sandboxes to keep ready ahead of demand, {@code auto}
     * for one per processor, or {@code 0} for none. Empty follows {@code magpie.<provider>.pool.size}, then
     * {@code magpie.pool.size} (0 by default). A pooled sandbox is made by the same create from the same spec, from
     * the spec's second request on, and is destroyed after its test like any other. The declarations of one run
     * with the same spec and the same value here share a pool; see {@link dev.magpie.sandbox.Workspaces}. A value
     * that is not a pool size, or a malformed pool key in the configuration, fails the test before anything is
     * created.
     */
    String pool() default "";

    /**
     * A shell command that prepares the sandbox, such as {@code npm ci} or {@code make deps}: run once per distinct
     * source (commit, or directory content), command and environment in the whole run, every sandbox of the
     * declaration then starting from a copy of its result (a copy-on-write copy of the directory locally, a committed
     * image on Docker). A failed preparation (or one past {@code magpie.sandbox.prepare.timeout}, 30 minutes by
     * default) fails every test that needs it, with its transcript, and is not run again. Empty: no preparation.
     */
    String prepare() default "";

    /** Environment variables for every command, each {@code NAME=value}. */
    String[] env() default {};

    /** When to destroy the sandbox. */
    CleanupMode cleanup() default CleanupMode.DEFAULT;

    /** Fail, rather than skip, when the provider is not available here. */
    boolean required() default false;
}
