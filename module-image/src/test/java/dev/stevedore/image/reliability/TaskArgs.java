package dev.stevedore.image.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Valid {@code image} task arguments of every form, and the tool to break one part of them: a path such
 * as {@code pull.auths[0].password} set to another value or removed. Each valid task would reach the
 * registry at {@link #HOST} or write under {@link #IMAGES}, so a broken one that is not rejected shows.
 */
final class TaskArgs {

    static final String HOST = "%HOST%";
    static final String IMAGES = "%IMAGES%";
    static final String BUNDLE = "%BUNDLE%";
    /** Marks a key to remove. */
    static final Object ABSENT = new Object();

    static final String PER_IMAGE_DEST = HOST + "/${module.image.src.reference.repository}:${module.image.src.reference.reference}";
    static final String PER_IMAGE_SRC = "oci://${module.image.reference.registry}/${module.image.reference.repository}:${module.image.reference.reference}";

    private TaskArgs() {
    }

    /** Classic pull of one image of the registry into {@code images_dir}, with Basic credentials. */
    static Map<String, Object> pull() {
        return map("pull", map("manifests", list(HOST + "/library/app:1"), "images_dir", IMAGES,
                "auths", list(map("repo", HOST, "username", "bob", "password", "pw", "plain_http", true))));
    }

    /** Classic push of every image of the bundle directory to the registry. */
    static Map<String, Object> push() {
        return map("push", map("images_dir", BUNDLE, "dest", PER_IMAGE_DEST,
                "auths", list(map("repo", HOST, "username", "bob", "password", "pw", "plain_http", true))));
    }

    /** The newer form pulling one image from the registry into a directory. */
    static Map<String, Object> newer() {
        return map("manifests", list(HOST + "/library/app:1"), "src", PER_IMAGE_SRC, "dest", "local://" + IMAGES,
                "auths", list(map("registry", HOST, "username", "bob", "password", "pw", "plain_http", true)));
    }

    /** KubeKey's deprecated copy form, directory to directory. */
    static Map<String, Object> copy() {
        return map("copy", map("from", map("path", BUNDLE), "to", map("path", IMAGES)));
    }

    /** {@code args} with the value at {@code path} replaced ({@link #ABSENT} removes the key). */
    static Map<String, Object> with(Map<String, Object> args, String path, Object value) {
        return withEdit(args, path, old -> value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withEdit(Map<String, Object> args, String path, UnaryOperator<Object> edit) {
        Object container = args;
        String[] steps = path.split("\\.");
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            int bracket = step.indexOf('[');
            String key = bracket < 0 ? step : step.substring(0, bracket);
            boolean last = i == steps.length - 1;
            Map<String, Object> map = (Map<String, Object>) container;
            if (bracket < 0 && last) {
                Object value = edit.apply(map.get(key));
                if (value == ABSENT) {
                    map.remove(key);
                } else {
                    map.put(key, value);
                }
                return args;
            }
            container = map.get(key);
            if (bracket >= 0) {
                List<Object> list = (List<Object>) container;
                int index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
                if (last) {
                    list.set(index, edit.apply(list.get(index)));
                    return args;
                }
                container = list.get(index);
            }
        }
        return args;
    }

    /** A mutable map from key/value pairs (values may be null, unlike Map.of). */
    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static List<Object> list(Object... elements) {
        return new ArrayList<>(List.of(elements));
    }

    /** {@code value} with every placeholder replaced, recursively (a new structure). */
    static Object resolve(Object value, Map<String, String> placeholders) {
        if (value instanceof String text) {
            for (Map.Entry<String, String> entry : placeholders.entrySet()) {
                text = text.replace(entry.getKey(), entry.getValue());
            }
            return text;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) resolve(k, placeholders), resolve(v, placeholders)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> resolve(v, placeholders)).toList();
        }
        return value;
    }
}
