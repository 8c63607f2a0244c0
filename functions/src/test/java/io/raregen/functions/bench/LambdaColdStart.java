package io.raregen.functions.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.raregen.functions.support.LocalSecretsManager;
import io.raregen.functions.support.TestLambdaContext;

import java.lang.management.ManagementFactory;
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

    public static void main(String[] args) {
        LocalSecretsManager secrets = Boolean.getBoolean("coldstart.secrets") ? secretsFromEnvironment() : null;
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
