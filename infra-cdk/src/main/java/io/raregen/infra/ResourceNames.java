package io.raregen.infra;

import java.util.List;

/**
 * The names the CDK app, the applications and the LocalStack files must agree on, defined once.
 *
 * <p>{@code ResourceNamesConsistencyTest} reads {@code localstack/docker-compose.yml}, the init scripts,
 * {@code localstack/localstack.env} and {@code docs/ARCHITECTURE.md} and fails when one of them drifts
 * from these constants.
 */
public final class ResourceNames {

    private ResourceNames() {
    }

    /** The publish queue (docs/ARCHITECTURE.md, "Queue message"). */
    public static final String QUEUE = "raregen-publish";
    /** Its dead-letter queue. */
    public static final String DLQ = "raregen-publish-dlq";
    /** Receives before SQS moves a message to the DLQ (architecture: 5; the issue: at least 5). */
    public static final int MAX_RECEIVE_COUNT = 5;

    /** Secrets Manager names. Fixed, like the queue names: one stage per AWS account and region. */
    public static final String SECRET_DB = "raregen/db-credentials";
    public static final String SECRET_ARC_TOKEN = "raregen/arc-token";
    public static final String SECRET_POOL_WIF = "raregen/keys/pool-wif";
    public static final String SECRET_FUNDING_WIF = "raregen/keys/funding-wif";
    public static final String SECRET_ADMIN_TOKEN = "raregen/admin-token";
    /** The token ARC presents on POST /v1/callbacks/arc (the broadcaster sends it as X-CallbackToken). */
    public static final String SECRET_ARC_CALLBACK_TOKEN = "raregen/arc-callback-token";
    /** The functions' receipt signing key (64 hex characters, generated; GET /v1/service-keys publishes its public key). */
    public static final String SECRET_RECEIPT_KEY = "raregen/receipt-key";
    /** The key sign-in codes are hashed with (64 hex characters, generated; docs/ACCOUNTS.md). */
    public static final String SECRET_ACCOUNTS_CODE_KEY = "raregen/accounts-code-key";

    /**
     * Each application secret is a JSON object with one field named like the last segment of the Micronaut
     * property it fills, so Micronaut's Secrets Manager client ({@code aws.secretsmanager.secrets[].prefix})
     * maps {@code raregen/admin-token} with prefix {@code raregen.admin} to {@code raregen.admin.token}; ECS
     * reads the same field. The RDS secret has RDS's own shape (username, password, host, ...).
     */
    public static final String FIELD_ARC_TOKEN = "token";
    public static final String FIELD_POOL_WIF = "pool-wif";
    public static final String FIELD_FUNDING_WIF = "funding-wif";
    public static final String FIELD_ADMIN_TOKEN = "token";
    public static final String FIELD_ARC_CALLBACK_TOKEN = "token";
    public static final String FIELD_RECEIPT_KEY = "key";
    public static final String FIELD_ACCOUNTS_CODE_KEY = "key";

    /** Every secret the init scripts must create for a local run. */
    public static final List<String> APP_SECRETS = List.of(
            SECRET_DB, SECRET_ARC_TOKEN, SECRET_POOL_WIF, SECRET_FUNDING_WIF, SECRET_ADMIN_TOKEN, SECRET_ARC_CALLBACK_TOKEN,
            SECRET_RECEIPT_KEY, SECRET_ACCOUNTS_CODE_KEY);

    /** Database name and master user created on RDS. */
    public static final String DB_NAME = "raregen";
    public static final String DB_USER = "raregen";
    public static final int DB_PORT = 5432;

    /** The ECR repository the broadcaster image is pushed to by {@code mvn jib:build}. */
    public static final String BROADCASTER_REPOSITORY = "raregen-broadcaster";
    /** The broadcaster's HTTP port for /health and /prometheus (docs/ARCHITECTURE.md). */
    public static final int BROADCASTER_PORT = 8081;
    public static final String BROADCASTER_HEALTH_PATH = "/health";
    public static final String BROADCASTER_METRICS_PATH = "/prometheus";

    /** The Lambda handler of the one functions jar (Micronaut, API Gateway HTTP API payload 2.0). */
    public static final String LAMBDA_HANDLER =
            "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction";
    /** The shaded jar, relative to infra-cdk/, built by {@code ./mvnw -DskipTests package}. */
    public static final String DEFAULT_FUNCTIONS_JAR = "../functions/target/raregen-functions-0.1.0-SNAPSHOT-all.jar";
    /** The web app's build output (the {@code web} module), relative to infra-cdk/. */
    public static final String DEFAULT_WEB_DIST = "../web/target/dist";

    /** Environment variables read by the applications (docs/ARCHITECTURE.md, "Configuration keys"). */
    public static final class Env {
        private Env() {
        }

