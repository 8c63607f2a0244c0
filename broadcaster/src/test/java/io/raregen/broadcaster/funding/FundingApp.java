package io.raregen.broadcaster.funding;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.broadcaster.utxo.PoolTestData;
import io.raregen.core.keys.Network;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.migrations.TestDatabase;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The real broadcaster application on Netty for the pool's HTTP tests: a fresh database, an
 * in-process local chain with manual mining, the test pool and funding keys, and an admin token.
 * Background pool loops are off so a test drives every step itself.
 */
final class FundingApp implements AutoCloseable {
    static final String TOKEN = "test-admin-token";

    final TestDatabase db;
    final LocalChain chain;
    final EmbeddedServer server;

    private FundingApp(TestDatabase db, LocalChain chain, EmbeddedServer server) {
        this.db = db;
        this.chain = chain;
        this.server = server;
    }

    static FundingApp start(Map<String, Object> extraProperties) {
        TestDatabase db = TestDatabase.create();
        LocalChain chain = LocalChain.start(LocalChainConfig.builder().host("127.0.0.1").port(0).manualMining().build());
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("datasources.default.url", db.jdbcUrlWithoutCredentials());
        props.put("datasources.default.username", db.username());
        props.put("datasources.default.password", db.password());
        props.put("raregen.arc.url", chain.arcUrl());
        props.put("raregen.network", "regtest");
        props.put("raregen.keys.pool-wif", PoolTestData.POOL_KEY.toWif(Network.REGTEST));
        props.put("raregen.keys.funding-wif", PoolTestData.FUNDING_KEY.toWif(Network.REGTEST));
        props.put("raregen.admin.token", TOKEN);
        props.put("raregen.pool.jobs.enabled", "false");
        props.put("raregen.ratelimit.shared", "false");
        props.putAll(extraProperties);
        return new FundingApp(db, chain, ApplicationContext.run(EmbeddedServer.class, props));
    }

    URI uri(String path) {
        return URI.create(server.getURL() + path);
    }

    @Override
    public void close() {
        server.close();
        chain.close();
        db.close();
    }
}
