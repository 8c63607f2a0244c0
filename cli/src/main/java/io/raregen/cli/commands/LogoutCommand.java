package io.raregen.cli.commands;

import io.raregen.cli.accounts.SessionFile;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.support.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** {@code raregen logout}: revokes the saved session and forgets it. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Sign out: revoke the saved session and delete it.")
public final class LogoutCommand extends BaseCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--home", paramLabel = "DIR", description = "Where the session is kept (default: $RAREGEN_HOME or ~/.raregen).")
    Path home;

    @Override
    public Integer call() {
        ApiClient client = api.client(env());
        Path dir = env().home(home);
        Optional<SessionFile> session = SessionFile.load(dir, client.base().toString());
        if (session.isEmpty()) {
            out().println("Not signed in at " + client.base());
            return ExitCodes.OK;
        }
        try {
            client.withSession(session.get().token()).delete("/v1/accounts/session", false);
        } catch (ApiException e) {
            if (!"SESSION_INVALID".equals(e.code())) {
                throw apiFailure(e);
            }
            // already revoked or expired: forgetting it is all that is left
        }
        SessionFile.delete(dir);
        out().println("Signed out " + session.get().email());
        return ExitCodes.OK;
    }
}
