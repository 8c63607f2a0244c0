package io.raregen.broadcaster.utxo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.migrations.TestDatabase;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test data for the pool: random txids, UTXOs paying a fixed test key, a pooled DataSource. */
public final class PoolTestData {
    public static final KeyPair POOL_KEY = KeyPair.fromPrivateKeyHex(
            "1111111111111111111111111111111111111111111111111111111111111111");
    public static final KeyPair FUNDING_KEY = KeyPair.fromPrivateKeyHex(
            "2222222222222222222222222222222222222222222222222222222222222222");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PoolTestData() {
    }

    public static Txid randomTxid() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Txid.fromHex(HexFormat.of().formatHex(b));
    }

    public static Utxo utxo(long sats) {
        return new Utxo(new Outpoint(randomTxid(), 0), Satoshis.of(sats), POOL_KEY.p2pkhLockingScript());
    }

    public static Utxo fundingUtxo(long sats) {
        return new Utxo(new Outpoint(randomTxid(), 0), Satoshis.of(sats), FUNDING_KEY.p2pkhLockingScript());
    }

    /** {@code count} outputs of one made-up transaction, each worth {@code sats}. */
    public static List<Utxo> utxos(int count, long sats) {
        Txid txid = randomTxid();
        List<Utxo> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Utxo(new Outpoint(txid, i), Satoshis.of(sats), POOL_KEY.p2pkhLockingScript()));
        }
        return out;
    }

    public static HikariDataSource pooled(TestDatabase db, int size) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(db.jdbcUrl());
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(1);
        cfg.setPoolName("pool-test");
        return new HikariDataSource(cfg);
    }
}
