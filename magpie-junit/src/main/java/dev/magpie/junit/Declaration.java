package dev.magpie.junit;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

/** A field or parameter annotated with {@link Sandbox}: what it asks for and how to name it in messages. */
record Declaration(Class<?> type, Sandbox annotation, String description) {

    static Declaration of(Field field) {
        Sandbox annotation = AnnotationSupport.findAnnotation(field, Sandbox.class).orElseThrow();
        String description = (ModifierSupport.isStatic(field) ? "static field " : "field ")
                + field.getDeclaringClass().getSimpleName() + "." + field.getName();
        Declaration declaration = new Declaration(field.getType(), annotation, description);
        if (ModifierSupport.isFinal(field)) {
            throw declaration.invalid("it is final; @Sandbox fields must not be final.");
        }
        return declaration;
    }

    static Declaration of(Parameter parameter, int index, Sandbox annotation) {
        String name = parameter.isNamePresent() ? "'" + parameter.getName() + "' (index " + index + ")"
                : index + "";
        return new Declaration(parameter.getType(), annotation,
                "parameter " + name + " of " + describe(parameter.getDeclaringExecutable()));
    }

    /** Checks the declared type against the type of workspace the selected provider creates. */
    void checkType(WorkspaceProvider selected) {
        if (!Workspace.class.isAssignableFrom(type)) {
            throw invalid("it is declared as " + type.getName() + ", but @Sandbox injects only "
                    + Workspace.class.getName() + " or a provider's type that implements it, such as "
                    + selected.workspaceType().getName() + ". Change the declared type.");
        }
        if (!type.isAssignableFrom(selected.workspaceType())) {
            String other = Workspaces.providers().stream().filter(p -> type.isAssignableFrom(p.workspaceType()))
                    .map(p -> ", or set provider = \"" + p.id() + "\"").findFirst().orElse("");
            throw invalid("it is declared as " + type.getSimpleName() + ", but its attributes select the "
                    + selected.id() + " provider, which creates " + selected.workspaceType().getSimpleName()
                    + ". Declare " + Workspace.class.getSimpleName() + " or "
                    + selected.workspaceType().getSimpleName() + other + ".");
        }
    }

    /** Checks that the created sandbox can be assigned to the declared type (a provider may create a subtype). */
    void checkInstance(Workspace created) {
        if (!type.isInstance(created)) {
            throw invalid("it is declared as " + type.getName() + ", but the sandbox created is a "
                    + created.getClass().getName() + ". Declare " + Workspace.class.getName() + " or "
                    + created.getClass().getSimpleName() + ".");
        }
    }

    ExtensionConfigurationException invalid(String problem) {
        return new ExtensionConfigurationException("@Sandbox on " + description + ": " + problem);
    }

    private static String describe(Executable executable) {
        String types = Arrays.stream(executable.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String owner = executable.getDeclaringClass().getSimpleName();
        return executable instanceof Constructor<?> ? "constructor " + owner + "(" + types + ")"
                : "method " + owner + "." + executable.getName() + "(" + types + ")";
    }
}
