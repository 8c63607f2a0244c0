package io.raregen.broadcaster.retention;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.event.annotation.EventListener;
import io.raregen.broadcaster.app.AwsSettings;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.loops.LoopScheduler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Runs the {@link RetentionLoop} and {@link ExpiredNonces} on their own scheduler in every broadcaster, whatever else
 * is enabled: the day partitions must be created ahead even where nothing is archived, and the intake's guarded
 * nonces deleted once expired. Their heartbeats show on /health as {@code retention} and {@code expired-nonces}.
 */
@Singleton
public class RetentionLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionLifecycle.class);
    private final RetentionLoop loop;
    private final ExpiredNonces nonces;
    private final LoopScheduler scheduler;

    public RetentionLifecycle(RetentionSettings settings, AwsSettings aws, DataSource wrapped, DataSourceResolver resolver,
                              Heartbeats heartbeats, MeterRegistry registry) {
        settings.validate();
        Archive archive = null;
        if (settings.archiving()) {
            archive = settings.getArchiveDir() != null && !settings.getArchiveDir().isBlank()
                    ? new DirectoryArchive(Path.of(settings.getArchiveDir()))
                    : S3Archive.create(aws, settings.getArchiveBucket(), settings.getArchivePrefix());
            LOG.info("history older than {} is archived to {}", settings.getAfter(), archive.location());
        }
        DataSource dataSource = resolver.resolve(wrapped);
        this.loop = new RetentionLoop(new HistoryPartitions(dataSource), archive, settings, Clock.systemUTC(),
                Duration.ofSeconds(1), registry);
        this.nonces = new ExpiredNonces(dataSource, settings, registry);
        // a thread each: a long archive round must not hold the nonces back
        this.scheduler = new LoopScheduler(heartbeats, 2);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        scheduler.start(List.of(loop, nonces));
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        scheduler.stop();
    }
}
