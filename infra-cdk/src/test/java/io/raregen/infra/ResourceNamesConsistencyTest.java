package io.raregen.infra;

import static io.raregen.infra.Json.list;
import static io.raregen.infra.Json.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.ResourceNames.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The LocalStack files, the architecture's configuration table and the applications' own configuration
 * use the names infra-cdk deploys ({@link ResourceNames}). No Docker here, so this reads the files.
 */
class ResourceNamesConsistencyTest {

    private static final Path ROOT = Path.of(System.getProperty("raregen.repo.root", ".."));
    private static final Path LOCALSTACK = ROOT.resolve("localstack");

    private static Map<String, Object> compose;
    private static String initScripts;
    private static Map<String, String> env;

    @BeforeAll
    static void read() throws IOException {
        compose = new Yaml().load(Files.readString(LOCALSTACK.resolve("docker-compose.yml")));
        try (Stream<Path> files = Files.list(LOCALSTACK.resolve("init/ready.d"))) {
            initScripts = files.filter(f -> f.toString().endsWith(".sh")).sorted()
                    .map(ResourceNamesConsistencyTest::read).collect(Collectors.joining("\n"));
        }
        env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(LOCALSTACK.resolve("localstack.env"))) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("#")) {
                int eq = l.indexOf('=');
                env.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Object> service(String name) {
        return map(map(compose.get("services")).get(name));
    }

    @Test
    void compose_runsLocalstack_withTheServicesTheAppsCall_andPostgres16() {
        Map<String, Object> localstack = service("localstack");
        assertTrue(String.valueOf(localstack.get("image")).startsWith("localstack/localstack:"));
        Set<String> services = Set.of(String.valueOf(map(localstack.get("environment")).get("SERVICES")).split(","));
        assertTrue(services.containsAll(List.of("sqs", "secretsmanager")), services.toString());
        assertTrue(list(localstack.get("ports")).contains("127.0.0.1:4566:4566"));
        assertTrue(list(localstack.get("volumes")).stream().anyMatch(v ->
                String.valueOf(v).startsWith("./init/ready.d:/etc/localstack/init/ready.d")), "init scripts mounted");
        assertEquals("postgres:16", service("postgres").get("image"));
    }

    @Test
    void initScripts_createTheQueueAndDlq_withTheRedrivePolicy() {
        assertTrue(initScripts.contains("QUEUE=" + ResourceNames.QUEUE + "\n"), "queue name");
        assertTrue(initScripts.contains("DLQ=" + ResourceNames.DLQ + "\n"), "DLQ name");
        assertTrue(initScripts.contains("MAX_RECEIVE_COUNT=" + ResourceNames.MAX_RECEIVE_COUNT + "\n"));
        assertTrue(initScripts.contains("deadLetterTargetArn") && initScripts.contains("maxReceiveCount"));
        // same retention and visibility as the CDK queue
        long dlqRetention = 14L * 24 * 3600;
        long retention = 4L * 24 * 3600;
        assertTrue(initScripts.contains("MessageRetentionPeriod=" + dlqRetention));
        assertTrue(initScripts.contains("\"MessageRetentionPeriod\": \"" + retention + "\""));
        long visibility = PublishQueueVisibility.DEFAULT_SECONDS;
        assertTrue(initScripts.contains("\"VisibilityTimeout\": \"" + visibility + "\""), "visibility " + visibility);
    }

    @Test
    void initScripts_createEverySecretTheStackCreates() {
        for (String secret : ResourceNames.APP_SECRETS) {
            assertTrue(initScripts.contains("put_secret " + secret + " "), "secret " + secret);
        }
        Matcher names = Pattern.compile("put_secret (raregen/\\S+)").matcher(initScripts);
        while (names.find()) {
            assertTrue(ResourceNames.APP_SECRETS.contains(names.group(1)), "unknown secret " + names.group(1));
        }
    }

    @Test
    void initScripts_giveEachSecretTheJsonFieldTheAppsRead() {
        Map<String, String> fields = Map.of(
                ResourceNames.SECRET_ARC_TOKEN, ResourceNames.FIELD_ARC_TOKEN,
                ResourceNames.SECRET_POOL_WIF, ResourceNames.FIELD_POOL_WIF,
                ResourceNames.SECRET_FUNDING_WIF, ResourceNames.FIELD_FUNDING_WIF,
                ResourceNames.SECRET_ADMIN_TOKEN, ResourceNames.FIELD_ADMIN_TOKEN,
                ResourceNames.SECRET_ARC_CALLBACK_TOKEN, ResourceNames.FIELD_ARC_CALLBACK_TOKEN);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            assertTrue(initScripts.contains("put_secret " + f.getKey() + " '{\"" + f.getValue() + "\":"),
                    f.getKey() + " holds {\"" + f.getValue() + "\": ...}");
        }
        assertTrue(initScripts.contains("\"token\":\"" + env.get(Env.ADMIN_TOKEN) + "\""), "admin token matches the env file");
    }

    @Test
    void dbSecret_postgresService_andEnvFile_agreeOnTheCredentials() {
        Map<String, Object> pg = map(service("postgres").get("environment"));
        String user = String.valueOf(pg.get("POSTGRES_USER"));
        String password = String.valueOf(pg.get("POSTGRES_PASSWORD"));
        String db = String.valueOf(pg.get("POSTGRES_DB"));
        assertEquals(ResourceNames.DB_USER, user);
        assertEquals(ResourceNames.DB_NAME, db);
        assertTrue(initScripts.contains("\"username\":\"" + user + "\",\"password\":\"" + password + "\""));
        String hostPort = String.valueOf(list(service("postgres").get("ports")).get(0)).split(":")[1];
        assertEquals("jdbc:postgresql://localhost:" + hostPort + "/" + db, env.get(Env.DATASOURCE_URL));
        assertEquals(user, env.get(Env.DATASOURCE_USERNAME));
        assertEquals(password, env.get(Env.DATASOURCE_PASSWORD));
    }

    @Test
    void envFile_pointsTheAppsAtLocalstack_withTheArchitecturesKeys() {
        assertEquals("http://localhost:4566", env.get(Env.AWS_ENDPOINT));
        assertTrue(env.get(Env.QUEUE_URL).startsWith("http://localhost:4566/"));
        assertTrue(env.get(Env.QUEUE_URL).endsWith("/" + ResourceNames.QUEUE));
        assertEquals("path", String.valueOf(map(service("localstack").get("environment")).get("SQS_ENDPOINT_STRATEGY")));
        assertTrue(env.get(Env.QUEUE_URL).contains("/queue/" + env.get(Env.AWS_REGION) + "/"), "path-strategy URL");
        // local-only switches (raregen.keys.generate-if-missing, raregen.webhooks.allow-loopback-http); never set in AWS
        Set<String> localOnly = Set.of("RAREGEN_KEYS_GENERATE_IF_MISSING", "RAREGEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP");
        Set<String> secretArns = Set.of(Env.DB_SECRET_ARN, Env.ADMIN_TOKEN_SECRET_ARN, Env.ARC_CALLBACK_TOKEN_SECRET_ARN,
                Env.RECEIPT_KEY_SECRET_ARN, Env.ACCOUNTS_CODE_KEY_SECRET_ARN);
        for (String key : env.keySet()) {
            boolean known = Env.ARCHITECTURE_KEYS.contains(key) || key.startsWith("AWS_") || localOnly.contains(key)
                    || secretArns.contains(key);
            assertTrue(known, key + " is not a configuration key of docs/ARCHITECTURE.md");
        }
        assertEquals("regtest", env.get(Env.NETWORK));
        assertTrue(!env.containsKey(Env.POOL_WIF) && !env.containsKey(Env.FUNDING_WIF), "no keys in a file under git");
    }

    @Test
    void envFile_pointsTheFunctionsAtTheSecretsTheStackGivesTheLambdas() {
        // the same two secrets the API stack passes to the Lambdas as ARNs, here by name
        assertEquals(ResourceNames.SECRET_DB, env.get(Env.DB_SECRET_ARN));
        assertEquals(ResourceNames.SECRET_ADMIN_TOKEN, env.get(Env.ADMIN_TOKEN_SECRET_ARN));
        assertTrue(initScripts.contains("put_secret " + ResourceNames.SECRET_DB + " "));
        assertTrue(initScripts.contains("put_secret " + ResourceNames.SECRET_ADMIN_TOKEN + " "));
        assertEquals(ResourceNames.SECRET_ARC_CALLBACK_TOKEN, env.get(Env.ARC_CALLBACK_TOKEN_SECRET_ARN));
        assertEquals(ResourceNames.SECRET_RECEIPT_KEY, env.get(Env.RECEIPT_KEY_SECRET_ARN));
        assertTrue(initScripts.contains("put_secret " + ResourceNames.SECRET_RECEIPT_KEY + " "), "the receipt key is generated at init");
        assertEquals(ResourceNames.SECRET_ACCOUNTS_CODE_KEY, env.get(Env.ACCOUNTS_CODE_KEY_SECRET_ARN));
        assertTrue(initScripts.contains("put_secret " + ResourceNames.SECRET_ACCOUNTS_CODE_KEY + " "), "the code key is generated at init");
        // the broadcaster's plain token (ECS injects it in AWS) is the value the secret holds
        assertTrue(initScripts.contains("put_secret " + ResourceNames.SECRET_ARC_CALLBACK_TOKEN + " '{\"token\":\""
                + env.get(Env.ARC_CALLBACK_TOKEN) + "\"}'"));
    }

    @Test
    void architectureDoc_namesTheSameQueues_andEveryConfigurationKey() throws IOException {
        String architecture = Files.readString(ROOT.resolve("docs/ARCHITECTURE.md"));
        assertTrue(architecture.contains("`" + ResourceNames.QUEUE + "`"));
        assertTrue(architecture.contains("`" + ResourceNames.DLQ + "`"));
        assertTrue(architecture.contains("maxReceiveCount " + ResourceNames.MAX_RECEIVE_COUNT));
        for (String key : Env.ARCHITECTURE_KEYS) {
            String prefix = key.startsWith("DATASOURCES_DEFAULT_") ? "DATASOURCES_DEFAULT_" : key;
            assertTrue(architecture.contains(prefix), key);
        }
        assertTrue(architecture.contains("8081"), "broadcaster port");
    }

    @Test
    void appConfiguration_mentionsNoOtherQueueName() throws IOException {
        // the apps take the queue URL from configuration; any queue name they do spell out must be ours
        Pattern queueName = Pattern.compile("raregen-publish[a-z0-9-]*");
        for (String module : List.of("functions", "broadcaster", "localstack")) {
            Path resources = ROOT.resolve(module).resolve("src/main/resources");
            if (!Files.isDirectory(resources)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(resources)) {
                for (Path p : walk.filter(f -> f.toString().matches(".*\\.(yml|yaml|properties)")).collect(Collectors.toList())) {
                    Matcher m = queueName.matcher(Files.readString(p));
                    while (m.find()) {
                        assertTrue(Set.of(ResourceNames.QUEUE, ResourceNames.DLQ).contains(m.group()), p + ": " + m.group());
                    }
                }
            }
        }
    }

    @Test
    void appConfiguration_agreesThatOnlyTheBroadcasterMigrates_onPort8081() throws IOException {
        Path broadcaster = ROOT.resolve("broadcaster/src/main/resources/application.yml");
        Path lambda = ROOT.resolve("functions/src/main/resources/application-lambda.yml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(broadcaster) && Files.exists(lambda),
                "the apps' configuration files are not there yet");
        Map<String, Object> b = new Yaml().load(Files.readString(broadcaster));
        Map<String, Object> l = new Yaml().load(Files.readString(lambda));
        assertEquals(true, flywayEnabled(b), "the broadcaster runs Flyway at start (docs/OPERATIONS.md, Migrations)");
        assertEquals(false, flywayEnabled(l), "the Lambdas never migrate");
        assertTrue(String.valueOf(map(map(b.get("micronaut")).get("server")).get("port"))
                .contains(String.valueOf(ResourceNames.BROADCASTER_PORT)), "health check and metrics port");
    }

    private static Object flywayEnabled(Map<String, Object> yaml) {
        return map(map(map(map(yaml.get("flyway")).get("datasources")).get("default"))).get("enabled");
    }

    @Test
    void initScripts_areValidBash() throws Exception {
        try (Stream<Path> scripts = Files.list(LOCALSTACK.resolve("init/ready.d"))) {
            for (Path script : scripts.filter(f -> f.toString().endsWith(".sh")).collect(Collectors.toList())) {
                assertTrue(Files.isExecutable(script), script + " must be executable for LocalStack to run it");
                Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), script + ": " + new String(p.getInputStream().readAllBytes()));
            }
        }
    }

    /** The CDK default visibility, computed the way PublishQueueProps does, without a synth. */
    private static final class PublishQueueVisibility {
        static final long DEFAULT_SECONDS = 2 * (5 + 25);
    }
}
