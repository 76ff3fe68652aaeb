package dev.magpie.junit;

import dev.magpie.sandbox.Workspace;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit Jupiter extension behind {@link Sandbox}: injects fields in {@code beforeAll} (static) and
 * {@code beforeEach} (instance), resolves parameters, and keeps every sandbox in the extension store, where JUnit
 * closes it at the end of its test or class. {@code @Sandbox} registers it; registering it explicitly with
 * {@code @ExtendWith(SandboxExtension.class)} is equivalent. Stateless and thread-safe.
 */
public final class SandboxExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    /** Checks every {@code @Sandbox} field of the class, then injects the static ones. */
    @Override
    public void beforeAll(ExtensionContext context) {
        Outcomes.track(context);
        Provisioner provisioner = new Provisioner(context);
        List<FieldPlan> all = plan(provisioner, context.getRequiredTestClass(), field -> true);
        all.stream().filter(plan -> ModifierSupport.isStatic(plan.field()))
                .forEach(plan -> inject(provisioner, plan, null));
    }

    /** Injects the instance fields of the test instance and of its enclosing instances. */
    @Override
    public void beforeEach(ExtensionContext context) {
        Outcomes.track(context);
        Provisioner provisioner = new Provisioner(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            if (!instance.getClass().isRecord()) {
                plan(provisioner, instance.getClass(), ModifierSupport::isNotStatic)
                        .forEach(plan -> inject(provisioner, plan, instance));
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(Sandbox.class);
    }

    /** Checks every {@code @Sandbox} parameter of the method first, so that a mistake costs no sandbox. */
    @Override
    public Workspace resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Provisioner provisioner = new Provisioner(extensionContext);
        Parameter[] parameters = parameterContext.getDeclaringExecutable().getParameters();
        for (int i = 0; i < parameters.length; i++) {
            Parameter other = parameters[i];
            if (i != parameterContext.getIndex()) {
                int index = i;
                AnnotationSupport.findAnnotation(other, Sandbox.class)
                        .ifPresent(annotation -> provisioner.plan(Declaration.of(other, index, annotation)));
            }
        }
        Sandbox annotation = parameterContext.findAnnotation(Sandbox.class).orElseThrow();
        return provisioner.create(provisioner.plan(
                Declaration.of(parameterContext.getParameter(), parameterContext.getIndex(), annotation)));
    }

    /** Constructor parameters belong to the test, not the class, so that each test gets its own sandbox. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw skipIfUnavailable(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw skipIfUnavailable(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw skipIfUnavailable(throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw skipIfUnavailable(throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw skipIfUnavailable(throwable);
    }

    /** JUnit reports whatever a parameter resolver throws as a failure; an unavailable provider is a skip. */
    private static Throwable skipIfUnavailable(Throwable throwable) {
        return throwable instanceof ParameterResolutionException
                && throwable.getCause() instanceof SandboxUnavailableException ? throwable.getCause() : throwable;
    }

    private record FieldPlan(Field field, Provisioner.Plan plan) {
    }

    /** Checks every field before any is created. */
    private static List<FieldPlan> plan(Provisioner provisioner, Class<?> type, Predicate<Field> filter) {
        List<FieldPlan> plans = new ArrayList<>();
        for (Field field : AnnotationSupport.findAnnotatedFields(type, Sandbox.class, filter)) {
            plans.add(new FieldPlan(field, provisioner.plan(Declaration.of(field))));
        }
        return plans;
    }

    private static void inject(Provisioner provisioner, FieldPlan plan, Object instance) {
        Workspace workspace = provisioner.create(plan.plan());
        try {
            ReflectionSupport.makeAccessible(plan.field()).set(instance, workspace);
        } catch (IllegalAccessException e) {
            throw plan.plan().declaration().invalid("it cannot be set: " + e.getMessage());
        }
    }
}
