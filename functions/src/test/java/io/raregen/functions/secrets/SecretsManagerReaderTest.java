package io.raregen.functions.secrets;

import io.raregen.functions.aws.AwsConfiguration;
import io.raregen.functions.support.LocalSecretsManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AWS SDK's Secrets Manager client, over HTTP, against the GetSecretValue wire protocol. */
class SecretsManagerReaderTest {

    private final LocalSecretsManager service = new LocalSecretsManager();

    @AfterEach
    void tearDown() {
        service.close();
    }

    private SecretsManagerReader reader(String endpoint) {
        return new SecretsManagerReader(new AwsConfiguration(endpoint, "us-east-1", null, null));
    }

    @Test
    void read_returnsTheSecretString_withOneSignedGetSecretValueCall() {
        String arn = service.put("raregen/admin-token", "{\"token\":\"abc\"}");
        try (SecretsManagerReader reader = reader(service.endpoint())) {
            assertEquals("{\"token\":\"abc\"}", reader.read(arn));
        }
        assertEquals(1, service.calls().size());
        LocalSecretsManager.Call call = service.calls().get(0);
        assertEquals("secretsmanager.GetSecretValue", call.target());
        assertTrue(call.signed());
        assertEquals(arn, call.secretId());
    }

    @Test
    void unknownSecret_failsWithTheServicesErrorAndTheSecretId() {
        try (SecretsManagerReader reader = reader(service.endpoint())) {
            SecretsUnavailableException e = assertThrows(SecretsUnavailableException.class, () -> reader.read("raregen/nope"));
            assertTrue(e.getMessage().contains("raregen/nope"), e.getMessage());
            assertTrue(e.getMessage().contains("can't find"), e.getMessage());
        }
    }

    @Test
    void serviceUnreachable_failsInsteadOfHanging() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (SecretsManagerReader reader = reader("http://127.0.0.1:" + closedPort)) {
            SecretsUnavailableException e = assertThrows(SecretsUnavailableException.class, () -> reader.read("raregen/x"));
            assertFalse(e.getMessage().isBlank());
        }
    }
}
