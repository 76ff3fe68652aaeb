package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.local.LocalWorkspace;
import dev.magpie.sandbox.spi.Availability;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates temporary local workspaces, each once the test lets it through the gate, so that a test decides when a
 * creation ends. Not registered: tests hand it to the pools themselves.
 */
final class GatedProvider implements WorkspaceProvider {

    private final ProviderId id;
    private final Semaphore gate = new Semaphore(0);
    private final AtomicInteger waiting = new AtomicInteger();
    private final List<LocalWorkspace> made = new CopyOnWriteArrayList<>();

    GatedProvider(String name) {
        this.id = ProviderId.of(name);
    }

    /** Lets that many more creations, waiting or to come, go on. */
    void allow(int creations) {
        gate.release(creations);
    }

    /** Holds every creation to come at the gate again. */
    void close() {
        gate.drainPermits();
    }

    /** How many creations wait at the gate now. */
    int waiting() {
        return waiting.get();
    }

    /** Every workspace created so far. */
    List<LocalWorkspace> made() {
        return made;
    }

    @Override
    public ProviderId id() {
        return id;
    }

    @Override
    public Class<? extends Workspace> workspaceType() {
        return LocalWorkspace.class;
    }

    @Override
    public void validate(WorkspaceSpec spec, Settings settings) {
    }

    @Override
    public Availability availability(Settings settings) {
        return Availability.AVAILABLE;
    }

    @Override
    public Workspace create(WorkspaceSpec spec, Settings settings) {
        waiting.incrementAndGet();
        try {
            if (!gate.tryAcquire(120, TimeUnit.SECONDS)) {
                throw new AssertionError("Expected the test to let a creation of " + id + " through within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            waiting.decrementAndGet();
        }
        LocalWorkspace workspace = LocalWorkspace.temporary(spec.env(), settings);
        made.add(workspace);
        return workspace;
    }

    @Override
    public Optional<String> describeKept(Workspace workspace) {
        return Optional.empty();
    }

    @Override
    public List<String> sweep(Settings settings) {
        return List.of();
    }
}
