package io.raregen.cli;

import io.raregen.cli.commands.AccountsCommand;
import io.raregen.cli.commands.BenchCommand;
import io.raregen.cli.commands.LoginCommand;
import io.raregen.cli.commands.LogoutCommand;
import io.raregen.cli.commands.JobsCommand;
import io.raregen.cli.commands.KeysCommand;
import io.raregen.cli.commands.OpsCommand;
import io.raregen.cli.commands.PoolCommand;
import io.raregen.cli.commands.PublishCommand;
import io.raregen.cli.commands.RegisterCommand;
import io.raregen.cli.commands.StatusCommand;
import io.raregen.cli.commands.VerifyCommand;
import io.raregen.cli.commands.WebhooksCommand;
import io.raregen.cli.commands.EventsCommand;
import io.raregen.cli.support.CliEnvironment;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code raregen} command line (docs/CLI.md). */
@Command(name = "raregen", mixinStandardHelpOptions = true, versionProvider = RaregenCli.Version.class,
        description = "Publish client-signed records on BSV through a RareGen API, verify them, and operate the service.",
        subcommands = {KeysCommand.class, LoginCommand.class, LogoutCommand.class, AccountsCommand.class, RegisterCommand.class, PublishCommand.class, StatusCommand.class,
                VerifyCommand.class, WebhooksCommand.class, EventsCommand.class, PoolCommand.class, JobsCommand.class,
                OpsCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 a check or job failed, 2 usage, 3 API error, 4 keys, 5 input."})
public final class RaregenCli implements Runnable {

    private final CliEnvironment environment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public RaregenCli(CliEnvironment environment) {
        this.environment = environment;
    }

    public CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(environment.out());
    }

    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs one command line and returns its exit code; never calls System.exit. */
    public static int run(CliEnvironment env, String... args) {
        CommandLine cl = new CommandLine(new RaregenCli(env));
        cl.setOut(env.out());
        cl.setErr(env.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CliException ce) {
                env.err().println("error [" + ce.code() + "]: " + ce.getMessage());
                env.err().flush();
                return ce.exitCode();
            }
            env.err().println("error [INTERNAL]: " + ex);
            if (env.env("RAREGEN_DEBUG") != null) {
                ex.printStackTrace(env.err());
            }
            env.err().flush();
            return ExitCodes.FAILED;
        });
        int code = cl.execute(args);
        env.out().flush();
        env.err().flush();
        return code;
    }

    /** Version from the jar manifest, when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RaregenCli.class.getPackage().getImplementationVersion();
            return new String[] {"raregen " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