        public static final String DATASOURCE_URL = "DATASOURCES_DEFAULT_URL";
        public static final String DATASOURCE_USERNAME = "DATASOURCES_DEFAULT_USERNAME";
        public static final String DATASOURCE_PASSWORD = "DATASOURCES_DEFAULT_PASSWORD";
        public static final String QUEUE_URL = "RAREGEN_QUEUE_URL";
        /** {@code raregen.retention.archive-bucket} / {@code .after}: where and when finished days of history go. */
        public static final String RETENTION_ARCHIVE_BUCKET = "RAREGEN_RETENTION_ARCHIVE_BUCKET";
        public static final String RETENTION_ARCHIVE_PREFIX = "RAREGEN_RETENTION_ARCHIVE_PREFIX";
        public static final String RETENTION_AFTER = "RAREGEN_RETENTION_AFTER";
        public static final String AWS_ENDPOINT = "RAREGEN_AWS_ENDPOINT";
        public static final String AWS_REGION = "RAREGEN_AWS_REGION";
        public static final String ARC_URL = "RAREGEN_ARC_URL";
        public static final String ARC_TOKEN = "RAREGEN_ARC_TOKEN";
        public static final String ARC_CALLBACK_URL = "RAREGEN_ARC_CALLBACK_URL";
        public static final String ARC_CALLBACK_TOKEN = "RAREGEN_ARC_CALLBACK_TOKEN";
        /** {@code raregen.arc.providers.<name>.*}: followed by the provider's name in upper case and {@code _URL} etc. */
        public static final String ARC_PROVIDERS_PREFIX = "RAREGEN_ARC_PROVIDERS_";
        /** {@code raregen.arc.routing.policy} / {@code .send-to}: how transactions are spread over the providers. */
        public static final String ARC_ROUTING_POLICY = "RAREGEN_ARC_ROUTING_POLICY";
        public static final String ARC_ROUTING_SEND_TO = "RAREGEN_ARC_ROUTING_SEND_TO";
        public static final String POOL_WIF = "RAREGEN_KEYS_POOL_WIF";
        public static final String FUNDING_WIF = "RAREGEN_KEYS_FUNDING_WIF";
        public static final String ADMIN_TOKEN = "RAREGEN_ADMIN_TOKEN";
        public static final String NETWORK = "RAREGEN_NETWORK";
        /** The DLQ's URL: the broadcaster's {@code raregen_dlq_messages} gauge, the functions' {@code /v1/ops/summary}. */
        public static final String QUEUE_DLQ_URL = "RAREGEN_QUEUE_DLQ_URL";
        public static final String OPS_DLQ_URL = "RAREGEN_OPS_DLQ_URL";

        /** Every key of the architecture's configuration table. */
        public static final List<String> ARCHITECTURE_KEYS = List.of(
                DATASOURCE_URL, DATASOURCE_USERNAME, DATASOURCE_PASSWORD, QUEUE_URL, AWS_ENDPOINT, AWS_REGION,
                ARC_URL, ARC_TOKEN, ARC_CALLBACK_URL, ARC_CALLBACK_TOKEN, POOL_WIF, FUNDING_WIF, ADMIN_TOKEN, NETWORK);

        /**
         * Lambdas cannot receive Secrets Manager values as environment variables the way ECS tasks can;
         * they get the secret's ARN and read it at init (see infra-cdk/README.md, "Secrets").
         */
        public static final String DB_SECRET_ARN = "RAREGEN_DB_SECRET_ARN";
        public static final String ADMIN_TOKEN_SECRET_ARN = "RAREGEN_ADMIN_TOKEN_SECRET_ARN";
        public static final String ARC_CALLBACK_TOKEN_SECRET_ARN = "RAREGEN_ARC_CALLBACK_TOKEN_SECRET_ARN";
        public static final String RECEIPT_KEY_SECRET_ARN = "RAREGEN_RECEIPT_KEY_SECRET_ARN";
        public static final String ACCOUNTS_CODE_KEY_SECRET_ARN = "RAREGEN_ACCOUNTS_CODE_KEY_SECRET_ARN";
        /** The sender of sign-in mail ({@code raregen.accounts.mail-from}): the stack's SES identity. */
        public static final String ACCOUNTS_MAIL_FROM = "RAREGEN_ACCOUNTS_MAIL_FROM";
        /** The broadcaster's independent block header source ({@code raregen.headers.*}). */
        public static final String HEADERS_URL = "RAREGEN_HEADERS_URL";
        public static final String HEADERS_HEIGHT_URL = "RAREGEN_HEADERS_HEIGHT_URL";

