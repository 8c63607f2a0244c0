package io.raregen.infra.broadcaster;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the broadcaster spreads transactions over its ARC providers ({@code raregen.arc.routing.policy}). */
public enum ArcRouting {
    /** Everything to the first provider that answers; the broadcaster's default. */
    PRIMARY_WITH_FAILOVER("primary-with-failover"),
    /** Every transaction to {@code arcSendTo} providers at once (0 = all of them). */
    ALL("all");

    private final String value;

    ArcRouting(String value) {
        this.value = value;
    }

    /** The value of the {@code arcRouting} context key and of {@code RAREGEN_ARC_ROUTING_POLICY}. */
    public String value() {
        return value;
    }

    public static ArcRouting parse(String value) {
        return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("arcRouting must be one of "
                        + Arrays.stream(values()).map(ArcRouting::value).collect(Collectors.joining(", ")) + ", got " + value));
    }
}
