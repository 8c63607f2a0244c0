package io.raregen.functions.status;

import io.micronaut.serde.annotation.Serdeable;

/** GET /health: overall status and one entry per dependency. */
@Serdeable
public record Health(String status, Checks checks) {

    /** Reachability of the database and the queue. */
    @Serdeable
    public record Checks(String database, String queue) {
    }
}
