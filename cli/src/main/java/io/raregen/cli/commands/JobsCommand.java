package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.raregen.cli.ops.DbOptions;
import io.raregen.cli.ops.JobsAdmin;
import io.raregen.cli.ops.OpsQueries;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Table;
import io.raregen.core.jobs.FailedJobs;
import io.raregen.core.types.JobId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@code raregen jobs failed|retry}: operator views and manual re-drive (docs/CLI.md). */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Operator: list failed jobs and re-drive them.",
        subcommands = {JobsCommand.Failed.class, JobsCommand.Retry.class})
public final class JobsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(((io.raregen.cli.RaregenCli) spec.root().userObject()).environment().out());
    }

    @Command(name = "failed", mixinStandardHelpOptions = true, description = "List failed jobs, newest first, with their error code.")
    static final class Failed extends BaseCommand {
        @Mixin
        DbOptions db = new DbOptions();

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            OpsQueries.Result r;
            try (Connection c = db.connect(env())) {
                r = JobsAdmin.failed(c, limit);
            } catch (SQLException e) {
                throw new CliException(ExitCodes.API, "DB_ERROR", e.getMessage(), e);
            }
            if (json) {
                printJson(OpsQueries.asMaps(r));
            } else {
                Table t = new Table(r.columns().toArray(String[]::new));
                r.rows().forEach(row -> t.row(row.toArray()));
                t.print(out());
                out().println(r.rows().size() + " failed job(s)" + (r.rows().size() == limit ? " (limit reached)" : ""));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = {"Send failed jobs back to the queue (only those with no stored transaction, so nothing",
                    "can be published twice). The broadcaster's reconciler picks them up."})
    static final class Retry extends BaseCommand {
        @Mixin
        DbOptions db = new DbOptions();

        @Parameters(arity = "1..*", paramLabel = "JOB", description = "Job ids.")
        List<String> jobIds;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            List<JobId> ids = new ArrayList<>();
            for (String id : jobIds) {
                try {
                    ids.add(JobId.parse(id));
                } catch (RuntimeException e) {
                    throw new CliException(ExitCodes.USAGE, "JOB_ID_INVALID", "not a job id: " + id);
                }
            }
            ArrayNode arr = Json.MAPPER.createArrayNode();
            Table t = new Table("JOB", "OUTCOME");
            boolean all = true;
            try (Connection c = db.connect(env())) {
                for (JobId id : ids) {
                    FailedJobs.RetryOutcome o = JobsAdmin.retry(c, id);
                    all &= o == FailedJobs.RetryOutcome.REQUEUED;
                    arr.addObject().put("jobId", id.value()).put("outcome", o.name());
                    t.row(id.value(), o.name() + switch (o) {
                        case REQUEUED -> " (queued again)";
                        case NOT_FOUND -> " (no such job)";
                        case NOT_FAILED -> " (only failed jobs can be retried)";
                        case HAS_TRANSACTION -> " (a signed transaction is stored: retrying could publish twice)";
                    });
                }
            } catch (SQLException e) {
                throw new CliException(ExitCodes.API, "DB_ERROR", e.getMessage(), e);
            }
            if (json) {
                printJson(arr);
            } else {
                t.print(out());
            }
            return all ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
