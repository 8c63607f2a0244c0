package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.accounts.SessionFile;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.keys.Keys;
import io.raregen.cli.keys.WalletKeys;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Nonces;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code raregen register}: proves possession of the identity key and registers it. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register your identity public key with the API (signed proof of possession).")
public final class RegisterCommand extends BaseCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--home", paramLabel = "DIR", description = "Key directory (default: $RAREGEN_HOME or ~/.raregen).")
    Path home;

    @Option(names = "--json", description = "Print the API's answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
        WalletKeys keys = Keys.unlock(env(), env().home(home));
        ApiClient client = api.client(env());
        // signed in (raregen login): the key becomes the account's
        java.util.Optional<SessionFile> session = SessionFile.load(env().home(home), client.base().toString());
        if (session.isPresent()) {
            client = client.withSession(session.get().token());
        }
        ApiClient.Response r;
        try {
            r = register(client, keys.identity(), env().clock().instant());
        } catch (ApiException e) {
            throw apiFailure(e);
        }
        if (json) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("httpStatus", r.status());
            n.put("pubkey", keys.identity().publicKey().hex());
            n.set("response", r.body());
            printJson(n);
        } else {
            out().println((r.status() == 201 ? "Registered " : "Already registered ") + keys.identity().publicKey().hex()
                    + " at " + client.base() + session.map(s -> " to account " + s.email()).orElse(""));
        }
        return ExitCodes.OK;
    }

    /** Signs {"type":"register",…} with the key itself and posts it. */
    public static ApiClient.Response register(ApiClient client, KeyPair key, java.time.Instant now) throws ApiException {
        String payload = Payloads.register(key.publicKey(), Nonces.next(), now);
        Envelope e = EnvelopeSigner.sign(payload, key);
        return client.register(e);
    }
}