        /** Broadcaster tuning ({@code raregen.fees.*}, {@code raregen.replenisher.*}) set by the CDK parameters. */
        public static final String FEE_FALLBACK_SATOSHIS = "RAREGEN_FEES_FALLBACK_SATOSHIS";
        public static final String FEE_FALLBACK_BYTES = "RAREGEN_FEES_FALLBACK_BYTES";
        public static final String REPLENISHER_MIN_POOL_SIZE = "RAREGEN_REPLENISHER_MIN_POOL_SIZE";
        public static final String REPLENISHER_SPLIT_BATCH_SIZE = "RAREGEN_REPLENISHER_SPLIT_BATCH_SIZE";
        public static final String REPLENISHER_ALERT_THRESHOLD = "RAREGEN_REPLENISHER_ALERT_THRESHOLD";
        /**
         * Not a secret: a counter in the Lambda configuration. SnapStart snapshots the init phase, so values
         * read from Secrets Manager at init live in the snapshot; bumping this publishes new versions (new
         * snapshots, fresh reads) after a rotation.
         */
        public static final String SECRETS_EPOCH = "RAREGEN_SECRETS_EPOCH";
        /** Value of the {@code Stage} dimension of the functions' embedded-metric-format counters. */
        public static final String METRICS_STAGE = "RAREGEN_METRICS_EMF_STAGE";
        /** Flyway runs in the broadcaster only (see docs/OPERATIONS.md, "Migrations"). */
        public static final String FLYWAY_ENABLED = "FLYWAY_DATASOURCES_DEFAULT_ENABLED";
    }

    /** CloudWatch metrics: the broadcaster's Prometheus metrics, shipped by the collector sidecar. */
    public static final class Metrics {
        private Metrics() {
        }

        public static final String NAMESPACE = "RareGen";
        /** The one dimension every RareGen metric carries (added as a scrape label by the sidecar). */
        public static final String STAGE_DIMENSION = "Stage";
        /** The label of {@link #POOL_DEPTH}: available, reserved, pending, spent, retired. */
        public static final String STATUS_DIMENSION = "status";

        /** Gauge per UTXO status (the original batch mode's name). */
        public static final String POOL_DEPTH = "raregen_utxo_pool_depth";
        /** Gauge: usable publish UTXOs, what the replenisher and the pool alarm watch. */
        public static final String POOL_PUBLISH_AVAILABLE = "raregen_utxo_pool_publish_available";
        public static final String BATCH_SIZE = "raregen_batch_size";
        public static final String TX_PER_SEC = "raregen_tx_per_sec";
        public static final String PUBLISH_DURATION = "raregen_publish_duration_seconds";
        /** Gauge: broadcasts failed in a row since the last success (alarm at 5: docs/OPERATIONS.md#broadcast-failures). */
        public static final String CONSECUTIVE_BROADCAST_FAILURES = "raregen_broadcast_consecutive_failures";
        /** Gauge: broadcast providers whose circuit breaker is not open (alarm at 0: docs/OPERATIONS.md#providers-down). */
        public static final String PROVIDERS_AVAILABLE = "raregen_arc_providers_available";
        /** Gauge per provider ({@link #PROVIDER_DIMENSION}): its breaker, 0 closed, 1 half-open, 2 open. */
        public static final String PROVIDER_BREAKER = "raregen_arc_provider_breaker";
        /** Counter: transactions on which providers gave opposite verdicts. */
        public static final String PROVIDER_DISAGREEMENTS = "raregen_arc_disagreements_total";
        /** The label of the per-provider metrics: the provider's configured name. */
        public static final String PROVIDER_DIMENSION = "provider";
        /** Gauge: jobs in processing/signed longer than the recovery bound (alarm: docs/OPERATIONS.md#stuck-jobs). */
        public static final String STUCK_JOBS = "raregen_jobs_stuck";
        /** Gauge: history rows no day partition covered (alarm: docs/OPERATIONS.md#history-default-partition). */
        public static final String HISTORY_DEFAULT_ROWS = "raregen_retention_default_rows";

        /** Counters the functions write as embedded metric format lines (no sidecar: CloudWatch Logs extracts them). */
        public static final String INTAKE_ACCEPTED = "raregen_intake_accepted";
        public static final String INTAKE_REPLAYED = "raregen_intake_replayed";
        /** Publishes stored but whose SQS send failed; the broadcaster's reconciler delivers them. */
        public static final String INTAKE_ENQUEUE_FAILURES = "raregen_intake_enqueue_failures";

        public static final List<String> ALL = List.of(
                POOL_DEPTH, POOL_PUBLISH_AVAILABLE, BATCH_SIZE, TX_PER_SEC, PUBLISH_DURATION, CONSECUTIVE_BROADCAST_FAILURES, STUCK_JOBS,
                HISTORY_DEFAULT_ROWS, PROVIDERS_AVAILABLE, PROVIDER_BREAKER, PROVIDER_DISAGREEMENTS);
    }
}
