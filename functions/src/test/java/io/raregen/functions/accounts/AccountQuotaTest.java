package io.raregen.functions.accounts;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import io.raregen.functions.support.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-account publish quota across two functions instances: the keys of one account share the account's bucket
 * however the requests are spread over keys and instances; another account and a key of no account have their own.
 * Refused publishes are 429 with Retry-After and cost no credit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountQuotaTest {

    private static final int ACCOUNT_BURST = 5;
    private static final int KEY_BURST = 3;

    private TestEnv env;
    private EmbeddedServer a;
    private EmbeddedServer b;

    @BeforeAll
    void start() {
        env = TestEnv.create();
        a = instance();
        b = instance();
    }

    private EmbeddedServer instance() {
        Map<String, Object> props = new HashMap<>(env.properties());
        props.put("raregen.intake.quota.burst", KEY_BURST);
        props.put("raregen.intake.quota.rate", 0.01);
        props.put("raregen.intake.quota.account-burst", ACCOUNT_BURST);
        // one token per 100 s: nothing refills within the test
        props.put("raregen.intake.quota.account-rate", 0.01);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    @AfterAll
    void stop() {
        a.close();
        b.close();
        env.close();
    }

    /** An account with plenty of credits and {@code n} registered keys. */
    private List<KeyPair> account(int n) {
        String id = UUID.randomUUID().toString();
        env.execute("INSERT INTO accounts (account_id, email) VALUES (?::uuid, ?)", id, "quota-" + id + "@example.com");
        env.execute("INSERT INTO account_balances (account_id, credits) VALUES (?::uuid, 1000)", id);
        env.execute("INSERT INTO credit_ledger (account_id, delta, kind) VALUES (?::uuid, 1000, 'grant')", id);
        List<KeyPair> keys = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            KeyPair k = KeyPair.generate();
            env.execute("INSERT INTO identities (pubkey, account_id) VALUES (?, ?::uuid)", k.publicKey().hex(), id);
            keys.add(k);
        }
        return keys;
    }

    private ApiResponse publish(int i, KeyPair key) {
        Transport t = new HttpTransport((i % 2 == 0 ? a : b).getURI());
        return t.send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key))));
    }

    @Test
    void theKeysOfOneAccount_shareItsBucket_acrossInstances() {
        List<KeyPair> keys = account(3);
        int accepted = 0;
        ApiResponse refused = null;
        for (int i = 0; i < 12; i++) {
            ApiResponse r = publish(i, keys.get(i % 3));
            if (r.status() == 202) {
                accepted++;
            } else {
                refused = r;
                assertEquals(429, r.status(), r.toString());
                assertEquals("RATE_LIMITED", r.code());
            }
        }
        assertEquals(ACCOUNT_BURST, accepted, "three keys, one account, one bucket (each key alone would allow " + KEY_BURST + ")");
        assertTrue(refused.body().contains("account"), refused.body());
        long charged = env.count("SELECT coalesce(-sum(delta), 0) FROM credit_ledger l JOIN identities i USING (account_id) "
                + "WHERE l.kind = 'publish' AND i.pubkey = ?", keys.get(0).publicKey().hex());
        assertEquals(ACCOUNT_BURST, charged, "refused publishes cost no credit");

        // another account, and a key of no account, are untouched
        List<KeyPair> other = account(1);
        assertEquals(202, publish(0, other.get(0)).status());
        KeyPair loose = KeyPair.generate();
        env.execute("INSERT INTO identities (pubkey) VALUES (?)", loose.publicKey().hex());
        int looseAccepted = 0;
        for (int i = 0; i < KEY_BURST + 2; i++) {
            looseAccepted += publish(i, loose).status() == 202 ? 1 : 0;
        }
        assertEquals(KEY_BURST, looseAccepted, "a key of no account keeps its own bucket");
    }
}
