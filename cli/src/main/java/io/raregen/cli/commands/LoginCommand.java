package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.accounts.LocalMailbox;
import io.raregen.cli.accounts.SessionFile;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code raregen login EMAIL}: signs in with a code mailed to the address (docs/ACCOUNTS.md). */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Sign in (or sign up) with a one-time code sent to EMAIL; the session is saved in the key directory.",
                "On the local stack the code is read from its mail server; elsewhere you type it (or pass --code)."})
public final class LoginCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "EMAIL", description = "Your email address.")
    String email;

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--code", paramLabel = "CODE", description = "The 6-digit code, when you already have one (no new code is sent).")
    String code;

    @Option(names = "--home", paramLabel = "DIR", description = "Where the session is kept (default: $RAREGEN_HOME or ~/.raregen).")
    Path home;

    @Option(names = "--json", description = "Print the API's answer as JSON (without the token).")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient client = api.client(env());
        try {
            String theCode = code != null ? code : sendAndRead(client);
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("email", email);
            body.put("code", theCode.strip());
            JsonNode r = client.post("/v1/accounts/session", body.toString(), false).body();
            JsonNode account = r.path("account");
            new SessionFile(client.base().toString(), account.path("email").asText(), account.path("accountId").asText(),
                    r.path("token").asText()).save(env().home(home));
            if (json) {
                ObjectNode shown = r.deepCopy();
                shown.remove("token");
                printJson(shown);
            } else {
                out().println((r.path("accountCreated").asBoolean() ? "Signed up as " : "Signed in as ")
                        + account.path("email").asText() + " (account " + account.path("accountId").asText() + ", "
                        + account.path("credits").asLong() + " credits)");
                out().println("Register your key with `raregen register` to publish on this account.");
            }
            return ExitCodes.OK;
        } catch (ApiException e) {
            throw apiFailure(e);
        }
    }

    private String sendAndRead(ApiClient client) throws ApiException, InterruptedException {
        String mailbox = env().env("RAREGEN_LOCAL_MAILBOX");
        LocalMailbox local = mailbox == null ? null : new LocalMailbox(Path.of(mailbox));
        int before = local == null ? 0 : local.count();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("email", email);
        client.post("/v1/accounts/otp", body.toString(), false);
        if (local != null) {
            Optional<String> got = local.awaitCode(email, before, Duration.ofSeconds(30));
            if (got.isPresent()) {
                err().println("raregen: read the code from the local mail server");
                return got.get();
            }
            err().println("raregen: no code in the local mail server's inbox (" + mailbox + ") within 30 s");
        }
        err().print("A sign-in code was sent to " + email + ". Code: ");
        err().flush();
        String line = readLine();
        if (line == null || line.isBlank()) {
            throw new CliException(ExitCodes.INPUT, "CODE_MISSING", "no code entered", null);
        }
        return line;
    }

    private String readLine() {
        Console console = env().console().get();
        if (console != null) {
            return console.readLine();
        }
        try {
            return new BufferedReader(new InputStreamReader(env().in(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
