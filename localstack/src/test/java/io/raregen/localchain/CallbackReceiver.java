package io.raregen.localchain;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real HTTP endpoint that records ARC callbacks; it can answer 500 to the first N deliveries. */
final class CallbackReceiver implements AutoCloseable {
    record Received(String authorization, JsonNode body, int answered) {
    }

    private final HttpServer server;
    private final AtomicInteger failuresLeft;
    final List<Received> received = new CopyOnWriteArrayList<>();

    CallbackReceiver(int failFirst) throws IOException {
        failuresLeft = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/callback", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            received.add(new Received(ex.getRequestHeaders().getFirst("Authorization"), Arc.JSON.readTree(body), status));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** Waits until a delivery matching {@code p} was answered 200. */
    Received awaitAccepted(Predicate<Received> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : received) {
                if (r.answered() == 200 && p.test(r)) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no accepted callback matched within " + timeout + "; got " + received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
