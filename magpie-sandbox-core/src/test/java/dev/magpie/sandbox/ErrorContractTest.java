package dev.magpie.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.magpie.sandbox.daytona.DaytonaConfig;
import dev.magpie.sandbox.daytona.DaytonaCreateRequest;
import dev.magpie.sandbox.docker.DockerWorkspace;
import dev.magpie.sandbox.docker.DockerWorkspaces;
import dev.magpie.sandbox.local.CloneSpec;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documented error contract: every public entry point, given bad input, throws a {@link WorkspaceException} of
 * the documented subtype whose message says what was expected, what was found and what to do.
 */
class ErrorContractTest {

    /** A sentence or clause that tells the user what to do. */
    private static final Pattern WHAT_TO_DO = Pattern.compile("(^|[.;:,(] ?|\\bor )(Pass|Set|Remove|Choose|Use|Keep|"
            + "Create|Change|Install|Leave|Point|Declare|Delete|Check|Start|Write|pass|set|remove|choose|use|keep|"
            + "leave|create|change|point|delete|check|put) ");

    private static LocalWorkspace workspace;
    private static LocalWorkspace destroyed;

    @BeforeAll
    static void workspaces() {
        workspace = LocalWorkspace.temporary(Map.of());
        destroyed = LocalWorkspace.temporary(Map.of());
        destroyed.destroy();
    }

    @AfterAll
    static void destroy() {
        workspace.destroy();
    }

    record Case(String entryPoint, Runnable call, Class<? extends WorkspaceException> type, String found) {
        @Override
        public String toString() {
            return entryPoint;
        }
    }

