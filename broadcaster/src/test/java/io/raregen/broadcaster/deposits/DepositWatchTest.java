package io.raregen.broadcaster.deposits;

import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.funding.FundingService;
import io.raregen.broadcaster.keys.ServiceKeys;
import io.raregen.broadcaster.utxo.PoolSettings;
import io.raregen.broadcaster.utxo.PostgresUtxoPool;
import io.raregen.core.keys.DepositKeys;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import io.raregen.core.tx.FeeRate;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.broadcaster.support.Sql;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.SQLException;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * BSV top-up against the local chain (its WhatsOnChain-shaped routes) and a real Postgres: a payment to an account's
 * deposit address is credited once, after the confirmations, at the published price, and moved into the pool's
 * funding; a second payment is a second credit; rounds replayed credit nothing more; a payment reorged out before
 * its confirmations is not credited; a payment to an address of no account is ignored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DepositWatchTest {

    private static final KeyPair FUNDING = KeyPair.fromPrivateKeyHex("31".repeat(32));
    private static final KeyPair POOL = KeyPair.fromPrivateKeyHex("32".repeat(32));

    private TestDatabase db;
    private LocalChain chain;
    private DepositWatch watch;
    private DepositKeys keys;

    @BeforeAll
    void start() {
        db = TestDatabase.create();
        chain = LocalChain.start(LocalChainConfig.builder().host("127.0.0.1").port(0).manualMining().build());
        ArcSettings arc = new ArcSettings();
        arc.setUrl(chain.arcUrl());
        DepositSettings settings = new DepositSettings();
        settings.setChainUrl(chain.arcUrl() + "/woc");
        settings.setConfirmations(2);
        settings.setSatsPerCredit(100);
        ServiceKeys serviceKeys = new ServiceKeys() {
            @Override
            public KeyPair poolKey() {
                return POOL;
            }

            @Override
            public KeyPair fundingKey() {
                return FUNDING;
            }
        };
        FundingService funding = new FundingService(new PostgresUtxoPool(db.dataSource(), new PoolSettings()), serviceKeys, Network.REGTEST);
        watch = new DepositWatch(new DepositStore(db.dataSource()), new DepositChain(settings, Network.REGTEST), FUNDING,
                Network.REGTEST, settings, new ArcTransactionBroadcaster(arc), funding, () -> FeeRate.perKb(1));
        keys = DepositKeys.fromServiceKey(FUNDING);
    }

    @AfterAll
    void stop() {
        chain.close();
        db.close();
    }

    /** An account with a deposit index, as GET /v1/accounts/me/deposit leaves it. */
    private Account account() throws SQLException {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO accounts (account_id, email, deposit_index) VALUES ('" + id + "', '" + id + "@example.com', nextval('account_deposit_index'))");
        sql("INSERT INTO account_balances (account_id, credits) VALUES ('" + id + "', 0)");
        return new Account(id, (int) count("SELECT deposit_index FROM accounts WHERE account_id = '" + id + "'"));
    }

    private record Account(UUID id, int index) {
    }

    @Test
    void aPayment_isCreditedOnceAfterItsConfirmations_andJoinsThePoolsFunding() throws Exception {
        Account a = account();
        watch.runOnce();
        assertEquals(keys.xpub(), text("SELECT xpub FROM deposit_terms"), "the terms are published for the functions");

        FaucetOutput paid = chain.faucet(keys.lockingScript(a.index()), 12_345);
        watch.runOnce();
        assertEquals(1, count("SELECT count(*) FROM deposits WHERE account_id = '" + a.id() + "'"), "seen while unmined");
        assertEquals(0, credits(a));
        chain.mineBlock();
        watch.runOnce();
        assertEquals(0, credits(a), "one confirmation of two");
        chain.mineBlock();
        DepositWatch.Round r = watch.runOnce();
        assertEquals(1, r.credited());
        assertEquals(123, credits(a), "12,345 sats at 100 sats a credit");
        assertEquals(1, r.swept(), "moved to the funding address");
        String sweep = text("SELECT swept_txid FROM deposits WHERE txid = '" + paid.txid().hex() + "'");
        assertNotNull(sweep);
        assertEquals(1, count("SELECT count(*) FROM utxos WHERE txid = '" + sweep + "'"), "imported into the pool as funding");

        // replayed rounds, and the payment gone from the address (swept): nothing more
        chain.mineBlock();
        watch.runOnce();
        watch.runOnce();
        assertEquals(123, credits(a));
        assertEquals(1, count("SELECT count(*) FROM credit_ledger WHERE account_id = '" + a.id() + "' AND kind = 'topup'"));

        // a second payment is a second top-up
        chain.faucet(keys.lockingScript(a.index()), 1_000);
        chain.mineBlock();
        chain.mineBlock();
        watch.runOnce();
        assertEquals(133, credits(a));
        assertEquals(0, count("""
                SELECT count(*) FROM account_balances b
                WHERE b.credits <> (SELECT coalesce(sum(delta), 0) FROM credit_ledger l WHERE l.account_id = b.account_id)
                """), "every balance equals its ledger");
    }

    @Test
    void aPaymentReorgedOutBeforeItsConfirmations_isNotCredited_andAnUnknownAddressIsIgnored() throws Exception {
        Account a = account();
        chain.faucet(keys.lockingScript(a.index()), 50_000);
        chain.mineBlock();
        watch.runOnce();
        assertEquals(0, credits(a));
        chain.reorg(1);
        watch.runOnce();
        assertEquals(0, credits(a), "reorged out at one confirmation");
        assertEquals(0, count("SELECT count(*) FROM credit_ledger WHERE account_id = '" + a.id() + "'"));

        // an address of an index no account has
        chain.faucet(keys.lockingScript(a.index() + 1000), 70_000);
        chain.mineBlock();
        chain.mineBlock();
        watch.runOnce();
        assertEquals(0, count("SELECT count(*) FROM deposits WHERE satoshis = 70000"), "no account, no deposit");
    }

    private long credits(Account a) throws SQLException {
        return count("SELECT credits FROM account_balances WHERE account_id = '" + a.id() + "'");
    }

    private void sql(String s) throws SQLException {
        new Sql(db).run(s);
    }

    private long count(String s) throws SQLException {
        return new Sql(db).number(s);
    }

    private String text(String s) throws SQLException {
        return new Sql(db).text(s);
    }
}
