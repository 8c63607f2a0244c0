package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.keys.Keys;
import io.raregen.cli.keys.WalletKeys;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Nonces;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.BiFunction;

/** {@code raregen webhooks add|list|delete|replay|dead-letters}: the identity key's webhooks (docs/WEBHOOKS.md). */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = "Your key's webhooks: status changes of your jobs POSTed to your URL, signed with a secret.",
        subcommands = {WebhooksCommand.Add.class, WebhooksCommand.ListHooks.class, WebhooksCommand.Delete.class,
                WebhooksCommand.Replay.class, WebhooksCommand.DeadLetters.class})
public final class WebhooksCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What the signed subcommands share: the key directory, the API and --json. */
    abstract static class Signed extends BaseCommand {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Option(names = "--home", paramLabel = "DIR", description = "Key directory (default: $RAREGEN_HOME or ~/.raregen).")
        Path home;

        @Option(names = "--json", description = "Print the API's answer as JSON.")
        boolean json;

        /** Signs the payload {@code build(identity, now)} makes with the identity key and posts it to {@code path}. */
        JsonNode signedPost(String path, BiFunction<KeyPair, Instant, String> build) {
            WalletKeys keys = Keys.unlock(env(), env().home(home));
            KeyPair id = keys.identity();
            String body = ApiClient.envelopeJson(EnvelopeSigner.sign(build.apply(id, env().clock().instant()), id));
            try {
                return api.client(env()).post(path, body, false).body();
            } catch (ApiException e) {
                throw apiFailure(e);
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a URL (https; http only to this machine in local mode). Prints the secret once.")
    static final class Add extends Signed {
        @Parameters(paramLabel = "URL", description = "Where to POST your jobs' events.")
        String url;

        @Override
        public Integer call() {
            JsonNode r = signedPost("/v1/webhooks", (k, now) -> Payloads.webhookRegister(k.publicKey(), url, Nonces.next(), now));
            if (json) {
                printJson(r);
            } else {
                out().println("Webhook " + r.path("id").asText() + " → " + r.path("url").asText());
                out().println("Secret (shown only now; it signs every delivery's RareGen-Signature): " + r.path("secret").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Your webhooks (no secrets).")
    static final class ListHooks extends Signed {
        @Override
        public Integer call() {
            JsonNode r = signedPost("/v1/webhooks/list", (k, now) -> Payloads.webhookList(k.publicKey(), Nonces.next(), now));
            if (json) {
                printJson(r);
                return ExitCodes.OK;
            }
            if (r.path("webhooks").isEmpty()) {
                out().println("No webhooks.");
            }
            for (JsonNode w : r.path("webhooks")) {
                String state = w.hasNonNull("disabledAt") ? "disabled (" + w.path("disabledReason").asText("deleted") + ")" : "active";
                out().printf("%s  %s  %s  dead letters: %d%n", w.path("id").asText(), state, w.path("url").asText(),
                        w.path("deadLetters").asLong());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Stop a webhook (nothing more is sent to it).")
    static final class Delete extends Signed {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Override
        public Integer call() {
            signedPost("/v1/webhooks/" + enc(id) + "/delete",
                    (k, now) -> Payloads.webhookDelete(k.publicKey(), id, Nonces.next(), now));
            if (json) {
                printJson(io.raregen.cli.support.Json.MAPPER.createObjectNode().put("deleted", id));
            } else {
                out().println("Deleted webhook " + id);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Send a webhook's dead letters again.")
    static final class Replay extends Signed {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Override
        public Integer call() {
            JsonNode r = signedPost("/v1/webhooks/" + enc(id) + "/replay",
                    (k, now) -> Payloads.webhookReplay(k.publicKey(), id, Nonces.next(), now));
            if (json) {
                printJson(r);
            } else {
                out().println("Replaying " + r.path("replayed").asLong() + " dead letter(s) of webhook " + id);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "dead-letters", mixinStandardHelpOptions = true, description = "Deliveries given up after 24 hours.")
    static final class DeadLetters extends BaseCommand {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Option(names = "--json", description = "Print the API's answer as JSON.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode r;
            try {
                r = api.client(env()).get("/v1/webhooks/" + enc(id) + "/dead-letters", false).body();
            } catch (ApiException e) {
                throw apiFailure(e);
            }
            if (json) {
                printJson(r);
                return ExitCodes.OK;
            }
            JsonNode list = r.path("deadLetters");
            if (list.isEmpty()) {
                out().println("No dead letters.");
            }
            for (JsonNode d : list) {
                out().printf("%s  job %s  %d attempts  last %s%n", d.path("eventId").asText(), d.path("jobId").asText(),
                        d.path("attempts").asInt(), d.path("lastError").asText(d.path("lastStatusCode").asText("-")));
            }
            return ExitCodes.OK;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
