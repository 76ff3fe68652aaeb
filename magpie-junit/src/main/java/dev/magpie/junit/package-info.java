/**
 * The JUnit Jupiter extension: {@link dev.magpie.junit.Sandbox @Sandbox} injects a
 * {@link dev.magpie.sandbox.Workspace} into a field or parameter and destroys it after its test or class, as its
 * {@link dev.magpie.junit.CleanupMode} says; {@link dev.magpie.junit.SandboxAssertions} asserts on command results.
 * Works on JUnit 5.14 and JUnit 6.
 */
package dev.magpie.junit;
