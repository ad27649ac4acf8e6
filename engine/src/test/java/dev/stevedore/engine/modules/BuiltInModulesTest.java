package dev.stevedore.engine.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.spi.TemplateException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The debug and assert modules, run through the module test kit. */
class BuiltInModulesTest {

    private final ModuleTestKit debug = ModuleTestKit.of(new DebugModule())
            .withVariable("who", "operator")
            .withVariable("result", new TreeMap<>(Map.of("changed", true, "images", List.of("a", "b"))));
    private final ModuleTestKit assertion = ModuleTestKit.of(new AssertModule()).withVariable("count", 3);

    @Test
    void debugRendersItsMessage() {
        ModuleRun run = debug.runYaml("msg: \"Hello, ${who}!\"");
        assertFalse(run.failed());
        assertEquals("Hello, operator!", run.result().stderr());
        assertEquals("Hello, operator!", run.registered().get("msg"));
        assertEquals(false, run.registered().get("changed"));
    }

    @Test
    void debugPrintsAVariableAsJson() {
        ModuleRun run = debug.runYaml("var: result");
        assertEquals("result = {\n  \"changed\" : true,\n  \"images\" : [ \"a\", \"b\" ]\n}", run.result().stderr());
        assertEquals("result.images = [ \"a\", \"b\" ]", debug.runYaml("var: result.images").result().stderr());
    }

    @Test
    void debugMessageThatIsAListPrintsAsJson() {
        assertEquals("[ \"a\", \"b\" ]", debug.runYaml("msg: \"${result.images}\"").result().stderr());
    }

    @Test
    void debugRejectsUnknownArgumentsAndBothForms() {
        assertEquals("unknown argument 'message' for module debug (valid arguments: msg, var)",
                debug.runYaml("message: hi").result().error());
        assertEquals("debug takes msg or var, not both", debug.runYaml("{msg: a, var: b}").result().error());
    }

    @Test
    void debugOfAnUndefinedVariableRaisesATemplateExceptionNamingIt() {
        TemplateException e = assertThrows(TemplateException.class, () -> debug.runYaml("msg: \"${nobody}\""));
        assertEquals("nobody", e.variable());
    }

    @Test
    void assertSucceedsWhenEveryConditionHolds() {
        ModuleRun run = assertion.runYaml("""
                that:
                  - count == 3
                  - count > 1 && count < 5
                success_msg: "count is ${count}"
                """);
        assertFalse(run.failed());
        assertEquals("count is 3", run.result().stderr());
    }

    @Test
    void assertFailsOnTheFirstFalseConditionWithItsMessage() {
        ModuleRun run = assertion.runYaml("""
                that: [count == 3, count > 10, undefined_is_never_reached]
                fail_msg: "expected more than ${count}"
                """);
        assertTrue(run.failed());
        assertEquals("expected more than 3", run.result().error());
        assertEquals("count > 10", run.registered().get("assertion"));
        assertEquals(true, run.registered().get("failed"));
    }

    @Test
    void assertWithoutFailMsgNamesTheCondition() {
        assertEquals("assertion failed: count == 4", assertion.runYaml("that: count == 4").result().error());
        assertEquals("assert needs that: a list of conditions", assertion.runYaml("fail_msg: x").result().error());
    }
}
