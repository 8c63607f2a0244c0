package io.raregen.core.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * A webhook URL a client may register, and the rules that keep the service from being used to reach its
 * own network (SSRF): HTTPS only (plain HTTP to a loopback address only in local mode), no user info, and
 * every address the host resolves to must be public. The same check runs again at delivery time on the
 * address actually connected to, because a name can resolve differently later (DNS rebinding).
 */
public final class WebhookUrl {

    /** Why a URL was refused; each maps to a stable error code. */
    public enum Refusal {
        /** Not an absolute URL with a host, or has user info or a fragment. */
        INVALID,
        /** Not https (and not http to loopback in local mode). */
        NOT_HTTPS,
        /** The host is or resolves to an address the service must not call. */
        FORBIDDEN
    }

    /** A refused URL: what and why (the message names no internal address beyond what the client gave). */
    public static final class Rejected extends Exception {
        private final Refusal refusal;

        public Rejected(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** Resolves a host name; replaceable so tests can decide what a name resolves to. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    public static final int MAX_LENGTH = 2048;

    private final URI uri;

    private WebhookUrl(URI uri) {
        this.uri = uri;
    }

    public URI uri() {
        return uri;
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    /**
     * Checks a URL as given by a client.
     *
     * @param allowLoopbackHttp local mode: plain http and loopback addresses are allowed, and only then
     */
    public static WebhookUrl validate(String raw, boolean allowLoopbackHttp, Resolver resolver) throws Rejected {
        if (raw == null || raw.isBlank() || raw.length() > MAX_LENGTH) {
            throw new Rejected(Refusal.INVALID, "the URL is missing or longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new Rejected(Refusal.INVALID, "the URL does not parse");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getScheme() == null) {
            throw new Rejected(Refusal.INVALID, "the URL must be absolute, like https://example.com/hook");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new Rejected(Refusal.INVALID, "the URL must not carry user info");
        }
        if (uri.getRawFragment() != null) {
            throw new Rejected(Refusal.INVALID, "the URL must not have a fragment");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new Rejected(Refusal.INVALID, "the URL has no host");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Rejected(Refusal.NOT_HTTPS, "the URL must use https");
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(stripBrackets(host));
        } catch (UnknownHostException e) {
            throw new Rejected(Refusal.INVALID, "the host does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new Rejected(Refusal.INVALID, "the host does not resolve");
        }
        boolean allLoopback = addresses.stream().allMatch(WebhookUrl::isLoopback);
        if (scheme.equals("http") && !(allowLoopbackHttp && allLoopback)) {
            throw new Rejected(Refusal.NOT_HTTPS, "the URL must use https (plain http only to loopback in local mode)");
        }
        for (InetAddress a : addresses) {
            checkAddress(a, allowLoopbackHttp);
        }
        return new WebhookUrl(uri);
    }

    /** Throws when the service must not connect to this address; used again at delivery time. */
    public static void checkAddress(InetAddress a, boolean allowLoopback) throws Rejected {
        if (isLoopback(a)) {
            if (!allowLoopback) {
                throw new Rejected(Refusal.FORBIDDEN, "the URL points at a loopback address");
            }
            return;
        }
        if (isForbidden(a)) {
            throw new Rejected(Refusal.FORBIDDEN, "the URL points at a private, link-local or otherwise non-public address");
        }
    }

    static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** 127/8 and ::1, also in IPv4-mapped and IPv4-compatible form. */
    public static boolean isLoopback(InetAddress a) {
        InetAddress v4 = embeddedIpv4(a);
        if (v4 != null) {
            return (v4.getAddress()[0] & 0xff) == 127;
        }
        return a.isLoopbackAddress();
    }

    /** Everything that is not a public unicast address (loopback aside, see {@link #isLoopback}). */
    public static boolean isForbidden(InetAddress a) {
        InetAddress v4 = embeddedIpv4(a);
        if (v4 != null) {
            return forbiddenV4(v4.getAddress());
        }
        byte[] b = a.getAddress();
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) { // fc00::/7 unique local
            return true;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) { // fe80::/10 link-local
            return true;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) { // fec0::/10 old site-local
            return true;
        }
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) { // 2001:db8::/32 documentation
            return true;
        }
        return false;
    }

    private static boolean forbiddenV4(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        return b0 == 0                                  // 0.0.0.0/8
                || b0 == 10                             // 10/8
                || b0 == 127                            // loopback
                || (b0 == 100 && (b1 & 0xc0) == 64)     // 100.64/10 CGNAT
                || (b0 == 169 && b1 == 254)             // 169.254/16 link-local, metadata service
                || (b0 == 172 && (b1 & 0xf0) == 16)     // 172.16/12
                || (b0 == 192 && b1 == 168)             // 192.168/16
                || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // 192.0.0/24 IETF protocol assignments
                || (b0 == 198 && (b1 & 0xfe) == 18)     // 198.18/15 benchmarking
                || b0 >= 224;                           // multicast 224/4, reserved 240/4, broadcast
    }

    /**
     * The IPv4 address inside an IPv4 address, an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d)
     * or NAT64 (64:ff9b::a.b.c.d) IPv6 address; null for other IPv6 addresses.
     */
    static InetAddress embeddedIpv4(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a;
        }
        if (!(a instanceof Inet6Address)) {
            return null;
        }
        byte[] b = a.getAddress();
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) {
            zero10 &= b[i] == 0;
        }
        boolean mapped = zero10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zero10 && b[10] == 0 && b[11] == 0
                && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xff) <= 1); // not :: or ::1
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0;
        if (!mapped && !compatible && !nat64) {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
