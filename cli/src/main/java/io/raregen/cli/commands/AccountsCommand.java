package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.accounts.SessionFile;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code raregen accounts …}: the signed-in account (me, ledger, jobs) and the operator's view and grants. */
@Command(name = "accounts", mixinStandardHelpOptions = true,
        description = "Your account (after `raregen login`): balance, keys, ledger, jobs. Operators: show and grant.",
        subcommands = {AccountsCommand.Me.class, AccountsCommand.Ledger.class, AccountsCommand.Jobs.class,
                AccountsCommand.Deposit.class, AccountsCommand.Topup.class,
                AccountsCommand.Show.class, AccountsCommand.Grant.class, AccountsCommand.AssignPlan.class,
                AccountsCommand.Plans.class, AccountsCommand.DefinePlan.class})
public final class AccountsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A subcommand that reads the signed-in account with the saved session. */
    abstract static class Mine extends BaseCommand {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Option(names = "--home", paramLabel = "DIR", description = "Where the session is kept (default: $RAREGEN_HOME or ~/.raregen).")
        Path home;

        @Option(names = "--json", description = "Print the API's answer as JSON.")
        boolean json;

        @Override
        public Integer call() {
            ApiClient client = api.client(env());
            SessionFile session = SessionFile.load(env().home(home), client.base().toString()).orElseThrow(() -> new CliException(
                    ExitCodes.API, "NOT_SIGNED_IN", "not signed in at " + client.base() + ": run `raregen login EMAIL` first", null));
            try {
                JsonNode r = client.withSession(session.token()).get(path(), false).body();
                if (json) {
                    printJson(r);
                } else {
                    show(r);
                }
                return ExitCodes.OK;
            } catch (ApiException e) {
                throw apiFailure(e);
            }
        }

        abstract String path();

        abstract void show(JsonNode r);
    }

    @Command(name = "me", mixinStandardHelpOptions = true, description = "Your account: email, credits, plan and keys.")
    static final class Me extends Mine {
        @Override
        String path() {
            return "/v1/accounts/me";
        }

        @Override
        void show(JsonNode r) {
            JsonNode a = r.path("account");
            out().println("Account  " + a.path("accountId").asText());
            out().println("Email    " + a.path("email").asText());
            out().println("Credits  " + a.path("credits").asLong());
            out().println("Plan     " + (a.path("plan").isMissingNode() || a.path("plan").isNull() ? "none" : a.path("plan").asText()));
            out().println("Keys     " + r.path("keys").size());
            for (JsonNode k : r.path("keys")) {
                out().println("  " + k.path("pubkey").asText() + "  " + k.path("status").asText());
            }
        }
    }

    @Command(name = "ledger", mixinStandardHelpOptions = true, description = "Every change of your credits, newest first.")
    static final class Ledger extends Mine {
        @Option(names = "--limit", defaultValue = "50", description = "How many entries (1–200, default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        String path() {
            return "/v1/accounts/me/ledger?limit=" + limit;
        }

        @Override
        void show(JsonNode r) {
            out().println("Credits: " + r.path("credits").asLong());
            Table t = new Table("ENTRY", "WHEN", "CHANGE", "KIND", "DETAIL");
            for (JsonNode e : r.path("entries")) {
                String detail = e.has("jobs") ? e.path("jobs").asInt() + " job(s)"
                        : e.has("jobId") ? e.path("jobId").asText() : e.path("note").asText("");
                long delta = e.path("delta").asLong();
                t.row(e.path("entryId").asText(), e.path("createdAt").asText(), (delta > 0 ? "+" : "") + delta,
                        e.path("kind").asText(), detail);
            }
            t.print(out());
        }
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true, description = "The newest jobs published with your keys.")
    static final class Jobs extends Mine {
        @Option(names = "--limit", defaultValue = "50", description = "How many jobs (1–200, default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        String path() {
            return "/v1/accounts/me/jobs?limit=" + limit;
        }

        @Override
        void show(JsonNode r) {
            Table t = new Table("JOB", "STATUS", "CREATED", "TXID");
            for (JsonNode j : r.path("jobs")) {
                t.row(j.path("jobId").asText(), j.path("status").asText(), j.path("createdAt").asText(), j.path("txid").asText("-"));
            }
            t.print(out());
        }
    }

    @Command(name = "deposit", mixinStandardHelpOptions = true,
            description = "Top up in BSV: your deposit address, the price, and the payments seen (credited after the confirmations).")
    static final class Deposit extends Mine {
        @Override
        String path() {
            return "/v1/accounts/me/deposit";
        }

        @Override
        void show(JsonNode r) {
            out().println("Pay to   " + r.path("address").asText() + "  (" + r.path("network").asText() + ")");
            out().println("Price    " + r.path("satsPerCredit").asLong() + " sats per credit, credited " + r.path("confirmations").asInt()
                    + " blocks deep");
            Table t = new Table("PAYMENT", "SATS", "HEIGHT", "CREDITS");
            for (JsonNode p : r.path("payments")) {
                t.row(p.path("txid").asText() + ":" + p.path("vout").asInt(), p.path("satoshis").asLong(),
                        p.path("height").asInt() == 0 ? "unmined" : p.path("height").asText(),
                        p.has("credits") ? "+" + p.path("credits").asLong() : "waiting");
            }
            if (!t.isEmpty()) {
                t.print(out());
            }
        }
    }

    @Command(name = "topup", mixinStandardHelpOptions = true,
            description = {"Local stack only: pay SATS to your deposit address from the local chain's faucet, then wait for the credits.",
                    "Against a real network, pay the address `raregen accounts deposit` shows from your own wallet."})
    static final class Topup extends BaseCommand {
        @Parameters(index = "0", paramLabel = "SATS")
        long sats;

        @Mixin
        ApiOptions api = new ApiOptions();

        @Option(names = "--home", paramLabel = "DIR", description = "Where the session is kept (default: $RAREGEN_HOME or ~/.raregen).")
        Path home;

        @Option(names = "--wait", defaultValue = "60", description = "Seconds to wait for the credits (default ${DEFAULT-VALUE}; 0: do not wait).")
        int waitSeconds;

        @Override
        public Integer call() throws InterruptedException {
            String chain = env().env("RAREGEN_LOCAL_CHAIN");
            if (chain == null) {
                throw new CliException(ExitCodes.USAGE, "NOT_LOCAL", "topup pays from the local chain's faucet and needs the local stack "
                        + "(RAREGEN_LOCAL_CHAIN from its cli.env); elsewhere pay the address `raregen accounts deposit` shows", null);
            }
            ApiClient client = api.client(env());
            SessionFile session = SessionFile.load(env().home(home), client.base().toString()).orElseThrow(() -> new CliException(
                    ExitCodes.API, "NOT_SIGNED_IN", "not signed in at " + client.base() + ": run `raregen login EMAIL` first", null));
            ApiClient mine = client.withSession(session.token());
            try {
                long deadline = System.nanoTime() + Math.max(0, waitSeconds) * 1_000_000_000L;
                JsonNode deposit = depositTerms(mine, deadline);
                long before = mine.get("/v1/accounts/me", false).body().path("account").path("credits").asLong();
                ObjectNode body = Json.MAPPER.createObjectNode();
                body.put("address", deposit.path("address").asText());
                body.put("satoshis", sats);
                JsonNode paid = new ApiClient(chain, null, java.time.Duration.ofSeconds(10)).post("/admin/faucet", body.toString(), false).body();
                out().println("Paid " + sats + " sats to " + deposit.path("address").asText() + " in " + paid.path("txid").asText());
                long expected = sats / deposit.path("satsPerCredit").asLong();
                if (waitSeconds <= 0) {
                    return ExitCodes.OK;
                }
                while (System.nanoTime() < deadline) {
                    long now = mine.get("/v1/accounts/me", false).body().path("account").path("credits").asLong();
                    if (now >= before + expected) {
                        out().println("Credited " + (now - before) + " credits after " + deposit.path("confirmations").asInt()
                                + " confirmations: balance " + now);
                        return ExitCodes.OK;
                    }
                    Thread.sleep(1000);
                }
                out().println("Not credited within " + waitSeconds + " s; `raregen accounts deposit` shows the payment");
                return ExitCodes.FAILED;
            } catch (ApiException e) {
                throw apiFailure(e);
            }
        }

        /**
         * The deposit terms; while the broadcaster has not published them yet (it does within seconds of starting:
         * {@code DEPOSITS_UNAVAILABLE}) they are asked for again every second until {@code deadline}.
         */
        private static JsonNode depositTerms(ApiClient mine, long deadline) throws ApiException, InterruptedException {
            while (true) {
                try {
                    return mine.get("/v1/accounts/me/deposit", false).body();
                } catch (ApiException e) {
                    if (!"DEPOSITS_UNAVAILABLE".equals(e.code()) || System.nanoTime() >= deadline) {
                        throw e;
                    }
                    Thread.sleep(1000);
                }
            }
        }
    }

    /** An operator subcommand: the API with the operator token, its failures as CLI errors. */
    abstract static class Operator extends BaseCommand {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Override
        public Integer call() {
            try {
                return run(api.client(env()));
            } catch (ApiException e) {
                throw apiFailure(e);
            }
        }

        abstract int run(ApiClient client) throws ApiException;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Operator: an account by email or id, with its keys and newest ledger entries.")
    static final class Show extends Operator {
        @Parameters(index = "0", paramLabel = "EMAIL|ACCOUNT_ID")
        String who;

        @Override
        int run(ApiClient client) throws ApiException {
            printJson(find(client, who));
            return ExitCodes.OK;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Operator: add credits to an account (one ledger entry).")
    static final class Grant extends Operator {
        @Parameters(index = "0", paramLabel = "EMAIL|ACCOUNT_ID")
        String who;

        @Parameters(index = "1", paramLabel = "CREDITS")
        long credits;

        @Option(names = "--note", description = "Why, for the ledger.")
        String note;

        @Option(names = "--reference", description = "An idempotency key: the same reference grants once.")
        String reference;

        @Option(names = "--json", description = "Print the API's answer as JSON.")
        boolean json;

        @Override
        int run(ApiClient client) throws ApiException {
            String accountId = find(client, who).path("account").path("accountId").asText();
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("credits", credits);
            if (note != null) {
                body.put("note", note);
            }
            if (reference != null) {
                body.put("reference", reference);
            }
            ApiClient.Response r = client.post("/v1/ops/accounts/" + accountId + "/grants", body.toString(), true);
            if (json) {
                printJson(r.body());
            } else {
                out().println((r.body().path("repeated").asBoolean() ? "Already granted (reference " + reference + "): "
                        : "Granted " + credits + " credits: ") + "balance " + r.body().path("credits").asLong());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Operator: put an account on a plan (its monthly allowance is granted within the hour), or on `none`.")
    static final class AssignPlan extends Operator {
        @Parameters(index = "0", paramLabel = "EMAIL|ACCOUNT_ID")
        String who;

        @Parameters(index = "1", paramLabel = "PLAN|none")
        String plan;

        @Override
        int run(ApiClient client) throws ApiException {
            String accountId = find(client, who).path("account").path("accountId").asText();
            ObjectNode body = Json.MAPPER.createObjectNode();
            if ("none".equals(plan)) {
                body.putNull("plan");
            } else {
                body.put("plan", plan);
            }
            JsonNode r = client.put("/v1/ops/accounts/" + accountId + "/plan", body.toString(), true).body();
            out().println(r.path("account").path("email").asText() + " is on " + r.path("account").path("plan").asText("no plan"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "plans", mixinStandardHelpOptions = true, description = "Operator: the plans and their monthly allowances.")
    static final class Plans extends Operator {
        @Override
        int run(ApiClient client) throws ApiException {
            Table t = new Table("PLAN", "CREDITS/MONTH", "UPDATED");
            for (JsonNode p : client.get("/v1/ops/plans", true).body().path("plans")) {
                t.row(p.path("name").asText(), p.path("monthlyCredits").asLong(), p.path("updatedAt").asText());
            }
            t.print(out());
            return ExitCodes.OK;
        }
    }

    @Command(name = "define-plan", mixinStandardHelpOptions = true, description = "Operator: create a plan or change its monthly allowance.")
    static final class DefinePlan extends Operator {
        @Parameters(index = "0", paramLabel = "PLAN")
        String name;

        @Parameters(index = "1", paramLabel = "CREDITS_PER_MONTH")
        long credits;

        @Override
        int run(ApiClient client) throws ApiException {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("monthlyCredits", credits);
            JsonNode r = client.put("/v1/ops/plans/" + URLEncoder.encode(name, StandardCharsets.UTF_8), body.toString(), true).body();
            out().println("Plan " + r.path("name").asText() + ": " + r.path("monthlyCredits").asLong() + " credits a month");
            return ExitCodes.OK;
        }
    }

    static JsonNode find(ApiClient client, String who) throws ApiException {
        String path = who.contains("@") ? "/v1/ops/accounts?email=" + URLEncoder.encode(who, StandardCharsets.UTF_8)
                : "/v1/ops/accounts/" + URLEncoder.encode(who, StandardCharsets.UTF_8);
        return client.get(path, true).body();
    }
}
