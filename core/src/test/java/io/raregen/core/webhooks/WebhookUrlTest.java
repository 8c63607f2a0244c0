package io.raregen.core.webhooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WebhookUrlTest {

    /** Names resolve to what the test says; literal addresses parse as themselves. */
    private static WebhookUrl.Resolver resolvingTo(String... addrs) {
        return host -> {
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return List.of(InetAddress.getByName(host));
            }
            if (host.equals("nowhere.invalid")) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> out = new java.util.ArrayList<>();
            for (String a : addrs) {
                out.add(InetAddress.getByName(a));
            }
            return out;
        };
    }

    private static final WebhookUrl.Resolver PUBLIC = resolvingTo("93.184.216.34");

    private static WebhookUrl.Refusal refusal(String url, boolean local, WebhookUrl.Resolver r) {
        return assertThrows(WebhookUrl.Rejected.class, () -> WebhookUrl.validate(url, local, r)).refusal();
    }

    @Test
    void publicHttpsUrl_isAccepted() throws Exception {
        assertEquals("https://hooks.example.com/rg?x=1", WebhookUrl.validate("https://hooks.example.com/rg?x=1", false, PUBLIC).toString());
        WebhookUrl.validate("https://hooks.example.com:8443/rg", false, PUBLIC);
        WebhookUrl.validate("https://93.184.216.34/rg", false, PUBLIC);
        WebhookUrl.validate("https://[2606:2800:220:1:248:1893:25c8:1946]/rg", false, PUBLIC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "hooks.example.com/x", "/relative", "https://", "https:///path", "mailto:a@example.com",
            "https://user:pw@hooks.example.com/", "https://user@hooks.example.com/", "https://hooks.example.com/#frag",
            "https://exa mple.com/", "https://nowhere.invalid/"})
    void malformedOrUserInfo_isInvalid(String url) {
        assertEquals(WebhookUrl.Refusal.INVALID, refusal(url, false, PUBLIC));
    }

    @Test
    void tooLong_isInvalid() {
        assertEquals(WebhookUrl.Refusal.INVALID, refusal("https://hooks.example.com/" + "a".repeat(3000), false, PUBLIC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/", "ftp://hooks.example.com/", "ws://hooks.example.com/", "HTTP://hooks.example.com/"})
    void notHttps_isRefused(String url) {
        assertEquals(WebhookUrl.Refusal.NOT_HTTPS, refusal(url, false, PUBLIC));
        assertEquals(WebhookUrl.Refusal.NOT_HTTPS, refusal(url, true, PUBLIC));
    }

    @Test
    void httpToLoopback_onlyInLocalMode() throws Exception {
        assertEquals(WebhookUrl.Refusal.NOT_HTTPS, refusal("http://127.0.0.1:9000/hook", false, PUBLIC));
        WebhookUrl.validate("http://127.0.0.1:9000/hook", true, PUBLIC);
        WebhookUrl.validate("http://[::1]:9000/hook", true, PUBLIC);
        WebhookUrl.validate("http://localhost:9000/hook", true, resolvingTo("127.0.0.1"));
        // A name resolving to loopback and a public address is not "loopback".
        assertEquals(WebhookUrl.Refusal.NOT_HTTPS, refusal("http://mixed.example/hook", true, resolvingTo("127.0.0.1", "93.184.216.34")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"})
    void loopback_isForbiddenOutsideLocalMode(String addr) throws Exception {
        String host = addr.contains(":") ? "[" + addr + "]" : addr;
        assertEquals(WebhookUrl.Refusal.FORBIDDEN, refusal("https://" + host + "/", false, PUBLIC));
        WebhookUrl.validate("https://" + host + "/", true, PUBLIC);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.1",
            "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3",
            "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.0.8",
            "::", "fe80::1", "fc00::1", "fd12:3456:789a::1", "ff02::1", "fec0::1", "2001:db8::1",
            "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.0.1", "::ffff:0.0.0.0", "::10.0.0.1",
            "64:ff9b::a9fe:a9fe"})
    void nonPublicAddresses_areForbidden_evenInLocalMode(String addr) {
        String host = addr.contains(":") ? "[" + addr + "]" : addr;
        assertEquals(WebhookUrl.Refusal.FORBIDDEN, refusal("https://" + host + "/hook", false, PUBLIC));
        assertEquals(WebhookUrl.Refusal.FORBIDDEN, refusal("https://" + host + "/hook", true, PUBLIC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "10.1.2.3", "192.168.0.10", "fd00::1"})
    void nameResolvingToPrivateAddress_isForbidden(String addr) {
        assertEquals(WebhookUrl.Refusal.FORBIDDEN, refusal("https://innocent.example.com/hook", false, resolvingTo(addr)));
        // Any one private address among public ones is enough to refuse.
        assertEquals(WebhookUrl.Refusal.FORBIDDEN,
                refusal("https://innocent.example.com/hook", false, resolvingTo("93.184.216.34", addr)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "169.253.0.1", "11.0.0.1", "8.8.8.8",
            "2606:4700::1111"})
    void boundariesJustOutside_arePublic(String addr) throws Exception {
        String host = addr.contains(":") ? "[" + addr + "]" : addr;
        WebhookUrl.validate("https://" + host + "/", false, PUBLIC);
    }
}
