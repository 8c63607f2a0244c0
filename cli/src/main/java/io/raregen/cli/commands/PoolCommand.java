package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Table;
import io.raregen.core.types.Outpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/** {@code raregen pool} (depth, sats, conservation) and {@code raregen pool fund}. */
@Command(name = "pool", mixinStandardHelpOptions = true,
        description = "Show the UTXO pool: depth by status and denomination, sats, and the conservation figures (operator token).",
        subcommands = PoolCommand.Fund.class)
public final class PoolCommand extends BaseCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--json", description = "Print the API's report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        JsonNode r;
        try {
            r = api.client(env()).pool();
        } catch (ApiException e) {
            throw apiFailure(e);
        }
        if (json) {
            printJson(r);
            return ExitCodes.OK;
        }
        Table byStatus = new Table("STATUS", "UTXOS", "SATS");
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("byStatus").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byStatus.row(e.getKey(), e.getValue().path("count").asLong(), e.getValue().path("satoshis").asLong());
        }
        out().println("UTXOs by status (dirty: " + r.path("dirty").asLong() + ")");
        byStatus.print(out());
        Table denom = new Table("PURPOSE", "DENOMINATION", "AVAILABLE", "RESERVED", "PENDING");
        for (JsonNode d : r.path("byDenomination")) {
            denom.row(d.path("purpose").asText(), d.path("satoshis").asLong(), d.path("available").asLong(),
                    d.path("reserved").asLong(), d.path("pending").asLong());
        }
        out().println();
        out().println("Depth by denomination");
        denom.print(out());
        JsonNode c = r.path("conservation");
        out().println();
        out().println("Conservation (I4: pool sats before = pool sats after + fees paid)");
        Table cons = new Table("FIGURE", "SATS");
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            cons.row(e.getKey(), e.getValue().asLong());
        }
        cons.print(out());
        if (r.has("jobsByStatus")) {
            out().println();
            Table jobs = new Table("JOB STATUS", "JOBS");
            r.path("jobsByStatus").fields().forEachRemaining(e -> jobs.row(e.getKey(), e.getValue().asLong()));
            jobs.print(out());
        }
        return ExitCodes.OK;
    }

    @Command(name = "fund", mixinStandardHelpOptions = true,
            description = {"Import a funding UTXO: an output of RAW_TX paying the service's funding address.",
                    "The broadcaster checks the output exists and pays its funding script before accepting it."})
    static final class Fund extends BaseCommand {
        @Parameters(paramLabel = "OUTPOINT", description = "txid:vout of the funding output.")
        String outpoint;

        @Option(names = "--raw-tx", required = true, paramLabel = "HEX", description = "The raw transaction that creates the output.")
        String rawTx;

        @Option(names = "--operator-api", paramLabel = "URL",
                description = "Broadcaster operator URL (default: $RAREGEN_OPERATOR_API or http://localhost:8081).")
        String operatorApi;

        @Option(names = "--admin-token", paramLabel = "TOKEN", description = "Operator bearer token (default: $RAREGEN_ADMIN_TOKEN).")
        String adminToken;

        @Option(names = "--confirmed", description = "The funding transaction is already mined (no unconfirmed ancestors).")
        boolean confirmed;

        @Option(names = "--json", description = "Print the answer as JSON.")
        boolean json;

        @Override
        public Integer call() {
            Outpoint op;
            try {
                op = Outpoint.parse(outpoint);
            } catch (RuntimeException e) {
                throw new CliException(ExitCodes.USAGE, "BAD_OUTPOINT", "not a txid:vout outpoint: " + outpoint);
            }
            if (!rawTx.matches("([0-9a-fA-F]{2})+")) {
                throw new CliException(ExitCodes.USAGE, "BAD_RAW_TX", "--raw-tx must be hex");
            }
            String url = operatorApi != null ? operatorApi
                    : env().env("RAREGEN_OPERATOR_API") != null ? env().env("RAREGEN_OPERATOR_API") : "http://localhost:8081";
            String token = adminToken != null ? adminToken : env().env("RAREGEN_ADMIN_TOKEN");
            ApiClient client = new ApiClient(url, token, Duration.ofSeconds(30));
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("outpoint", op.toString());
            body.put("rawTx", rawTx.toLowerCase());
            if (confirmed) {
                body.put("confirmed", true);
            }
            ApiClient.Response r;
            try {
                r = client.post(FUNDING_PATH, body.toString(), true);
            } catch (ApiException e) {
                throw apiFailure(e);
            }
            if (json) {
                printJson(r.body());
            } else {
                out().println((r.status() == 201 ? "Imported funding UTXO " : "Already in the pool: ") + op
                        + (r.body().has("satoshis") ? " (" + r.body().path("satoshis").asLong() + " sats, " + r.body().path("purpose").asText() + ")" : ""));
            }
            return ExitCodes.OK;
        }
    }

    /** The broadcaster's funding import endpoint. */
    static final String FUNDING_PATH = "/v1/pool/funding";
}
