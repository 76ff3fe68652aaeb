package dev.magpie.junit;

import dev.magpie.sandbox.Provider;
import dev.magpie.sandbox.Workspace;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

/** A field or parameter annotated with {@link Sandbox}: what it asks for and how to name it in messages. */
record Declaration(Class<?> type, Sandbox annotation, String description) {

    private static final String PROVIDER_PACKAGE = "dev.magpie.sandbox.";

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

    /** Checks the declared type; a provider type must match the provider the attributes select. */
    void checkType(Provider selected) {
        if (!Workspace.class.isAssignableFrom(type)) {
            throw invalid("it is declared as " + type.getName() + ", but @Sandbox injects only "
                    + Workspace.class.getName() + " or a provider type that implements it, such as "
                    + "dev.magpie.sandbox.local.LocalWorkspace. Change the declared type.");
        }
        providerOfType().filter(p -> p != selected).ifPresent(p -> {
            throw invalid("it is declared as " + type.getSimpleName() + ", a " + lower(p) + " sandbox, but its"
                    + " attributes select the " + lower(selected) + " provider. Declare "
                    + Workspace.class.getSimpleName() + ", or set provider = " + p + ".");
        });
    }

    /** Checks that the created sandbox can be assigned to the declared type. */
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

    /** The provider a concrete provider type belongs to, by its package: dev.magpie.sandbox.docker is docker. */
    private Optional<Provider> providerOfType() {
        String pkg = type.getPackageName();
        if (type.isInterface() || !pkg.startsWith(PROVIDER_PACKAGE)) {
            return Optional.empty();
        }
        String last = pkg.substring(PROVIDER_PACKAGE.length());
        return Arrays.stream(Provider.values()).filter(p -> p != Provider.AUTO && lower(p).equals(last)).findFirst();
    }

    private static String lower(Provider provider) {
        return provider.name().toLowerCase(Locale.ROOT);
    }

    private static String describe(Executable executable) {
        String types = Arrays.stream(executable.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String owner = executable.getDeclaringClass().getSimpleName();
        return executable instanceof Constructor<?> ? "constructor " + owner + "(" + types + ")"
                : "method " + owner + "." + executable.getName() + "(" + types + ")";
    }
}
