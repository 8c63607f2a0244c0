package io.raregen.local;

import io.raregen.localchain.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Flags of {@code ./raregen local}, with their defaults (docs/LOCAL.md lists them).
 *
 * @param repo             repository root, where the shaded jars are found (default: the working directory)
 * @param stateDir         where data survives between runs (default: {@code <repo>/.raregen-local}; the
 *                         {@code ./raregen} script passes {@code $RAREGEN_STATE_DIR} here when it is set)
 * @param apiPort          functions API (default 8080)
 * @param broadcasterPort  broadcaster /health and /prometheus (default 8081)
 * @param chainPort        local chain ARC API (default 9090)
 * @param sqsPort          ElasticMQ (default 9324)
 * @param smtpPort         the local mail server, where sign-in codes go (default 2525)
 * @param doorPorts        more ARC endpoints onto the same local chain, one per port, which the broadcaster
 *                         uses as further providers (default one, on 9091; 0 = any free port; none = no extra door)
 * @param dbUrl            admin JDBC URL of a Postgres server to use (default {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres});
 *                         when nothing answers there an embedded Postgres runs from {@code <stateDir>/pg}
 * @param dbName           database created on that server (default raregen_local)
 * @param embeddedDbPort   port of the embedded Postgres, if used (default 5433)
 * @param blockInterval    local chain block interval (default 5 s)
 * @param fundSats         satoshis the faucet gives the funding key at first start (default 100,000,000 = 1 BSV)
 * @param fresh            drop the database and the state directory first
 * @param javaOpts         JVM options of the two child applications (default {@code -Xmx512m})
 * @param healthTimeout    how long to wait for each application's /health (default 120 s)
 */
