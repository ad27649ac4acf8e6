package dev.stevedore.engine.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleRegistryTest {

    @TempDir
    Path servicesRoot;

    /** A class loader that sees the test class path plus a services file listing {@code classes}. */
    private ClassLoader loaderListing(Class<?>... classes) throws IOException {
        Path services = servicesRoot.resolve("META-INF/services/dev.stevedore.spi.Module");
        Files.createDirectories(services.getParent());
        StringBuilder text = new StringBuilder("# test modules\n");
        for (Class<?> type : classes) {
            text.append(type.getName()).append('\n');
        }
        Files.writeString(services, text);
        return new URLClassLoader(new URL[] {servicesRoot.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void discoversTheBuiltInModulesThroughServiceLoader() {
        ModuleRegistry registry = ModuleRegistry.discover(getClass().getClassLoader());
        assertTrue(registry.names().containsAll(Set.of("debug", "assert")), registry.names().toString());
        assertInstanceOf(DebugModule.class, registry.find("debug").orElseThrow());
        assertInstanceOf(AssertModule.class, registry.find("assert").orElseThrow());
    }

    @Test
    void discoversModulesListedInAnyServicesFileOnTheClassPath() throws IOException {
        ModuleRegistry registry = ModuleRegistry.discover(loaderListing(EchoModule.class));
        assertInstanceOf(EchoModule.class, registry.find("echo").orElseThrow());
        assertTrue(registry.names().containsAll(Set.of("assert", "debug", "echo")));
    }

    @Test
    void twoModulesWithOneNameStopStartUpNamingBothClasses() throws IOException {
        ClassLoader loader = loaderListing(OtherDebugModule.class);
        ModuleConflictException e = assertThrows(ModuleConflictException.class, () -> ModuleRegistry.discover(loader));
        assertEquals("two modules are named 'debug': " + DebugModule.class.getName() + " and "
                + OtherDebugModule.class.getName() + "; remove one of them from the class path", e.getMessage());
    }

    @Test
    void aServicesFileNamingAMissingClassIsAOneLineError() throws IOException {
        Path services = servicesRoot.resolve("META-INF/services/dev.stevedore.spi.Module");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "com.example.NoSuchModule\n");
        ClassLoader loader = new URLClassLoader(new URL[] {servicesRoot.toUri().toURL()}, getClass().getClassLoader());
        ModuleConflictException e = assertThrows(ModuleConflictException.class, () -> ModuleRegistry.discover(loader));
        assertTrue(e.getMessage().startsWith("cannot load a module: ") && e.getMessage().contains("com.example.NoSuchModule"),
                e.getMessage());
    }

    @Test
    void anExplicitListIsCheckedForDuplicatesToo() {
        ModuleConflictException e = assertThrows(ModuleConflictException.class,
                () -> ModuleRegistry.of(List.of(new EchoModule(), new DebugModule(), new EchoModule())));
        assertTrue(e.getMessage().startsWith("two modules are named 'echo'"), e.getMessage());
    }

    @Test
    void aModuleCannotTakeTheNameOfATaskKey() {
        Module register = new EchoModule() {
            @Override
            public String name() {
                return "register";
            }
        };
        ModuleConflictException e = assertThrows(ModuleConflictException.class, () -> ModuleRegistry.of(List.of(register)));
        assertTrue(e.getMessage().contains("has an invalid name 'register'"), e.getMessage());
    }

    @Test
    void namesAndModulesAreSorted() {
        ModuleRegistry registry = ModuleRegistry.of(List.of(new EchoModule(), new DebugModule(), new AssertModule()));
        assertEquals(List.of("assert", "debug", "echo"), List.copyOf(registry.names()));
        assertEquals(List.of("assert", "debug", "echo"), registry.modules().stream().map(Module::name).toList());
    }

    /** A module found only through the test's services file. */
    public static class EchoModule implements Module {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public ModuleResult execute(ExecOptions options) {
            return ModuleResult.success(false);
        }
    }

    /** A second module claiming the built-in name {@code debug}. */
    public static class OtherDebugModule extends EchoModule {
        @Override
        public String name() {
            return "debug";
        }
    }
}
