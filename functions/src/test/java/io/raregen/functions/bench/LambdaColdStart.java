package io.raregen.functions.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.priming.RequestPathPrimer;
import io.raregen.functions.support.LocalSecretsManager;
import io.raregen.functions.support.TestLambdaContext;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Not a test: run in a fresh JVM with the shaded jar first on the classpath, the way the Lambda
 * runtime loads it. Prints the handler's cold initialisation time (constructor: context start,
 * no network), the first invocation, and warm invocation times.
 *
 * <p>The database and queue come from the usual environment variables (DATASOURCES_DEFAULT_URL,
 * RAREGEN_QUEUE_URL, RAREGEN_AWS_ENDPOINT); the warm requests are GET /v1/jobs/{unknown} (one
 * indexed query) and GET /health (a query and a queue call).
 *
 * <p>With {@code -Dcoldstart.secrets=true} it first starts {@link LocalSecretsManager} in this JVM, stores the
 * database credentials and an operator token there and sets the two secret ARNs, so the cold init includes
 * what a deployed function does: building a Secrets Manager client and reading both secrets over HTTP.
 */
public final class LambdaColdStart {

    public static void main(String[] args) throws Exception {
        LocalSecretsManager secrets = Boolean.getBoolean("coldstart.secrets") ? secretsFromEnvironment() : null;
        if (args.length == 2 && args[0].equals("sign")) {
            sign(args[1]);
            return;
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainEntered = System.currentTimeMillis();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long threadCpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        APIGatewayV2HTTPEventFunction handler = new APIGatewayV2HTTPEventFunction();
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        long threadCpu1 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        if (PUBLISH_FIRST != null) {
            firstPublish(handler);
            return;
        }
        APIGatewayV2HTTPResponse first = handler.handleRequest(event("/v1/jobs/01JZZZZZZZZZZZZZZZZZZZZZZZ"), new TestLambdaContext());
        long t2 = System.nanoTime();
        System.out.printf("JVM start -> main: %d ms%n", mainEntered - jvmStart);
        System.out.printf("cold init (handler constructor): %.0f ms wall, %.0f ms CPU on the main thread, %.0f ms CPU whole process (JIT, GC included); load average %.1f%n",
                (t1 - t0) / 1e6, (threadCpu1 - threadCpu0) / 1e6, (cpu1 - cpu0) / 1e6, os.getSystemLoadAverage());
        System.out.printf("first invocation (GET unknown job, opens the first DB connection): %.1f ms -> %d%n",
                (t2 - t1) / 1e6, first.getStatusCode());
        int n = Integer.parseInt(args.length > 0 ? args[0] : "500");
        for (String path : new String[] {"/v1/jobs/01JZZZZZZZZZZZZZZZZZZZZZZZ", "/health"}) {
            long[] times = new long[n];
            int status = 0;
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                status = handler.handleRequest(event(path), new TestLambdaContext()).getStatusCode();
                times[i] = System.nanoTime() - s;
            }
            Arrays.sort(times);
            System.out.printf("warm %s x%d: p50=%.2f ms p99=%.2f ms (status %d)%n", path, n,
                    times[n / 2] / 1e6, times[(int) (n * 0.99)] / 1e6, status);
        }
        handler.close();
        if (secrets != null) {
            System.out.printf("Secrets Manager calls during init: %d%n", secrets.calls().size());
            secrets.close();
        }
        System.exit(0);
    }

    /**
     * {@code -Dcoldstart.publishFirst=FILE}: the first invocation is a {@code POST /v1/publish}, the request SnapStart
     * priming prepares, with bodies signed beforehand in another JVM ({@code LambdaColdStart sign FILE}: the key's
     * public key on the first line, then two envelopes), so that no signing or envelope class is loaded before the
     * timed request; the key is registered by {@code psql}, so no JDBC class is either. With {@code -Dcoldstart.prime=true} the handler's
     * {@link RequestPathPrimer} runs after the constructor, as it does before a snapshot, and its time is printed apart
     * (paid once per snapshot, not per restore). Comparing the first publish with and without priming, each in a fresh
     * JVM, is what priming saves the first request after a restore; the restore itself needs AWS.
     */
    private static final String PUBLISH_FIRST = System.getProperty("coldstart.publishFirst");

    private static void firstPublish(APIGatewayV2HTTPEventFunction handler) throws java.io.IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(PUBLISH_FIRST));
        long p0 = System.nanoTime();
        boolean prime = Boolean.getBoolean("coldstart.prime");
        if (prime) {
            handler.getApplicationContext().getBean(RequestPathPrimer.class).prime();
        }
        long p1 = System.nanoTime();
        APIGatewayV2HTTPEvent publish = post("/v1/publish", lines.get(1));
        long s = System.nanoTime();
        APIGatewayV2HTTPResponse first = handler.handleRequest(publish, new TestLambdaContext());
        long e = System.nanoTime();
        APIGatewayV2HTTPEvent again = post("/v1/publish", lines.get(2));
        long s2 = System.nanoTime();
        APIGatewayV2HTTPResponse next = handler.handleRequest(again, new TestLambdaContext());
        long e2 = System.nanoTime();
        System.out.printf("priming %s: %.0f ms; first POST /v1/publish: %.1f ms -> %d; second: %.1f ms -> %d%n",
                prime ? "on" : "off", (p1 - p0) / 1e6, (e - s) / 1e6, first.getStatusCode(), (e2 - s2) / 1e6, next.getStatusCode());
        if (first.getStatusCode() != 202) {
            System.out.println("first answer: " + first.getBody());
        }
        handler.close();
        System.exit(0);
    }

    /** {@code sign FILE}: a new key's public key, then two signed publish envelopes, one per line. */
    private static void sign(String file) throws java.io.IOException {
        KeyPair key = KeyPair.generate();
        StringBuilder out = new StringBuilder(key.publicKey().hex()).append('\n');
        for (int i = 0; i < 2; i++) {
            out.append(EnvelopeSigner.sign(Payloads.publish(Map.of("coldstart", i), "cs-" + System.nanoTime(), Instant.now(), null),
                    key).toJson()).append('\n');
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of(file), out);
    }

    private static APIGatewayV2HTTPEvent post(String path, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(Map.of("accept", "application/json", "content-type", "application/json"))
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("POST").withPath(path).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build())
                        .withStage("$default")
                        .build())
                .withIsBase64Encoded(false)
                .build();
    }

    /** Moves the datasource credentials from the environment into secrets, the way the CDK stack deploys them. */
    private static LocalSecretsManager secretsFromEnvironment() {
        LocalSecretsManager secrets = new LocalSecretsManager();
        String user = System.getenv().getOrDefault("DATASOURCES_DEFAULT_USERNAME", "postgres");
        System.setProperty("RAREGEN_DB_SECRET_ARN", secrets.put("raregen/db-credentials",
                "{\"username\":\"" + user + "\",\"password\":\"unused-with-trust-auth\"}"));
        System.setProperty("RAREGEN_ADMIN_TOKEN_SECRET_ARN", secrets.put("raregen/admin-token", "{\"token\":\"bench\"}"));
        System.setProperty("RAREGEN_AWS_ENDPOINT", secrets.endpoint());
        return secrets;
    }

    private static APIGatewayV2HTTPEvent event(String path) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(Map.of("accept", "application/json"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("GET").withPath(path).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build())
                        .withStage("$default")
                        .build())
                .withIsBase64Encoded(false)
                .build();
    }
}
