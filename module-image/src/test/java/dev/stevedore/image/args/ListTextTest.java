package dev.stevedore.image.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListTextTest {

    @Test
    void readsAJsonArray() {
        assertEquals(List.of("nginx:1", "redis:7"), ListText.parse("[\"nginx:1\", \"redis:7\"]", "k"));
    }

    @Test
    void readsAYamlFlowListOfPlainScalars() {
        assertEquals(List.of("nginx:1", "quay.io/a/b@sha256:0", "redis"), ListText.parse("[nginx:1, quay.io/a/b@sha256:0, 'redis']", "k"));
    }

    @Test
    void readsCommaAndNewLineSeparatedItemsAndYamlBlockLists() {
        assertEquals(List.of("a", "b", "c"), ListText.parse("a, b\nc\n", "k"));
        assertEquals(List.of("a", "b"), ListText.parse("- a\n- b\n", "k"));
    }

    @Test
    void aSingleItemIsAListOfOne() {
        assertEquals(List.of("nginx"), ListText.parse("nginx", "k"));
        assertEquals(List.of(), ListText.parse("  ", "k"));
    }

    @Test
    void aJsonArrayOfObjectsIsAnError() {
        assertEquals("k must render to a list of strings, got an element {\"a\":1}",
                assertThrows(ArgumentException.class, () -> ListText.parse("[{\"a\":1}]", "k")).getMessage());
    }
}
