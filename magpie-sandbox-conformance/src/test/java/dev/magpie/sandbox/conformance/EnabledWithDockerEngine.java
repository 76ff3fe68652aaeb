package dev.magpie.sandbox.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated tests only where a Docker engine answers and holds the test image; elsewhere they are
 * skipped with the reason. With {@code CI=true} a missing engine or image fails them instead, so that CI cannot
 * pass without having run them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerEngineCondition.class)
public @interface EnabledWithDockerEngine {
}
