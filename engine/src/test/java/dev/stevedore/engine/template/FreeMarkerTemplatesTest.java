package dev.stevedore.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.spi.TemplateException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreeMarkerTemplatesTest {

    private final FreeMarkerTemplates templates = new FreeMarkerTemplates();
    private final Map<String, Object> vars = Map.of(
            "name", "world",
            "count", 1500,
            "flag", true,
            "images", List.of("nginx:1.25", "alpine:3.19"),
            "module", Map.of("image", Map.of("reference", Map.of(
                    "registry", "docker.io", "repository", "library/nginx", "reference", "1.25"))));

    @Test
    void interpolatesVariablesNumbersAndBooleansAsSourceText() {
        assertEquals("hello world 1500 true", templates.renderString("hello ${name} ${count} ${flag}", vars));
    }

    @Test
    void reachesNestedMapsWithDotsAndListsWithBrackets() {
        assertEquals("docker.io/library/nginx:1.25", templates.renderString(
                "${module.image.reference.registry}/${module.image.reference.repository}:${module.image.reference.reference}", vars));
        assertEquals("alpine:3.19 of 2", templates.renderString("${images[1]} of ${images?size}", vars));
    }

    @Test
    void leavesTextWithoutTemplatesAlone() {
        assertEquals("^docker.io/library/.*$", templates.renderString("^docker.io/library/.*$", vars));
    }

    @Test
    void aStringThatIsOneExpressionRendersToTheExpressionsValue() {
        assertEquals(List.of("nginx:1.25", "alpine:3.19"), templates.render("${images}", vars));
        assertEquals(1500, templates.render("${count}", vars));
        assertEquals(true, templates.render("${flag}", vars));
        assertEquals(Map.of("registry", "docker.io", "repository", "library/nginx", "reference", "1.25"),
                templates.render("${module.image.reference}", vars));
        assertEquals(List.of(1, 2, 3), templates.render("${[1, 2, 3]}", vars));
        assertEquals(3, templates.render("${1 + 2}", vars));
    }

    @Test
    void aStringWithTextAroundOrTwoExpressionsRendersToText() {
        assertEquals("1500-1500", templates.render("${count}-${count}", vars));
        assertEquals("n=1500", templates.render("n=${count}", vars));
        assertEquals("world", templates.render("${ {\"a\": name}[\"a\"] }", vars));
    }

    @Test
    void renderRecursesThroughListsAndMapsKeepingKeysAndOtherValues() {
        Object rendered = templates.render(Map.of(
                "dest", "registry.local/${module.image.reference.repository}",
                "list", List.of("${name}", 7, Map.of("deep", "${images[0]}")),
                "${name}", false), vars);
        assertEquals(Map.of(
                "dest", "registry.local/library/nginx",
                "list", List.of("world", 7, Map.of("deep", "nginx:1.25")),
                "${name}", false), rendered);
    }

    @Test
    void anUndefinedVariableIsATemplateExceptionNamingIt() {
        TemplateException e = assertThrows(TemplateException.class, () -> templates.renderString("x ${missing} y", vars));
        assertEquals("missing", e.variable());
        assertEquals("undefined variable 'missing'", e.getMessage());
        TemplateException nested = assertThrows(TemplateException.class, () -> templates.render("${module.image.nope}", vars));
        assertEquals("module.image.nope", nested.variable());
        assertThrows(TemplateException.class, () -> templates.evaluate("missing > 1", vars));
    }

    @Test
    void evaluatesBooleanExpressions() {
        assertTrue(templates.evaluate("count > 1000 && flag", vars));
        assertFalse(templates.evaluate("images?size == 3", vars));
        assertTrue(templates.evaluate("${flag}", vars));
        assertTrue(templates.evaluate("name == 'world'", Map.of("name", "world")));
        assertTrue(templates.evaluate("flag", Map.of("flag", "TRUE")));
    }

    @Test
    void aConditionThatIsNotBooleanIsAnError() {
        TemplateException e = assertThrows(TemplateException.class, () -> templates.evaluate("name", vars));
        assertEquals("condition 'name' is a string, not true or false", e.getMessage());
    }

    @Test
    void syntaxAndTypeErrorsAreOneLine() {
        TemplateException syntax = assertThrows(TemplateException.class, () -> templates.renderString("${name", vars));
        assertFalse(syntax.getMessage().contains("\n"), syntax.getMessage());
        TemplateException type = assertThrows(TemplateException.class, () -> templates.renderString("x ${images} y", vars));
        assertFalse(type.getMessage().contains("\n"), type.getMessage());
        assertTrue(type.getMessage().contains("images"), type.getMessage());
    }

    @Test
    void templatesCannotReachJava() {
        assertThrows(TemplateException.class, () -> templates.renderString(
                "<#assign ex = \"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}", vars));
        assertThrows(TemplateException.class, () -> templates.renderString("${name?api}", vars));
    }
}
