package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.ops.DbOptions;
import io.raregen.cli.ops.OpsQueries;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code raregen ops}: the original batch mode's monitoring queries as tables (docs/CLI.md). */
@Command(name = "ops", mixinStandardHelpOptions = true, subcommands = {OpsReconcileCommand.class, OpsHistoryCommand.class},
        description = "The four monitoring queries (throughput, batch health, pool depth, error rate), read from Postgres.")
public final class OpsCommand extends BaseCommand {

    @Mixin
    DbOptions db = new DbOptions();

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        List<OpsQueries.Result> results = withDb(db, OpsQueries::all);
        if (json) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            String[] keys = {"throughput", "batchHealth", "poolDepth", "errorRate"};
            for (int i = 0; i < results.size(); i++) {
                n.set(keys[i], Json.MAPPER.valueToTree(OpsQueries.asMaps(results.get(i))));
            }
            printJson(n);
            return ExitCodes.OK;
        }
        boolean first = true;
        for (OpsQueries.Result r : results) {
            if (!first) {
                out().println();
            }
            first = false;
            printResult(r);
        }
        return ExitCodes.OK;
    }
}
