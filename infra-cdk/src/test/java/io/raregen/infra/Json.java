package io.raregen.infra;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.assertions.Template;

/** Small helpers to walk synthesised templates, which the assertions library hands out as plain maps. */
public final class Json {

    private Json() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    public static Map<String, Object> props(Object resource) {
        return map(map(resource).get("Properties"));
    }

    /** Resources of one type: logical id to resource. */
    public static Map<String, Object> resources(Template template, String type) {
        return new java.util.LinkedHashMap<String, Object>(template.findResources(type));
    }

    /** The only resource of a type whose properties contain {@code key = value}. */
    public static Map.Entry<String, Object> only(Template template, String type, String key, Object value) {
        List<Map.Entry<String, Object>> hits = resources(template, type).entrySet().stream()
                .filter(e -> value.equals(props(e.getValue()).get(key)))
                .collect(Collectors.toList());
        if (hits.size() != 1) {
            throw new AssertionError("expected one " + type + " with " + key + "=" + value + ", found " + hits.size());
        }
        return hits.get(0);
    }

    /** The logical id a {@code {"Ref": id}} or {@code {"Fn::GetAtt": [id, attr]}} points to. */
    public static String target(Object reference) {
        Map<String, Object> m = map(reference);
        if (m.containsKey("Ref")) {
            return (String) m.get("Ref");
        }
        if (m.containsKey("Fn::GetAtt")) {
            return (String) list(m.get("Fn::GetAtt")).get(0);
        }
        throw new AssertionError("not a reference: " + m);
    }
}
