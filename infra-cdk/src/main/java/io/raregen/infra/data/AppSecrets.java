package io.raregen.infra.data;

import io.raregen.infra.ResourceNames;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretProps;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The application's secrets in Secrets Manager. Values are generated placeholders at creation; an operator
 * puts the real ARC token and WIF keys with {@code aws secretsmanager put-secret-value} (docs/OPERATIONS.md).
 * Nothing here ever lands in a template, a task definition or an environment variable in plain text.
 *
 * <p>Encrypted with the account's {@code aws/secretsmanager} key, not the data key: a customer-managed key
 * would make every cross-stack {@code grantRead} write the reader's role into the key policy, which ties the
 * stateful stack to the compute stacks in a dependency cycle. Access is still by IAM, per role.
 */
public class AppSecrets extends Construct {

    private final Secret arcToken;
    private final Secret poolWif;
    private final Secret fundingWif;
    private final Secret adminToken;
    private final Secret arcCallbackToken;
    private final Secret receiptKey;
    private final Secret accountsCodeKey;

    public AppSecrets(Construct scope, String id) {
        super(scope, id);
        arcToken = secret("ArcToken", ResourceNames.SECRET_ARC_TOKEN, ResourceNames.FIELD_ARC_TOKEN,
                "ARC API token (Authorization: Bearer) used by the broadcaster; put the real value after deploy");
        poolWif = secret("PoolWif", ResourceNames.SECRET_POOL_WIF, ResourceNames.FIELD_POOL_WIF,
                "WIF of the key that owns the publish UTXO pool; put the real value after deploy");
        fundingWif = secret("FundingWif", ResourceNames.SECRET_FUNDING_WIF, ResourceNames.FIELD_FUNDING_WIF,
                "WIF of the funding key the replenisher splits from; put the real value after deploy");
        adminToken = secret("AdminToken", ResourceNames.SECRET_ADMIN_TOKEN, ResourceNames.FIELD_ADMIN_TOKEN,
                "Bearer token for the operator endpoints (revoke identity); generated, rotate at will");
        arcCallbackToken = secret("ArcCallbackToken", ResourceNames.SECRET_ARC_CALLBACK_TOKEN, ResourceNames.FIELD_ARC_CALLBACK_TOKEN,
                "Token ARC presents on POST /v1/callbacks/arc (sent as X-CallbackToken by the broadcaster); generated");
        // a secp256k1 private key is any 256-bit number below the group order: 64 generated hex characters are one
        receiptKey = hexSecret("ReceiptKey", ResourceNames.SECRET_RECEIPT_KEY, ResourceNames.FIELD_RECEIPT_KEY,
                "Private key (64 hex) the functions sign receipts with; GET /v1/service-keys publishes its public key."
                        + " Rotating it: publish the old public key as retired (raregen.receipts.retired-keys), then put a new value",
                // receipts already handed out name this key: never delete it with the stack
                RemovalPolicy.RETAIN);
        accountsCodeKey = hexSecret("AccountsCodeKey", ResourceNames.SECRET_ACCOUNTS_CODE_KEY, ResourceNames.FIELD_ACCOUNTS_CODE_KEY,
                "HMAC key (64 hex) sign-in codes are hashed with; a new value only voids the codes of the last 10 minutes",
                RemovalPolicy.DESTROY);
    }

    /** A JSON secret {@code {"<field>": "<64 generated hex characters>"}}. */
    private Secret hexSecret(String id, String name, String field, String description, RemovalPolicy removal) {
        return new Secret(this, id, SecretProps.builder()
                .secretName(name)
                .description(description)
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{}")
                        .generateStringKey(field)
                        .passwordLength(64)
                        .excludePunctuation(true)
                        .includeSpace(false)
                        .excludeCharacters("ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ")
                        .build())
                .removalPolicy(removal)
                .build());
    }

    /** A JSON secret {@code {"<field>": "<generated>"}}; see {@link ResourceNames#FIELD_ARC_TOKEN}. */
    private Secret secret(String id, String name, String field, String description) {
        return new Secret(this, id, SecretProps.builder()
                .secretName(name)
                .description(description)
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{}")
                        .generateStringKey(field)
                        .passwordLength(48)
                        .excludePunctuation(true)
                        .build())
                // losing a signing key loses the funds it controls: never delete with the stack
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());
    }

    public Secret arcToken() {
        return arcToken;
    }

    public Secret poolWif() {
        return poolWif;
    }

    public Secret fundingWif() {
        return fundingWif;
    }

    public Secret adminToken() {
        return adminToken;
    }

    public Secret arcCallbackToken() {
        return arcCallbackToken;
    }

    public Secret receiptKey() {
        return receiptKey;
    }

    public Secret accountsCodeKey() {
        return accountsCodeKey;
    }
}
