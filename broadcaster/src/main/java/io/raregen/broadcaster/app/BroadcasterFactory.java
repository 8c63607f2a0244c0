package io.raregen.broadcaster.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.jdbc.DataSourceResolver;
import io.raregen.broadcaster.anchor.AnchorSettings;
import io.raregen.broadcaster.anchor.AnchorStore;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.FallbackTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.Broadcasting;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.broadcast.WocSettings;
import io.raregen.broadcaster.broadcast.WocTransactionBroadcaster;
import io.raregen.broadcaster.callbacks.CallbackApplier;
import io.raregen.broadcaster.callbacks.CallbackInbox;
import io.raregen.broadcaster.callbacks.CallbackSettings;
import io.raregen.broadcaster.fees.ArcFeePolicy;
import io.raregen.broadcaster.fees.FeeSettings;
import io.raregen.broadcaster.headers.HeaderSettings;
import io.raregen.broadcaster.headers.HeaderStore;
import io.raregen.broadcaster.headers.HttpBlockHeaderSource;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.keys.ServiceKeys;
import io.raregen.broadcaster.metrics.PipelineMetrics;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PipelineSettings;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.providers.Provider;
import io.raregen.broadcaster.providers.ProviderRouter;
import io.raregen.broadcaster.providers.ProviderSettings;
import io.raregen.broadcaster.providers.RoutingSettings;
import io.raregen.broadcaster.ratelimit.LocalRateLimiter;
import io.raregen.broadcaster.ratelimit.PostgresRateLimiter;
import io.raregen.broadcaster.ratelimit.RateLimitSettings;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.Queue;
import io.raregen.broadcaster.receive.QueueSettings;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.utxo.Payer;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.core.tx.FeeRate;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds the framework-free pipeline from typed configuration. */
@Factory
public class BroadcasterFactory {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BroadcasterFactory.class);

    @Singleton
    Heartbeats heartbeats() {
        return new Heartbeats();
    }

    @Singleton
    PipelineMetrics pipelineMetrics(MeterRegistry registry) {
        return new PipelineMetrics(registry);
    }

    /** The fee rate comes from the policy of the first provider that answers, in failover order. */
    @Singleton
    ArcFeePolicy feePolicy(ArcSettings arc, List<ProviderSettings> providers, FeeSettings fees) {
        return new ArcFeePolicy(ProviderSettings.effective(arc, providers).stream().map(p -> p.arc(arc)).toList(),
                new FeeRate(fees.getFallbackSatoshis(), fees.getFallbackBytes()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    ProviderRouter providerRouter(ArcSettings arc, List<ProviderSettings> configured, RoutingSettings routing,
                                  RateLimitSettings rate, DataSource wrapped, DataSourceResolver resolver, MeterRegistry registry) {
        DataSource dataSource = resolver.resolve(wrapped);
        List<Provider> providers = new ArrayList<>();
        for (ProviderSettings p : ProviderSettings.effective(arc, configured)) {
            RateLimiter budget = p.getRateCapacity() <= 0 ? RateLimiter.unlimited()
                    : rate.isShared() ? new PostgresRateLimiter(dataSource, "arc:" + p.getName(), p.getRateCapacity(), p.getRatePeriod())
                    : new LocalRateLimiter(p.getRateCapacity(), p.getRatePeriod());
            providers.add(new Provider(p, new ArcTransactionBroadcaster(p.arc(arc)), budget, registry));
        }
        LOG.info("broadcast providers {} ({})", providers.stream().map(Provider::name).toList(), routing.getPolicy());
        return new ProviderRouter(providers, routing, registry);
    }

    @Singleton
    TransactionBroadcaster transactionBroadcaster(ProviderRouter router, WocSettings woc) {
        return woc.isEnabled() ? new FallbackTransactionBroadcaster(router, new WocTransactionBroadcaster(woc)) : router;
    }

    @Singleton
    RateLimiter rateLimiter(RateLimitSettings props, DataSource wrapped, DataSourceResolver resolver) {
        DataSource dataSource = resolver.resolve(wrapped);
        if (!props.isEnabled()) {
            return RateLimiter.unlimited();
        }
        return props.isShared()
                ? new PostgresRateLimiter(dataSource, props.getBucketName(), props.getCapacity(), props.getPeriod(), props.getArrivalSpread())
                : new LocalRateLimiter(props.getCapacity(), props.getPeriod(), props.getArrivalSpread());
    }

    @Singleton
    @Bean(preDestroy = "close")
    SqsClient sqsClient(AwsSettings aws) {
        SqsClientBuilder b = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)))
                .region(Region.of(aws.getRegion()));
        if (aws.getEndpoint() != null && !aws.getEndpoint().isBlank()) {
            // ElasticMQ / LocalStack accept any credentials
            b.endpointOverride(URI.create(aws.getEndpoint()))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")));
        } else {
            b.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return b.build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    PublishPipeline publishPipeline(PipelineSettings pipeline, RecoverySettings recovery, ArcSettings arc,
                                    FeeSettings fees, QueueSettings queue, DataSource wrapped, DataSourceResolver resolver,
                                    UtxoPool pool,
                                    ServiceKeys keys, ArcFeePolicy feePolicy, TransactionBroadcaster broadcaster,
                                    RateLimiter limiter, SqsClient sqs, PipelineMetrics metrics, Heartbeats heartbeats,
                                    HeaderSettings headers, AnchorSettings anchors, MeterRegistry registry) {
        // plain JDBC with our own transactions: the real pool, not Micronaut's transaction-aware proxy
        DataSource dataSource = resolver.resolve(wrapped);
        String instanceId = pipeline.getInstanceId();
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        boolean hasQueue = queue.getUrl() != null && !queue.getUrl().isBlank();
        PublishPipeline p = new PublishPipeline(new PublishPipeline.Parts(pipeline, recovery, instanceId,
                new PublishJobStore(dataSource, pipeline.getClaimIdleLimit()), new Payer(pool, keys.poolKey(), feePolicy),
                new Broadcasting(broadcaster, limiter, arc.getMaxTxsPerRequest(), arc.callbacksRequested()),
                hasQueue ? new Queue(sqs, queue.getUrl()) : null, metrics, heartbeats, PipelineHooks.NONE));
        p.setFeeRefreshInterval(fees.getRefreshInterval());
        p.anchorWith(anchors, new AnchorStore(dataSource));
        if (headers.enabled()) {
            p.checkInclusion(new HttpBlockHeaderSource(headers.getUrl(), headers.getHeightUrl(), headers.getTimeout()),
                    new HeaderStore(dataSource), headers, registry);
        } else {
            LOG.warn("no raregen.headers.url: merkle paths from ARC are recorded without an independent header check");
        }
        return p;
    }

    /** Applies stored ARC callbacks with the pipeline's own result applier (one way to record mined). */
    @Singleton
    CallbackApplier callbackApplier(CallbackSettings props, DataSource wrapped, DataSourceResolver resolver,
                                    PublishPipeline pipeline, UtxoPool pool, MeterRegistry registry) {
        CallbackApplier applier = new CallbackApplier(new CallbackInbox(resolver.resolve(wrapped)), pipeline.applier(), pool,
                registry, props.getInterval(), props.getBatchSize(), props.getRetention(), props.getPruneInterval(),
                props.getMaxAttempts(), Clock.systemUTC());
        if (pipeline.anchorResults() != null) {
            applier.applyAnchorsWith(pipeline.anchorResults());
        }
        return applier;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "broadcaster";
        }
    }
}
