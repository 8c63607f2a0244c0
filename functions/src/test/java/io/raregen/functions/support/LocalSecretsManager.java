package io.raregen.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one Secrets Manager operation the functions use, {@code GetSecretValue}, over its real wire protocol
 * (AWS JSON 1.1: {@code POST /}, {@code X-Amz-Target: secretsmanager.GetSecretValue}), so the real AWS SDK
 * client talks to it over HTTP. No Secrets Manager emulator runs here (LocalStack needs Docker; moto needs PyPI),
 * so this small server is the test's stand-in for the service. It rejects requests without a SigV4
 * {@code Authorization} header and answers unknown secrets the way the service does
 * ({@code ResourceNotFoundException}).
 */
public final class LocalSecretsManager implements AutoCloseable {

    /** One request as received: its target header, whether it was SigV4-signed, and the SecretId asked for. */
    public record Call(String target, boolean signed, String secretId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public LocalSecretsManager() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Stores a secret under its ARN; returns the ARN. */
    public String put(String name, String secretString) {
        String arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + name + "-AbCdEf";
        secrets.put(arn, secretString);
        return arn;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean signed = auth != null && auth.startsWith("AWS4-HMAC-SHA256 ");
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            String id = body.path("SecretId").asText(null);
            calls.add(new Call(target, signed, id));
            if (!"POST".equals(ex.getRequestMethod()) || !"secretsmanager.GetSecretValue".equals(target)) {
                error(ex, 400, "InvalidAction", "only GetSecretValue is served here");
            } else if (!signed) {
                error(ex, 400, "MissingAuthenticationTokenException", "request is not signed");
            } else if (id == null || !secrets.containsKey(id)) {
                error(ex, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            } else {
                ObjectNode out = JSON.createObjectNode();
                out.put("ARN", id);
                out.put("Name", id.substring(id.lastIndexOf(':') + 1));
                out.put("SecretString", secrets.get(id));
                out.put("VersionId", "00000000-0000-0000-0000-000000000001");
                out.putArray("VersionStages").add("AWSCURRENT");
                out.put("CreatedDate", 1.7e9);
                send(ex, 200, out);
            }
        }
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("__type", type);
        out.put("message", message);
        ex.getResponseHeaders().add("x-amzn-ErrorType", type);
        send(ex, status, out);
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().add("x-amzn-RequestId", "local-" + System.nanoTime());
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
