package io.raregen.functions.secrets;

import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.LambdaTransport;
import io.raregen.functions.support.LocalSecretsManager;
import io.raregen.functions.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda handler as deployed by the CDK stack: it gets only secret ARNs, plus a datasource username that
 * does not exist, so it can reach the database and accept operator calls only with what it read from
 * Secrets Manager at init.
 */
class LambdaSecretsTest {

    private static final String SECRET_TOKEN = "operator-token-from-secrets-manager";
    private static final String NO_SUCH_ROLE = "raregen_no_such_role";

    static TestEnv env;
    static LocalSecretsManager secrets;

    @BeforeAll
    static void setUp() {
        env = TestEnv.create();
        secrets = new LocalSecretsManager();
    }

    @AfterAll
    static void tearDown() {
        secrets.close();
        env.close();
    }

    @AfterEach
    void clearSettings() {
        System.clearProperty(SecretBindings.DB_SECRET_ARN);
        System.clearProperty(SecretBindings.ADMIN_TOKEN_SECRET_ARN);
        System.clearProperty("RAREGEN_AWS_ENDPOINT");
    }

    /** What the CDK stack gives a function: a URL, a placeholder user, a plain-text token that must lose. */
    private static Map<String, String> deployedProperties() {
        Map<String, String> p = new java.util.HashMap<>(env.properties());
        p.put("datasources.default.username", NO_SUCH_ROLE);
        p.put("datasources.default.password", "wrong");
        p.put("datasources.default.connection-timeout", "1000");
        p.put("raregen.admin.token", "plain-configuration-token");
        p.put("raregen.identity.registration-mode", "admin");
        return p;
    }

    private static void pointAtSecrets() {
        String password = env.db().password().isEmpty() ? "ignored-by-trust-auth" : env.db().password();
        String dbArn = secrets.put("raregen/db-credentials", "{\"engine\":\"postgres\",\"host\":\"127.0.0.1\",\"port\":5432,"
                + "\"username\":\"" + env.db().username() + "\",\"password\":\"" + password + "\"}");
        String adminArn = secrets.put("raregen/admin-token", "{\"token\":\"" + SECRET_TOKEN + "\"}");
        System.setProperty(SecretBindings.DB_SECRET_ARN, dbArn);
        System.setProperty(SecretBindings.ADMIN_TOKEN_SECRET_ARN, adminArn);
        System.setProperty("RAREGEN_AWS_ENDPOINT", secrets.endpoint());
    }

    @Test
    void withSecretArns_handlerConnectsWithTheSecretsCredentials_andAcceptsOnlyTheSecretToken() {
        pointAtSecrets();
        int callsBefore = secrets.calls().size();
        try (LambdaTransport lambda = new LambdaTransport(deployedProperties())) {
            // one read per secret, at init
            assertEquals(callsBefore + 2, secrets.calls().size());

            ApiResponse health = lambda.send(ApiRequest.get("/health"));
            assertEquals(200, health.status(), health.toString());
            assertEquals("UP", health.json().get("checks").get("database").asText());

            KeyPair key = KeyPair.generate();
            String body = Envelopes.body(Envelopes.register(key));
            ApiResponse plain = lambda.send(ApiRequest.postJson("/v1/identities", body)
                    .withHeader("Authorization", "Bearer plain-configuration-token"));
            assertEquals(401, plain.status(), plain.toString());

            ApiResponse registered = lambda.send(ApiRequest.postJson("/v1/identities", body)
                    .withHeader("Authorization", "Bearer " + SECRET_TOKEN));
            assertEquals(201, registered.status(), registered.toString());
            assertEquals(1, env.count("SELECT count(*) FROM identities WHERE pubkey = ?", key.publicKey().hex()));
        }
        // the secrets are read at init only: no request read them again
        assertEquals(callsBefore + 2, secrets.calls().size());
    }

    @Test
    void withoutSecretArns_theSameDeploymentCannotReachTheDatabase() {
        try (LambdaTransport lambda = new LambdaTransport(deployedProperties())) {
            ApiResponse health = lambda.send(ApiRequest.get("/health"));
            assertEquals(503, health.status(), health.toString());
            assertEquals("DOWN", health.json().get("checks").get("database").asText());
        }
    }

    @Test
    void secretArnThatCannotBeRead_failsInitInsteadOfServingWithoutCredentials() {
        System.setProperty(SecretBindings.DB_SECRET_ARN, "arn:aws:secretsmanager:us-east-1:0:secret:raregen/missing");
        System.setProperty("RAREGEN_AWS_ENDPOINT", secrets.endpoint());
        RuntimeException e = assertThrows(RuntimeException.class, () -> new LambdaTransport(deployedProperties()).close());
        assertTrue(causedBy(e, SecretsUnavailableException.class), e.toString());
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
