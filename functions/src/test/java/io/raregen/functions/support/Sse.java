package io.raregen.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/** One Server-Sent Event read back from a response body, parsed as the SSE spec says (fields, blank line ends an event). */
public record Sse(String name, String id, String data) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode json() {
        try {
            return JSON.readTree(data);
        } catch (Exception e) {
            throw new IllegalStateException("event data is not JSON: " + data, e);
        }
    }

    public static List<Sse> parse(String body) {
        List<Sse> out = new ArrayList<>();
        String name = "message";
        String id = null;
        StringBuilder data = null;
        for (String line : body.split("\r\n|\n|\r", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    out.add(new Sse(name, id, data.toString()));
                }
                name = "message";
                id = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                }
            }
        }
        return out;
    }
}
