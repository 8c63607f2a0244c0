package io.raregen.infra.broadcaster;

import io.raregen.infra.ResourceNames.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One ARC endpoint the broadcaster broadcasts through ({@code raregen.arc.providers.<name>.*}), from the
 * {@code arcProviders} context key: {@code name=url,name=url}, in priority order (the first is priority 1).
 * The token is not here: ECS reads it from the ARC token secret's JSON field {@code <name>}.
 *
 * <p>Names are lower-case letters and digits only: the broadcaster reads environment variables, whose
 * {@code _} Micronaut maps to {@code .} or {@code -}, so {@code RAREGEN_ARC_PROVIDERS_<NAME>_URL} must not
 * contain another separator. URLs must be https: the token travels with every request, and an ECS task has
 * no ARC of its own on localhost.
 */
public record ArcProvider(String name, String url, int priority) {

    /** At most this many providers: each is one more token to hold and one more breaker to watch. */
    public static final int MAX = 5;
    private static final String NAME = "[a-z][a-z0-9]{0,15}";

    public ArcProvider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        if (!name.matches(NAME)) {
            throw new IllegalArgumentException("arcProviders: provider name must match " + NAME
                    + " (lower-case letters and digits, no '-' or '_': it becomes part of an environment variable name): " + name);
        }
        requireHttps(name, url);
        if (priority < 1) {
            throw new IllegalArgumentException("arcProviders: priority of " + name + " must be at least 1: " + priority);
        }
    }

    /**
     * Parses {@code name=url,name=url}; {@code null} or blank is no provider (the single {@code arcUrl}).
     * The position is the priority: 1, 2, 3...
     */
    public static List<ArcProvider> parseList(String spec) {
        if (spec == null || spec.isBlank()) {
            return List.of();
        }
        String[] entries = spec.split(",", -1);
        List<ArcProvider> out = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("arcProviders: entry " + (i + 1) + " must be name=url, got '" + entry
                        + "' (the whole value: name=url,name=url)");
            }
            out.add(new ArcProvider(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim(), i + 1));
        }
        requireValidList(out);
        return List.copyOf(out);
    }

    /** At most {@link #MAX} providers, each name once. */
    public static void requireValidList(List<ArcProvider> providers) {
        if (providers.size() > MAX) {
            throw new IllegalArgumentException("arcProviders: at most " + MAX + " providers, got " + providers.size());
        }
        Set<String> seen = new HashSet<>();
        for (ArcProvider p : providers) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("arcProviders: provider name " + p.name() + " appears twice");
            }
        }
    }

    /** {@code RAREGEN_ARC_PROVIDERS_<NAME>_URL}. */
    public String urlEnv() {
        return env("URL");
    }

    /** {@code RAREGEN_ARC_PROVIDERS_<NAME>_PRIORITY}. */
    public String priorityEnv() {
        return env("PRIORITY");
    }

    /** {@code RAREGEN_ARC_PROVIDERS_<NAME>_TOKEN}, an ECS secret. */
    public String tokenEnv() {
        return env("TOKEN");
    }

    /** The JSON field of the ARC token secret that holds this provider's token: its name. */
    public String tokenField() {
        return name;
    }

    private String env(String key) {
        return Env.ARC_PROVIDERS_PREFIX + name.toUpperCase(Locale.ROOT) + "_" + key;
    }

    private static void requireHttps(String name, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("arcProviders: URL of " + name + " is not a URL: " + url, e);
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("arcProviders: URL of " + name
                    + " must be https://host[:port][/path] (no credentials, query or fragment): " + url);
        }
    }
}
