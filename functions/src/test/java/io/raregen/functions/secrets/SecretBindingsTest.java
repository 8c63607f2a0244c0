package io.raregen.functions.secrets;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBindingsTest {

    private static final String DB_ARN = "arn:aws:secretsmanager:eu-west-1:1:secret:raregen/db-credentials-x";
    private static final String ADMIN_ARN = "arn:aws:secretsmanager:eu-west-1:1:secret:raregen/admin-token-y";
    private static final String RDS_SECRET = "{\"engine\":\"postgres\",\"host\":\"db.internal\",\"port\":5432,"
            + "\"dbname\":\"raregen\",\"username\":\"raregen\",\"password\":\"s3cr3t-pw\"}";

    private final List<String> reads = new CopyOnWriteArrayList<>();

    private SecretReader reader(Map<String, String> secrets) {
        return id -> {
            reads.add(id);
            if (!secrets.containsKey(id)) {
                throw new SecretsUnavailableException("cannot read secret " + id);
            }
            return secrets.get(id);
        };
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void noArnConfigured_readsNothingAndAddsNothing() {
        Map<String, String> env = env("RAREGEN_DB_SECRET_ARN", "  ");
        assertFalse(SecretBindings.anyConfigured(env::get));
        assertEquals(Map.of(), SecretBindings.resolve(env::get, reader(Map.of())));
        assertTrue(reads.isEmpty());
    }

    @Test
    void rdsSecretAndAdminToken_fillDatasourceCredentialsAndOperatorToken_oneReadEach() {
        Map<String, String> env = env(SecretBindings.DB_SECRET_ARN, DB_ARN, SecretBindings.ADMIN_TOKEN_SECRET_ARN, ADMIN_ARN);
        assertTrue(SecretBindings.anyConfigured(env::get));

        Map<String, Object> props = SecretBindings.resolve(env::get,
                reader(Map.of(DB_ARN, RDS_SECRET, ADMIN_ARN, "{\"token\":\"op-token-123\"}")));

        assertEquals(Map.of("datasources.default.username", "raregen", "datasources.default.password", "s3cr3t-pw",
                "raregen.admin.token", "op-token-123"), props);
        assertEquals(List.of(DB_ARN, ADMIN_ARN), reads);
    }

    @Test
    void callbackTokenSecret_fillsTheCallbackToken() {
        String arn = "arn:aws:secretsmanager:eu-west-1:1:secret:raregen/arc-callback-token-z";
        Map<String, String> env = env(SecretBindings.ARC_CALLBACK_TOKEN_SECRET_ARN, arn);
        Map<String, Object> props = SecretBindings.resolve(env::get, reader(Map.of(arn, "{\"token\":\"cb\"}")));
        assertEquals(Map.of("raregen.arc.callback-token", "cb"), props);
    }

    @Test
    void onlyAdminTokenConfigured_leavesDatasourceAlone() {
        Map<String, String> env = env(SecretBindings.ADMIN_TOKEN_SECRET_ARN, ADMIN_ARN);
        Map<String, Object> props = SecretBindings.resolve(env::get, reader(Map.of(ADMIN_ARN, "{\"token\":\"t\"}")));
        assertEquals(Map.of("raregen.admin.token", "t"), props);
    }

    @Test
    void secretWithoutPassword_failsNamingTheFieldButNotTheValues() {
        Map<String, String> env = env(SecretBindings.DB_SECRET_ARN, DB_ARN);
        SecretsUnavailableException e = assertThrows(SecretsUnavailableException.class, () -> SecretBindings.resolve(env::get,
                reader(Map.of(DB_ARN, "{\"username\":\"raregen\",\"password\":\"\"}"))));
        assertTrue(e.getMessage().contains("'password'"), e.getMessage());
        assertTrue(e.getMessage().contains(DB_ARN), e.getMessage());
    }

    @Test
    void nonStringField_isRejected() {
        Map<String, String> env = env(SecretBindings.ADMIN_TOKEN_SECRET_ARN, ADMIN_ARN);
        assertThrows(SecretsUnavailableException.class, () -> SecretBindings.resolve(env::get,
                reader(Map.of(ADMIN_ARN, "{\"token\":12345}"))));
    }

    @Test
    void plainStringSecret_isRejectedWithoutEchoingIt() {
        Map<String, String> env = env(SecretBindings.ADMIN_TOKEN_SECRET_ARN, ADMIN_ARN);
        String value = "very-secret-plain-token";
        SecretsUnavailableException e = assertThrows(SecretsUnavailableException.class,
                () -> SecretBindings.resolve(env::get, reader(Map.of(ADMIN_ARN, value))));
        assertFalse(e.getMessage().contains(value), e.getMessage());
        assertFalse(e.getMessage().contains("very-secret"), e.getMessage());
    }

    @Test
    void jsonArraySecret_isRejected() {
        Map<String, String> env = env(SecretBindings.ADMIN_TOKEN_SECRET_ARN, ADMIN_ARN);
        assertThrows(SecretsUnavailableException.class, () -> SecretBindings.resolve(env::get,
                reader(Map.of(ADMIN_ARN, "[\"token\"]"))));
    }

    @Test
    void unreadableSecret_propagatesTheReadersFailure() {
        Map<String, String> env = env(SecretBindings.DB_SECRET_ARN, DB_ARN);
        SecretsUnavailableException e = assertThrows(SecretsUnavailableException.class,
                () -> SecretBindings.resolve(env::get, reader(Map.of())));
        assertTrue(e.getMessage().contains(DB_ARN));
    }
}