public record LocalStackOptions(Path repo, Path stateDir, int apiPort, int broadcasterPort, int chainPort, int sqsPort, int smtpPort,
                                List<Integer> doorPorts,
                                String dbUrl, String dbName, int embeddedDbPort, Duration blockInterval, long fundSats,
                                boolean fresh, List<String> javaOpts, Duration healthTimeout) {

    public static final String DEFAULT_DB_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    /** The state directory under the repository when {@code --state-dir} is not given. */
    public static final String DEFAULT_STATE_DIR = ".raregen-local";

    public static LocalStackOptions defaults() {
        Path repo = Path.of("").toAbsolutePath();
        return new LocalStackOptions(repo, repo.resolve(DEFAULT_STATE_DIR), 8080, 8081, 9090, 9324, 2525, List.of(9091), DEFAULT_DB_URL,
                "raregen_local", 5433, Duration.ofSeconds(5), 100_000_000L, false, List.of("-Xmx512m"), Duration.ofSeconds(120));
    }

    public Path functionsJar() {
        return repo.resolve("functions/target/raregen-functions-0.1.0-SNAPSHOT-all.jar");
    }

    public Path broadcasterJar() {
        return repo.resolve("broadcaster/target/raregen-broadcaster-0.1.0-SNAPSHOT-all.jar");
    }

    public static final String USAGE = """
            Usage: raregen local [options]
            Runs the whole RareGen system on this machine: ElasticMQ (in-process), Postgres (the server at
            --db-url, else an embedded one), the local chain, the functions API and the broadcaster.

              --fresh                 start over: drop the database and the local state (.raregen-local/)
              --api-port N            functions API port (default 8080)
              --broadcaster-port N    broadcaster port (default 8081)
              --chain-port N          local chain (ARC API) port (default 9090)
              --sqs-port N            ElasticMQ port (default 9324)
              --smtp-port N           local mail server port, where sign-in codes go (default 2525)
              --door-ports N[,N]      more ARC endpoints onto the local chain, which the broadcaster uses as
                                      further providers (failover); 0 = any free port, none = no extra door
                                      (default 9091)
              --db-url JDBC_URL       Postgres admin URL (default %s)
              --db-name NAME          database to create and use (default raregen_local)
              --embedded-db-port N    port of the embedded Postgres when no server answers (default 5433)
              --block-interval TIME   time between blocks: 5s, 500ms, 1m, or seconds (default 5s)
              --fund-sats N           satoshis to fund the pool with at first start (default 100000000)
              --state-dir DIR         where data is kept between runs (default $RAREGEN_STATE_DIR, else
                                      <repo>/.raregen-local); the other ./raregen commands read the
                                      stack's cli.env from $RAREGEN_STATE_DIR too, so prefer setting it
              --repo DIR              repository root with the built jars (default: the working directory)
              --java-opts "OPTS"      JVM options of the child applications (default -Xmx512m)
              --health-timeout SECS   wait this long for each application's /health (default 120)
              -h, --help              this help
            """.formatted(DEFAULT_DB_URL);

    /** Parses {@code --flag value} and {@code --flag=value}; throws IllegalArgumentException on anything unknown. */
    public static LocalStackOptions parse(String[] args) {
        LocalStackOptions o = defaults();
        Path repo = o.repo;
        Path stateDir = null;
        int api = o.apiPort, bc = o.broadcasterPort, chain = o.chainPort, sqs = o.sqsPort, smtp = o.smtpPort, edb = o.embeddedDbPort;
        List<Integer> doors = o.doorPorts;
        String dbUrl = o.dbUrl, dbName = o.dbName;
        Duration block = o.blockInterval, health = o.healthTimeout;
        long fund = o.fundSats;
        boolean fresh = false;
        List<String> javaOpts = o.javaOpts;
        List<String> a = new ArrayList<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (s.startsWith("--") && eq > 0) {
                a.add(s.substring(0, eq));
                a.add(s.substring(eq + 1));
            } else {
                a.add(s);
            }
        }
        for (int i = 0; i < a.size(); i++) {
            String f = a.get(i);
            switch (f) {
                case "--fresh" -> fresh = true;
                case "--api-port" -> api = port(a, ++i, f);
                case "--broadcaster-port" -> bc = port(a, ++i, f);
                case "--chain-port" -> chain = port(a, ++i, f);
                case "--sqs-port" -> sqs = port(a, ++i, f);
                case "--smtp-port" -> smtp = port(a, ++i, f);
                case "--embedded-db-port" -> edb = port(a, ++i, f);
                case "--door-ports" -> {
                    String v = value(a, ++i, f);
                    List<Integer> ps = new ArrayList<>();
                    if (!v.equals("none")) {
                        for (String p : v.split(",")) {
                            ps.add(port(List.of(p.trim()), 0, f));
                        }
                    }
                    if (ps.size() > 2) {
                        throw new IllegalArgumentException(f + " takes at most two ports (three providers in all)");
                    }
                    doors = List.copyOf(ps);
                }
                case "--db-url" -> dbUrl = value(a, ++i, f);
                case "--db-name" -> {
                    dbName = value(a, ++i, f);
                    if (!dbName.matches("[a-z_][a-z0-9_]{0,62}")) {
                        throw new IllegalArgumentException("--db-name must be a lower-case SQL identifier");
                    }
                }
                case "--block-interval" -> block = Durations.parse(f, value(a, ++i, f));
                case "--fund-sats" -> fund = Long.parseLong(value(a, ++i, f));
                case "--state-dir" -> stateDir = Path.of(value(a, ++i, f)).toAbsolutePath();
                case "--repo" -> repo = Path.of(value(a, ++i, f)).toAbsolutePath();
                case "--java-opts" -> javaOpts = List.of(value(a, ++i, f).trim().split("\\s+"));
                case "--health-timeout" -> health = Duration.ofSeconds(Long.parseLong(value(a, ++i, f)));
                default -> throw new IllegalArgumentException("unknown option " + f + " (see --help)");
            }
        }
        return new LocalStackOptions(repo, stateDir != null ? stateDir : repo.resolve(DEFAULT_STATE_DIR), api, bc, chain, sqs, smtp,
                doors, dbUrl, dbName, edb, block, fund, fresh, javaOpts, health);
    }

    private static String value(List<String> a, int i, String flag) {
        if (i >= a.size()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return a.get(i);
    }

    private static int port(List<String> a, int i, String flag) {
        int p = Integer.parseInt(value(a, i, flag));
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(flag + " out of range");
        }
        return p;
    }
}
