package io.raregen.broadcaster.funding;

import io.raregen.broadcaster.keys.ConfiguredServiceKeys;
import io.raregen.broadcaster.utxo.InMemoryUtxoPool;
import io.raregen.broadcaster.utxo.PoolTestData;
import io.raregen.core.keys.Network;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalFaucetFundingTest {

    @Test
    void fundIfLow_asksTheLocalChainsFaucetOnceAndImportsTheVerifiedOutput() {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().host("127.0.0.1").port(0).manualMining().build())) {
            InMemoryUtxoPool pool = new InMemoryUtxoPool();
            FundingService funding = new FundingService(pool, new ConfiguredServiceKeys(PoolTestData.POOL_KEY,
                    PoolTestData.FUNDING_KEY, Network.REGTEST), Network.REGTEST);
            LocalFaucetFunding faucet = new LocalFaucetFunding(funding, pool, arc(chain.arcUrl()), 5_000_000, 1_000_000);

            assertEquals(5_000_000, faucet.fundIfLow());
            assertEquals(0, faucet.fundIfLow(), "already funded");
            assertEquals(5_000_000, pool.snapshot().fundingAvailableSats());
        }
    }

    @Test
    void fundIfLow_onMainNet_isRefused() {
        InMemoryUtxoPool pool = new InMemoryUtxoPool();
        FundingService funding = new FundingService(pool, new ConfiguredServiceKeys(PoolTestData.POOL_KEY,
                PoolTestData.FUNDING_KEY, Network.MAIN), Network.MAIN);
        LocalFaucetFunding faucet = new LocalFaucetFunding(funding, pool, arc("http://127.0.0.1:9"), 1, 1);

        assertThrows(IllegalStateException.class, faucet::fundIfLow);
    }

    private static io.raregen.broadcaster.broadcast.ArcSettings arc(String url) {
        io.raregen.broadcaster.broadcast.ArcSettings p = new io.raregen.broadcaster.broadcast.ArcSettings();
        p.setUrl(url);
        return p;
    }
}
