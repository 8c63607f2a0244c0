package io.raregen.functions.secrets;

import io.raregen.functions.aws.AwsClients;
import io.raregen.functions.aws.AwsConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@link SecretReader} over AWS Secrets Manager ({@code GetSecretValue}), with the app's endpoint override. */
public final class SecretsManagerReader implements SecretReader, AutoCloseable {

    private final SecretsManagerClient client;

    public SecretsManagerReader(AwsConfiguration aws) {
        this.client = AwsClients.configure(SecretsManagerClient.builder(), aws).build();
    }

    @Override
    public String read(String secretId) {
        try {
            return client.getSecretValue(r -> r.secretId(secretId)).secretString();
        } catch (SdkException e) {
            // SDK messages carry the service's error text and request id, never the secret's value
            throw new SecretsUnavailableException("cannot read secret " + secretId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
