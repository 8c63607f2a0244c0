package io.raregen.broadcaster.providers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.pipeline.PipelineSettings;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.types.JobId;
import io.raregen.localchain.LocalChain.Door;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several doors onto one local chain, each with its own fault switches: failover, {@code all},
 * disagreement and recovery, with every invariant checked and zero double publications.
 */
class ProvidersTest {
    private TestKit kit;
    private Door a;
    private Door b;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ProviderRouter router;
    private PublishPipeline pipeline;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void setUp() {
        kit = new TestKit().withChain();
        a = kit.chain.openDoor("a", 0);
        b = kit.chain.openDoor("b", 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (router != null) {
            router.close();
        }
        kit.close();
    }

    private Provider provider(Door door, int priority) {
        ProviderSettings s = ProviderSettings.of(door.name(), door.arcUrl(), null);
        s.setPriority(priority);
        s.setBreakerWindow(4);
        s.setBreakerMinimumCalls(2);
        s.setBreakerOpenFor(Duration.ofSeconds(1));
        return new Provider(s, new ArcTransactionBroadcaster(s.arc(kit.arcProperties())), RateLimiter.unlimited(), registry);
    }

    private void start(RoutingSettings.Policy policy) {
        RoutingSettings routing = new RoutingSettings();
        routing.setPolicy(policy);
        router = new ProviderRouter(List.of(provider(b, 2), provider(a, 1)), routing, registry);
        PipelineSettings pp = kit.fastPipeline();
        pp.setMaxBatchSize(10);
        pipeline = kit.pipeline(pp, kit.fastRecovery(), RateLimiter.unlimited(), router, null, null, PipelineHooks.NONE,
                "providers", registry);
        pipeline.start();
    }

    private void publish(int n) {
        List<String> more = kit.insertJobs(n);
        ids.addAll(more);
        more.forEach(id -> pipeline.collector().offerNow(Incoming.fromLoop(new JobId(id))));
    }

    private void awaitAllSent() throws InterruptedException {
        assertEquals(ids.size(), kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", ids.size(),
                        Duration.ofSeconds(60)),
                kit.strings("SELECT status || ' ' || coalesce(error_code, '') FROM publish_jobs WHERE status <> 'sent' LIMIT 5").toString());
    }

    /** Every job sent once, signed once (never re-signed: no second transaction for a record), outpoints spent once. */
    private void assertPublishedOnceEach() {
        Invariants.assertAllPublished(kit, ids);
        assertEquals(ids.size(), kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"),
                "signed once each: one transaction per record");
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'failed'"));
    }

    /** Broadcast requests this door received (status queries not counted). */
    private long calls(Door d) {
        return registry.get("raregen.arc.provider.latency").tag("provider", d.name()).tag("call", "broadcast").timer().count();
    }

    private int breaker(Door d) {
        return (int) registry.get("raregen.arc.provider.breaker").tag("provider", d.name()).gauge().value();
    }

    private double disagreements() {
        Counter c = registry.find("raregen.arc.disagreements").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void primaryDown_publicationContinuesThroughTheSecond_thenThePrimaryComesBack() throws Exception {
        kit.fundPool(120, 1000);
        a.faults().errorRate(1.0);
        start(RoutingSettings.Policy.PRIMARY_WITH_FAILOVER);
        publish(60);
        awaitAllSent();
        assertPublishedOnceEach();
        assertEquals(Provider.OPEN, breaker(a), "the failing primary's breaker opened");
        assertTrue(calls(a) < calls(b), "the open breaker kept the primary out: a " + calls(a) + " calls, b " + calls(b));

        a.faults().reset();
        Thread.sleep(1_200); // past open-for: the next call is the primary's trial
        long aBefore = calls(a);
        long bBefore = calls(b);
        publish(30);
        awaitAllSent();
        assertPublishedOnceEach();
        assertEquals(Provider.CLOSED, breaker(a), "the primary's trial succeeded and its breaker closed");
        assertTrue(calls(a) > aBefore, "the primary took the traffic back");
        assertEquals(bBefore, calls(b), "nothing needed the second door any more");
        assertEquals(0, disagreements());
    }

    @Test
    void primaryRejectsWhatTheNetworkAccepts_theJobIsNotFailed_andTheDisagreementIsCounted() throws Exception {
        kit.fundPool(50, 1000);
        a.faults().rejectRate(1.0);
        start(RoutingSettings.Policy.PRIMARY_WITH_FAILOVER);
        publish(30);
        awaitAllSent();
        assertPublishedOnceEach();
        assertEquals(30, disagreements(), "each transaction: rejected by a, accepted by b");
        assertEquals(Provider.CLOSED, breaker(a), "a rejection is an answer, not an outage");
    }

    @Test
    void aLoneRejection_whileTheOtherDoorIsDown_keepsTheJobAndItsInputs_untilTheNetworkDecides() throws Exception {
        kit.fundPool(30, 1000);
        a.faults().rejectRate(1.0);
        b.faults().errorRate(1.0);
        start(RoutingSettings.Policy.PRIMARY_WITH_FAILOVER);
        publish(10);
        assertEquals(10, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'signed'", 10, Duration.ofSeconds(30)));
        // long enough for the sender's retries and a rescuer round (re-sent after 2 s)
        Thread.sleep(3_000);
        assertEquals(10, kit.scalar("SELECT count(*) FROM job_states WHERE status = 'signed'"),
                "one door's rejection neither failed the jobs nor sent them back to be re-signed");
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status IN ('failed', 'queued') "
                + "AND from_status IS NOT NULL"));
        assertEquals(10, kit.scalar("SELECT count(*) FROM utxos WHERE status = 'reserved'"), "their inputs stay theirs");

        b.faults().reset();
        awaitAllSent();
        assertPublishedOnceEach();
        assertTrue(disagreements() >= 10);
    }

    @Test
    void all_sendsEachTransactionThroughEveryDoor_andTheFirstAcceptanceDecides() throws Exception {
        kit.fundPool(60, 1000);
        start(RoutingSettings.Policy.ALL);
        publish(30);
        awaitAllSent();
        assertPublishedOnceEach();
        // the slower door's answer may still be on its way when the jobs are sent
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (calls(a) != calls(b) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(calls(a) > 0);
        assertEquals(calls(a), calls(b), "every call went to both doors");

        b.faults().errorRate(1.0);
        publish(20);
        awaitAllSent();
        assertPublishedOnceEach();
        assertEquals(0, disagreements());
    }

    @Test
    void everyDoorDown_nothingFails_theAvailableGaugeFallsToZero_andPublicationResumes() throws Exception {
        kit.fundPool(30, 1000);
        a.faults().errorRate(1.0);
        b.faults().errorRate(1.0);
        start(RoutingSettings.Policy.PRIMARY_WITH_FAILOVER);
        publish(10);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (router.available() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, registry.get("raregen.arc.providers.available").gauge().value(), "every breaker open");
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'failed'"));
        a.faults().reset();
        b.faults().reset();
        awaitAllSent();
        assertPublishedOnceEach();
        assertTrue(calls(a) > 0);
    }
}
