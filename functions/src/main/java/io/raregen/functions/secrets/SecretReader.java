package io.raregen.functions.secrets;

/** Reads the current value of a secret by its ARN or name. */
public interface SecretReader {

    /**
     * @return the secret's string value (for our secrets, a JSON object)
     * @throws SecretsUnavailableException when the secret cannot be read; the message never holds a value
     */
    String read(String secretId);
}
