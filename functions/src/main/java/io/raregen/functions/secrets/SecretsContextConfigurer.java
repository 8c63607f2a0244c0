package io.raregen.functions.secrets;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;
import io.raregen.functions.aws.AwsConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs whenever an application context is built (the Lambda handler's, the Netty server's): if secret ARNs are
 * configured ({@link SecretBindings}), reads them from Secrets Manager once and adds their fields as the
 * highest-priority property source, before any bean (the datasource, the operator guard) exists.
 *
 * <p>Settings come from environment variables; a JVM system property of the same name takes precedence (for
 * {@code java -D…} and tests). The AWS client uses {@code RAREGEN_AWS_ENDPOINT}, {@code RAREGEN_AWS_REGION}
 * (else Lambda's {@code AWS_REGION}) and the default credential chain (the function's role). With SnapStart the
 * values become part of the snapshot; infra-cdk/README.md ("secretsEpoch") explains rotation.
 */
@ContextConfigurer
public final class SecretsContextConfigurer implements ApplicationContextConfigurer {

    /** Above system properties and environment variables: a secret beats a plain variable of the same name. */
    static final int ORDER = Integer.MAX_VALUE / 2 + 1000;
    static final String SOURCE_NAME = "aws-secrets-manager";

    private static final Logger LOG = LoggerFactory.getLogger(SecretsContextConfigurer.class);

    @Override
    public void configure(ApplicationContextBuilder builder) {
        UnaryOperator<String> settings = SecretsContextConfigurer::setting;
        if (!SecretBindings.anyConfigured(settings)) {
            return;
        }
        long start = System.nanoTime();
        Map<String, Object> properties;
        try (SecretsManagerReader reader = new SecretsManagerReader(awsSettings(settings))) {
            properties = SecretBindings.resolve(settings, reader);
        }
        builder.propertySources(PropertySource.of(SOURCE_NAME, properties, ORDER));
        // names only: the values are secrets
        LOG.info("read {} properties from Secrets Manager in {} ms: {}", properties.size(),
                (System.nanoTime() - start) / 1_000_000, properties.keySet());
    }

    static AwsConfiguration awsSettings(UnaryOperator<String> settings) {
        String region = firstPresent(settings.apply("RAREGEN_AWS_REGION"), settings.apply("AWS_REGION"), "us-east-1");
        return new AwsConfiguration(settings.apply("RAREGEN_AWS_ENDPOINT"), region,
                settings.apply("RAREGEN_AWS_ACCESS_KEY_ID"), settings.apply("RAREGEN_AWS_SECRET_ACCESS_KEY"));
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    private static String firstPresent(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
