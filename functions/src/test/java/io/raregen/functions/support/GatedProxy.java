package io.raregen.functions.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of a real server (here ElasticMQ) that holds every byte a client sends until {@link #open()}:
 * a request sent while the gate is closed reaches the server only once it opens. {@link #holding()} tells that a
 * client has sent something the gate now holds, so a test knows a call is in flight and unanswered.
 */
public final class GatedProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicBoolean holding = new AtomicBoolean();
    private final List<Socket> sockets = new ArrayList<>();

    public GatedProxy(String upstream) throws IOException {
        URI u = URI.create(upstream);
        this.upstreamHost = u.getHost();
        this.upstreamPort = u.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "gated-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The proxy's base URL, to use as the endpoint instead of the upstream's. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** True once a client has sent bytes while the gate was closed. */
    public boolean holding() {
        return holding.get();
    }

    /** Lets every held and later byte through, for good. */
    public void open() {
        gate.countDown();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pipe(client.getInputStream(), upstream.getOutputStream(), true);
                pipe(upstream.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pipe(InputStream in, OutputStream out, boolean gated) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (gated && gate.getCount() > 0) {
                        holding.set(true);
                        gate.await();
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a side closed: so does the pipe
            }
        }, "gated-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        open();
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
