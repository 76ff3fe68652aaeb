package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance suite of the {@link Workspace} contract: extend it with a factory for the provider's workspaces,
 * and every case of the contract runs against them. The cases are grouped by topic in the interfaces this class
 * implements: {@link ExecContract}, {@link TimeoutContract}, {@link OutputContract}, {@link FilesContract},
 * {@link PathContract}, {@link LifecycleContract} and {@link ServiceContract}.
 *
 * <pre>{@code
 * class AcmeConformanceTest extends WorkspaceConformance {
 *     @Override
 *     protected Workspace create(Map<String, String> env) {
 *         return AcmeWorkspace.builder("acme/base:1").env(env).build();
 *     }
 * }
 * }</pre>
 *
 * <p>One workspace serves every test of the class (tests work in their own subdirectories); the tests that destroy
 * a workspace create their own. A provider that legitimately differs somewhere overrides {@link #differences()};
 * the cases concerned are then skipped with the declared reason. The workspaces must run a POSIX shell with the
 * usual tools ({@code sh}, {@code cat}, {@code seq}, {@code ln}, {@code mktemp}, {@code tr}), {@code perl} for
 * the service cases' server, and expose {@code /proc}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class WorkspaceConformance implements ExecContract, TimeoutContract, OutputContract, FilesContract,
        PathContract, LifecycleContract, ServiceContract {

    private Workspace shared;
    private final List<Workspace> fresh = new ArrayList<>();

    /**
     * A new, empty-enough workspace of the provider under test whose commands all see {@code env}; destroying it
     * must release everything it holds. Called once for the shared workspace and once per test that needs its own.
     */
    protected abstract Workspace create(Map<String, String> env);

    /** Where this provider differs from the contract; none by default. */
    @Override
    public Differences differences() {
        return Differences.none();
    }

    @Override
    public final Workspace workspace() {
        return shared;
    }

    @Override
    public final Workspace fresh(Map<String, String> env) {
        Workspace created = create(env);
        synchronized (fresh) {
            fresh.add(created);
        }
        return created;
    }

    @BeforeAll
    final void createSharedWorkspace() {
        shared = create(Map.of(WORKSPACE_VARIABLE, WORKSPACE_VALUE));
    }

    @AfterEach
    final void destroyFreshWorkspaces() {
        List<Workspace> created;
        synchronized (fresh) {
            created = List.copyOf(fresh);
            fresh.clear();
        }
        created.forEach(Workspace::destroy);
    }

    @AfterAll
    final void destroySharedWorkspace() {
        if (shared != null) {
            shared.destroy();
        }
    }
}
