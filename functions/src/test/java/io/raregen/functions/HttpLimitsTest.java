package io.raregen.functions;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.functions.support.TestEnv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits of the Netty host that only a raw socket can reach: an over-long request line, over-large headers, and a
 * body shorter than its Content-Length. Each ends with its own 4xx problem (or a closed connection for the stalled
 * body) within seconds, and nothing is stored. Runs with the application's own limits (no overrides).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpLimitsTest implements TestPropertyProvider {

    private TestEnv env;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        return env.properties();
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    /** A raw exchange: what came back before the server closed or {@code wait} ran out, and whether it closed. */
    record Raw(String text, boolean closed, Duration took) {
        int status() {
            if (!text.matches("(?s)HTTP/1\\.[01] \\d{3}.*")) {
                return -1;
            }
            return Integer.parseInt(text.substring(9, 12));
        }

        String body() {
            int i = text.indexOf("\r\n\r\n");
            return i < 0 ? "" : text.substring(i + 4);
        }
    }

    private Raw exchange(String request, Duration wait) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", server.getPort())) {
            s.setSoTimeout((int) wait.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            boolean closed = false;
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                    if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
                closed = n < 0;
            } catch (SocketTimeoutException e) {
                // nothing more within the wait
            } catch (IOException e) {
                closed = true; // reset by the server
            }
            return new Raw(got.toString(StandardCharsets.ISO_8859_1), closed, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** A whole response with a Content-Length body has arrived. */
    private static boolean complete(String text) {
        int head = text.indexOf("\r\n\r\n");
        if (head < 0) {
            return false;
        }
        for (String line : text.substring(0, head).split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return text.length() - head - 4 >= Integer.parseInt(line.substring(15).trim());
            }
        }
        return false;
    }

    private static void assertProblem(Raw r, int status, String code) {
        assertEquals(status, r.status(), r.text());
        assertTrue(r.text().toLowerCase().contains("content-type: application/problem+json"), r.text());
        assertTrue(r.body().contains("\"code\":\"" + code + "\""), r.text());
    }

    @Test
    void overLongRequestLine_is414UriTooLong() throws IOException {
        Raw r = exchange("GET /v1/jobs/" + "A".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", Duration.ofSeconds(10));
        assertProblem(r, 414, "URI_TOO_LONG");
    }

    @Test
    void overLargeHeaders_are431HeadersTooLarge() throws IOException {
        Raw r = exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", Duration.ofSeconds(10));
        assertProblem(r, 431, "HEADERS_TOO_LARGE");
    }

    @Test
    void bodyShorterThanContentLength_isEndedWithin20Seconds_andStoresNothing() throws IOException {
        long jobs = env.count("SELECT count(*) FROM publish_jobs");
        Raw r = exchange("POST /v1/publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"signedPayload\":",
                Duration.ofSeconds(30));
        assertTrue(r.closed() || r.status() == 408, "the server ended the stalled request: " + r);
        if (r.status() == 408) {
            assertProblem(r, 408, "REQUEST_TIMEOUT");
        }
        assertTrue(r.took().compareTo(Duration.ofSeconds(20)) < 0, "ended after " + r.took());
        assertEquals(jobs, env.count("SELECT count(*) FROM publish_jobs"));
    }
}
