package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.ops.DbOptions;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Table;
import io.raregen.core.reconcile.ChainReader;
import io.raregen.core.reconcile.ChainReconciliation;
import io.raregen.core.reconcile.WocChainReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * {@code raregen ops reconcile}: after a database restore, compares the jobs and the UTXO pool with the chain and
 * (with {@code --apply}) records what the chain says happened after the backup (docs/OPERATIONS.md, "Restore drill";
 * the rules are {@link ChainReconciliation}'s). Dry run by default.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"After a database restore: compare signed/sent jobs and the UTXO pool with the chain and show what",
                "to record (jobs the chain has, outputs the chain has spent). Dry run unless --apply. Stop every",
                "broadcaster first. Exit 0: database agrees with the chain; 1: changes to apply or findings to look at."})
public final class OpsReconcileCommand extends BaseCommand {
    static final String DEFAULT_CHAIN = "https://api.whatsonchain.com/v1/bsv";

    @Mixin
    DbOptions db = new DbOptions();

    @Option(names = "--chain-url", paramLabel = "URL",
            description = "WhatsOnChain-shaped API root (default: $RAREGEN_CHAIN_URL or " + DEFAULT_CHAIN + "; the local chain: http://127.0.0.1:9090/woc).")
    String chainUrl;

    @Option(names = "--network", paramLabel = "main|test",
            description = "Network path segment of the chain API (default: $RAREGEN_NETWORK or main).")
    String network;

    @Option(names = "--chain-api-key", paramLabel = "KEY",
            description = "API key sent as woc-api-key (default: $RAREGEN_CHAIN_API_KEY). Never printed.")
    String apiKey;

    @Option(names = "--chain-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "Timeout of one chain request (default: ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Option(names = "--apply", description = "Write the changes (default: only print them).")
    boolean apply;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String url = chainUrl != null ? chainUrl : env().env("RAREGEN_CHAIN_URL") != null ? env().env("RAREGEN_CHAIN_URL") : DEFAULT_CHAIN;
        String net = network != null ? network : env().env("RAREGEN_NETWORK") != null ? env().env("RAREGEN_NETWORK") : "main";
        if (!net.equals("main") && !net.equals("test")) {
            throw new CliException(ExitCodes.USAGE, "BAD_NETWORK", "--network must be main or test, not " + net);
        }
        if (timeoutSeconds < 1) {
            throw new CliException(ExitCodes.USAGE, "BAD_TIMEOUT", "--chain-timeout must be at least 1 second");
        }
        String key = apiKey != null ? apiKey : env().env("RAREGEN_CHAIN_API_KEY");
        ChainReader chain = new WocChainReader(url, net, key, Duration.ofSeconds(timeoutSeconds));
        ChainReconciliation.Report report;
        try (Connection c = db.connect(env())) {
            report = ChainReconciliation.run(c, chain, apply);
        } catch (SQLException e) {
            throw new CliException(ExitCodes.API, "DB_ERROR", e.getMessage(), e);
        } catch (ChainReader.ChainException e) {
            throw new CliException(ExitCodes.API, e.code(), e.getMessage(), e);
        }
        if (json) {
            printJson(toJson(report));
        } else {
            print(report);
        }
        return report.inAgreement() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private void print(ChainReconciliation.Report r) {
        if (!r.findings().isEmpty()) {
            Table t = new Table("finding", "job", "outpoint", "txid", "applied", "detail");
            for (ChainReconciliation.Finding f : r.findings()) {
                t.row(f.kind().name(), f.jobId() == null ? "" : f.jobId().value(), f.outpoint() == null ? "" : f.outpoint().toString(),
                        f.txid() == null ? "" : f.txid().hex(), !f.kind().changes() ? "-" : f.applied() ? "yes" : "no", f.detail());
            }
            t.print(out());
            out().println();
        }
        out().println("checked " + r.jobsChecked() + " signed/sent job(s) and " + r.outputsChecked() + " pool output(s) against the chain");
        if (r.findings().isEmpty()) {
            out().println("the database agrees with the chain: nothing to do");
        } else if (r.apply()) {
            out().println((r.changes() - r.notApplied()) + " change(s) applied"
                    + (r.notApplied() > 0 ? ", " + r.notApplied() + " not applied (the database changed meanwhile: run again)" : "")
                    + (r.attention() > 0 ? "; " + r.attention() + " finding(s) need an operator" : ""));
        } else {
            out().println(r.changes() + " change(s) to apply (dry run: nothing written; run again with --apply)"
                    + (r.attention() > 0 ? "; " + r.attention() + " finding(s) need an operator" : ""));
        }
        out().flush();
    }

    private static ObjectNode toJson(ChainReconciliation.Report r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("applied", r.apply());
        n.put("jobsChecked", r.jobsChecked());
        n.put("outputsChecked", r.outputsChecked());
        n.put("changes", r.changes());
        n.put("notApplied", r.notApplied());
        n.put("attention", r.attention());
        n.put("inAgreement", r.inAgreement());
        ArrayNode a = n.putArray("findings");
        for (ChainReconciliation.Finding f : r.findings()) {
            ObjectNode o = a.addObject();
            o.put("kind", f.kind().name());
            o.put("jobId", f.jobId() == null ? null : f.jobId().value());
            o.put("outpoint", f.outpoint() == null ? null : f.outpoint().toString());
            o.put("txid", f.txid() == null ? null : f.txid().hex());
            o.put("changes", f.kind().changes());
            o.put("applied", f.applied());
            o.put("detail", f.detail());
        }
        return n;
    }
}
