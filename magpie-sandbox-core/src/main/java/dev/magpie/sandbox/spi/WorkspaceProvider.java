package dev.magpie.sandbox.spi;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import java.util.List;
import java.util.Optional;

/**
 * A kind of workspace: one package plus one registration. Implementations are found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.magpie.sandbox.spi.WorkspaceProvider}. The class needs a public no-argument
 * constructor and must be stateless and thread-safe; {@link dev.magpie.sandbox.Workspaces} and the JUnit
 * extension call it from any thread.
 *
 * <p>A provider proves itself with the conformance suite ({@code dev.magpie:magpie-sandbox-conformance}).
 */
public interface WorkspaceProvider {

    /** The name users select this provider by; unique among the registered providers. */
    ProviderId id();

    /** The type of the workspaces {@link #create} returns; a test may declare it instead of {@code Workspace}. */
    Class<? extends Workspace> workspaceType();

    /**
     * Checks a spec before anything is created.
     *
     * @throws InvalidInputException naming what this provider cannot honour in the spec and what to do instead
     */
    void validate(WorkspaceSpec spec, Settings settings);

    /** Whether this provider can work here with these settings, and why not. Cheap enough to call per test. */
    Availability availability(Settings settings);

    /**
     * Creates the workspace the spec describes. The spec has passed {@link #validate}.
     *
     * @throws ProviderUnavailableException when the provider cannot work here (the JUnit extension skips the test)
     */
    Workspace create(WorkspaceSpec spec, Settings settings);

    /**
     * For a person, about a workspace that is kept instead of destroyed: where it is, how to reach it, how to remove
     * it. Empty when keeping it would keep nothing (an existing directory that destroy never deletes).
     */
    Optional<String> describeKept(Workspace workspace);

    /**
     * Removes what JVMs that have ended left behind (directories, containers, processes, remote sandboxes), never
     * anything of a live JVM.
     *
     * @return a description of each thing removed
     */
    List<String> sweep(Settings settings);
}