    static Stream<Case> badInput() {
        Settings none = Settings.builder().environment(Map.of()).build();
        WorkspaceSpec snapshot = WorkspaceSpec.builder().snapshot("img:1").build();
        return Stream.of(
                new Case("ExecRequest.builder with a blank program", () -> ExecRequest.builder(" "),
                        InvalidInputException.class, "blank"),
                new Case("ExecRequest.Builder.timeout negative", () -> ExecRequest.builder("true")
                        .timeout(Duration.ofSeconds(-1)), InvalidInputException.class, "PT-1S"),
                new Case("ExecRequest.Builder.outputLimit too small", () -> ExecRequest.builder("true").outputLimit(1),
                        InvalidInputException.class, "was 1"),
                new Case("WorkspaceSpec with path and cloneFrom", () -> WorkspaceSpec.builder().path("/tmp")
                        .cloneFrom("acme/widgets").build(), InvalidInputException.class, "'acme/widgets'"),
                new Case("WorkspaceSpec with ref but no cloneFrom", () -> WorkspaceSpec.builder().ref("main").build(),
                        InvalidInputException.class, "'main'"),
                new Case("WorkspaceSpec.Builder.depth zero", () -> WorkspaceSpec.builder().depth(0),
                        InvalidInputException.class, "was 0"),
                new Case("ProviderId.of a bad name", () -> ProviderId.of("my provider!"),
                        InvalidInputException.class, "'my provider!'"),
                new Case("Workspaces.provider unknown", () -> Workspaces.provider(ProviderId.of("nowhere")),
                        InvalidInputException.class, "'nowhere'"),
                new Case("Workspaces.resolve with an unknown snapshot provider", () -> Workspaces.resolve(snapshot,
                        settings(Map.of(Workspaces.SNAPSHOT_PROVIDER_KEY, "cloud"))), ConfigurationException.class,
                        "'cloud'"),
                new Case("Workspaces.create local with a snapshot", () -> Workspaces.create(snapshot.newBuilder()
                        .provider(ProviderId.LOCAL).build(), none), InvalidInputException.class, "'img:1'"),
                new Case("Workspaces.create local clone with a workingDir", () -> Workspaces.create(
                        WorkspaceSpec.builder().cloneFrom("acme/widgets").workingDir("sub").build(), none),
                        InvalidInputException.class, "'sub'"),
                new Case("Workspaces.create docker with a bad memory setting", () -> Workspaces.create(
                        snapshot.newBuilder().provider(ProviderId.DOCKER).build(),
                        settings(Map.of(DockerWorkspaces.MEMORY_KEY, "lots"))), ConfigurationException.class,
                        "'lots'"),
                new Case("Workspaces.create docker with the removed network key", () -> Workspaces.create(
                        snapshot.newBuilder().provider(ProviderId.DOCKER).build(),
                        settings(Map.of("magpie.docker.network", "false"))), ConfigurationException.class,
                        "magpie.sandbox.network"),
                new Case("Workspaces.create docker from a path", () -> Workspaces.create(WorkspaceSpec.builder()
                        .provider(ProviderId.DOCKER).path("/tmp").build(), none), InvalidInputException.class,
                        "'/tmp'"),
                new Case("Workspaces.create daytona from a clone", () -> Workspaces.create(WorkspaceSpec.builder()
                        .provider(ProviderId.DAYTONA).cloneFrom("acme/widgets").build(),
                        Settings.builder().environment(Map.of("DAYTONA_API_KEY", "k")).build()),
                        InvalidInputException.class, "acme/widgets"),
                new Case("Workspaces.create daytona without a key", () -> Workspaces.create(snapshot.newBuilder()
                        .provider(ProviderId.DAYTONA).build(), none), ProviderUnavailableException.class,
                        "no API key"),
                new Case("Settings.getDuration of a bad value", () -> settings(Map.of("magpie.x.timeout", "soon"))
                        .getDuration("magpie.x.timeout", Duration.ZERO), ConfigurationException.class, "'soon'"),
                new Case("Settings.getBoolean of a bad value", () -> settings(Map.of("magpie.x.on", "yes"))
                        .getBoolean("magpie.x.on", false), ConfigurationException.class, "'yes'"),
                new Case("DaytonaConfig with a bad URL", () -> DaytonaConfig.builder().apiKey("k").apiUrl("ftp://x")
                        .build(), InvalidInputException.class, "'ftp://x'"),
                new Case("DaytonaCreateRequest.Builder.autoStopMinutes negative", () -> DaytonaCreateRequest.builder()
                        .autoStopMinutes(-5), InvalidInputException.class, "-5"),
                new Case("DockerWorkspace.builder with a blank image", () -> DockerWorkspace.builder(" "),
                        InvalidInputException.class, "blank"),
                new Case("DockerWorkspaceBuilder.workingDir relative", () -> DockerWorkspace.builder("img")
                        .workingDir("rel"), InvalidInputException.class, "'rel'"),
                new Case("CloneSpec.of a blank source", () -> CloneSpec.of(" "), InvalidInputException.class,
                        "blank"),
                new Case("CloneSpec.Builder.ref an option", () -> CloneSpec.builder("acme/widgets").ref("--upload-pack=x")
                        .build(), InvalidInputException.class, "'--upload-pack=x'"),
                new Case("LocalWorkspace.fromPath a missing directory", () -> LocalWorkspace.fromPath(
                        Path.of("/no/such/magpie/dir")), WorkspaceException.class, "/no/such/magpie/dir"),
                new Case("Workspace.readFile outside", () -> workspace.readFile("../outside"),
                        PathOutsideWorkspaceException.class, "'../outside'"),
                new Case("Workspace.writeFile with a NUL byte", () -> workspace.writeString("a\0b", "x"),
                        PathOutsideWorkspaceException.class, "a\\0b"),
                new Case("Workspace.delete the working directory", () -> workspace.delete("."),
                        InvalidInputException.class, "'.'"),
                new Case("Workspace.exec a missing program", () -> workspace.exec("no-such-magpie-program"),
                        CommandStartException.class, "'no-such-magpie-program'"),
                new Case("Workspace.exec in a missing subdirectory", () -> workspace.exec(ExecRequest
                        .builder("true").subdirectory("missing-dir").build()), WorkspaceException.class,
                        "'missing-dir'"),
                new Case("Workspace used after destroy", () -> destroyed.exec("true"),
                        WorkspaceDestroyedException.class, destroyed.id()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputGetsTheDocumentedExceptionWithWhatWasFoundAndWhatToDo(Case bad) {
        Throwable thrown = catchThrowable(bad.call()::run);

        assertThat(thrown).as(bad.entryPoint()).isInstanceOf(bad.type());
        assertThat(thrown.getMessage()).as("what was found").contains(bad.found());
        assertThat(WHAT_TO_DO.matcher(thrown.getMessage()).find()).as("what to do, in: %s", thrown.getMessage())
                .isTrue();
    }

    private static Settings settings(Map<String, String> values) {
        return Settings.builder().values(values).environment(Map.of()).build();
    }
}
