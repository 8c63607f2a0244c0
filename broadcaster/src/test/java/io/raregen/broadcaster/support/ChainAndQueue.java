package io.raregen.broadcaster.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a drain test starts from: a {@link TestKit} with its local chain, and an ElasticMQ queue server, new for
 * each test and closed after it. A test class extends it; its own {@code @AfterEach} runs first.
 */
public abstract class ChainAndQueue {
    protected TestKit kit;
    protected LocalSqs sqs;

    @BeforeEach
    void startChainAndQueue() {
        kit = new TestKit().withChain();
        sqs = new LocalSqs();
    }

    @AfterEach
    void closeChainAndQueue() {
        sqs.close();
        kit.close();
    }
}
