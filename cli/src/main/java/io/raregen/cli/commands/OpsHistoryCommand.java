package io.raregen.cli.commands;

import io.raregen.cli.ops.DbOptions;
import io.raregen.cli.ops.OpsQueries;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code raregen ops history}: the history's day partitions, live, ahead or archived (docs/CLI.md). */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "The history's day partitions: their days, rows and size, and where the archived ones went.")
public final class OpsHistoryCommand extends BaseCommand {

    @Mixin
    DbOptions db = new DbOptions();

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        OpsQueries.Result result = withDb(db, OpsQueries::history);
        if (json) {
            printJson(Json.MAPPER.valueToTree(OpsQueries.asMaps(result)));
            return ExitCodes.OK;
        }
        printResult(result);
        return ExitCodes.OK;
    }
}
