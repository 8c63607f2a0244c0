package io.raregen.local;

/** {@code ./raregen local}: starts the local stack, prints how to use it, and stops it cleanly on Ctrl-C. */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) {
        LocalStackOptions options;
        try {
            for (String a : args) {
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.print(LocalStackOptions.USAGE);
                    return;
                }
            }
            options = LocalStackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("raregen local: " + e.getMessage());
            System.exit(2);
            return;
        }
        Log log = new Log(System.out);
        LocalStack stack = new LocalStack(options, log);
        Thread hook = new Thread(() -> {
            log.info("stopping…");
            stack.close();
            log.info("stopped; data kept in " + options.stateDir());
        }, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String failure;
        try {
            stack.start();
            printBanner(stack);
            failure = stack.supervise();
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (failure != null) {
            log.info("FAILED: " + failure);
            System.exit(1);
        }
    }

    static void printBanner(LocalStack s) {
        LocalStackOptions o = s.options();
        String line = "-".repeat(78);
        StringBuilder b = new StringBuilder();
        b.append('\n').append(line).append('\n');
        b.append("RareGen local stack is up\n");
        b.append("  web app       ").append(s.webUrl()).append("   (keys, publish, verify; operator dashboard at ")
                .append(s.webUrl()).append("#/ops)\n");
        b.append("  API           ").append(s.apiUrl()).append("   (OpenAPI UI: ").append(s.apiUrl()).append("/swagger-ui/index.html)\n");
        b.append("  broadcaster   ").append(s.broadcasterUrl()).append("/health   ").append(s.broadcasterUrl()).append("/prometheus\n");
        b.append("  local chain   ").append(s.chain().arcUrl()).append("   (ARC API; a block every ")
                .append(o.blockInterval().toMillis() / 1000.0).append(" s; blocks at /admin/blocks)\n");
        for (var d : s.chain().doors()) {
            b.append("  another door  ").append(d.arcUrl()).append("   (provider ").append(d.name())
                    .append(": the same chain; its faults at /admin/faults)\n");
        }
        b.append("  SQS           ").append(s.queue().queueUrl()).append("   (+ ").append(LocalQueue.DLQ).append(")\n");
        b.append("  Postgres      ").append(s.database().url()).append(s.database().embedded() ? "   (embedded)" : "").append('\n');
        b.append("  funding       ").append(s.secrets().fundingAddress()).append(" (regtest): ")
                .append(s.funding().sats()).append(" sats in ").append(s.funding().outpoint()).append('\n');
        b.append("  state         ").append(o.stateDir()).append("   (keys, admin token, chain, logs)\n");
        b.append('\n');
        b.append("Open ").append(s.webUrl()).append(" in a browser, or try the CLI from another terminal:\n");
        b.append("  export RAREGEN_PASSPHRASE='a passphrase for your keys'\n");
        if (!o.stateDir().equals(o.repo().resolve(LocalStackOptions.DEFAULT_STATE_DIR))) {
            // ./raregen reads cli.env (API URL, operator token) from <repo>/.raregen-local unless told otherwise
            b.append("  export RAREGEN_STATE_DIR='").append(o.stateDir()).append("'   # so ./raregen finds this stack's cli.env\n");
        }
        b.append("  ./raregen keys new\n");
        b.append("  ./raregen register\n");
        b.append("  echo '{\"hello\":\"world\"}' | ./raregen publish - --wait\n");
        b.append("  ./raregen status <JOB> --follow        # until mined\n");
        b.append("  ./raregen verify <JOB>\n");
        b.append("  ./raregen pool; ./raregen ops\n");
        b.append("Ctrl-C stops everything; data stays for the next run (--fresh starts over).\n");
        b.append(line).append('\n');
        System.out.print(b);
        System.out.flush();
    }
}
