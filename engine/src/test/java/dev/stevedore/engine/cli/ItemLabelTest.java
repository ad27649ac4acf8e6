package dev.stevedore.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemLabelTest {

    private final ItemLabel label = new ItemLabel();

    @Test
    void stringsShowAsTheyAreAndOtherValuesAsJson() {
        assertEquals("nginx:1.25", label.of("nginx:1.25"));
        assertEquals("3", label.of(3));
        assertEquals("[1,2]", label.of(List.of(1, 2)));
    }

    @Test
    void secretLookingKeysAreMasked() {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("repo", "r.io");
        auth.put("password", "hunter2");
        auth.put("auth_token", "t0k");
        assertEquals("{\"repo\":\"r.io\",\"password\":\"***\",\"auth_token\":\"***\"}", label.of(auth));
    }

    @Test
    void longLabelsAreCut() {
        assertEquals("x".repeat(57) + "...", label.of("x".repeat(100)));
    }
}
