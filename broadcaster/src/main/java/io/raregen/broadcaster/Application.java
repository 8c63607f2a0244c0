package io.raregen.broadcaster;

import io.micronaut.runtime.Micronaut;

/** The broadcaster process: SQS drain, batches, signing, ARC broadcast, recovery loops, metrics on :8081. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        // chosen before the first logger exists: plain text locally, JSON everywhere else
        String envs = System.getenv().getOrDefault("MICRONAUT_ENVIRONMENTS", System.getProperty("micronaut.environments", ""));
        if (System.getProperty("LOG_APPENDER") == null) {
            System.setProperty("LOG_APPENDER", envs.contains("local") ? "TEXT" : "JSON");
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
