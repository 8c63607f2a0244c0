package io.raregen.functions.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.LambdaApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Drives the real Lambda handler ({@link APIGatewayV2HTTPEventFunction}) with API Gateway HTTP API
 * payload 2.0 events built from the JSON fixtures in {@code src/test/resources/events/}.
 */
public final class LambdaTransport implements Transport, AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final APIGatewayV2HTTPEventFunction handler;

    public LambdaTransport(Map<String, String> properties) {
        Map<String, Object> props = new HashMap<>(properties);
        ApplicationContextBuilder builder = ApplicationContext.builder().properties(props);
        LambdaApplicationContextBuilder.setLambdaConfiguration(builder);
        // the test environment keeps Lambda's settings but takes its registration mode from the properties
        this.handler = new APIGatewayV2HTTPEventFunction(builder.environments("test").build().start());
    }

    public APIGatewayV2HTTPEventFunction handler() {
        return handler;
    }

    @Override
    public ApiResponse send(ApiRequest request) {
        ObjectNode event = fixture("template.json");
        String path = request.path();
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        event.put("rawPath", path);
        event.put("rawQueryString", query);
        if (!query.isEmpty()) {
            ObjectNode params = event.putObject("queryStringParameters");
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                params.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        ObjectNode http = (ObjectNode) event.get("requestContext").get("http");
        http.put("method", request.method());
        http.put("path", path);
        ObjectNode headers = (ObjectNode) event.get("headers");
        request.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        if (request.body() != null) {
            event.put("body", request.body());
        }
        return invoke(event);
    }

    /** Invokes the handler with an event given as JSON. */
    public ApiResponse invoke(ObjectNode event) {
        APIGatewayV2HTTPEvent e;
        try {
            e = JSON.treeToValue(event, APIGatewayV2HTTPEvent.class);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        if (event.has("isBase64Encoded")) {
            e.setIsBase64Encoded(event.get("isBase64Encoded").asBoolean());
        }
        APIGatewayV2HTTPResponse r = handler.handleRequest(e, new TestLambdaContext());
        String body = r.getBody();
        if (body != null && r.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        String contentType = null;
        if (r.getHeaders() != null) {
            for (Map.Entry<String, String> h : r.getHeaders().entrySet()) {
                if (h.getKey().equalsIgnoreCase("Content-Type")) {
                    contentType = h.getValue();
                }
            }
        }
        if (contentType == null && r.getMultiValueHeaders() != null) {
            for (Map.Entry<String, java.util.List<String>> h : r.getMultiValueHeaders().entrySet()) {
                if (h.getKey().equalsIgnoreCase("Content-Type") && !h.getValue().isEmpty()) {
                    contentType = h.getValue().get(0);
                }
            }
        }
        return new ApiResponse(r.getStatusCode(), contentType, body);
    }

    public static ObjectNode fixture(String name) {
        try (InputStream in = LambdaTransport.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture events/" + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        handler.close();
    }
}
