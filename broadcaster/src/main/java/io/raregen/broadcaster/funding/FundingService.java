package io.raregen.broadcaster.funding;

import io.micronaut.context.annotation.Value;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.broadcaster.keys.ServiceKeys;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.core.keys.Network;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Funding the pool (options A and C of docs/ARCHITECTURE.md#the-original-system):
 * shows the funding address, and imports an output paid to
 * it after checking the raw transaction (its txid is the outpoint's, the output exists, pays our script
 * and holds at least 1 sat).
 */
@Singleton
public class FundingService {
    private static final Logger LOG = LoggerFactory.getLogger(FundingService.class);

    /** The funding address as the CLI and GET /v1/pool show it. */
    @Serdeable
    public record FundingAddress(String address, String network, String lockingScriptHex, String poolAddress) {
    }

    /** The result of an import. */
    @Serdeable
    public record Imported(String outpoint, long satoshis, String purpose, boolean added) {
    }

    private final UtxoPool pool;
    private final ServiceKeys keys;
    private final Network network;

    @Inject
    public FundingService(UtxoPool pool, ServiceKeys keys, @Value("${raregen.network:regtest}") String network) {
        this(pool, keys, Network.parse(network));
    }

    public FundingService(UtxoPool pool, ServiceKeys keys, Network network) {
        this.pool = pool;
        this.keys = keys;
        this.network = network;
    }

    public FundingAddress fundingAddress() {
        return new FundingAddress(keys.fundingKey().address(network), network.name().toLowerCase(java.util.Locale.ROOT),
                HexFormat.of().formatHex(keys.fundingKey().p2pkhLockingScript()), keys.poolKey().address(network));
    }

    public Network network() {
        return network;
    }

    /**
     * Imports {@code outpoint} from {@code rawTxHex}. An output paying the funding key joins as funding; one
     * paying the pool key (when it differs) joins as a publish UTXO. Idempotent: a known outpoint is reported
     * with {@code added = false}.
     */
    public Imported importOutput(String outpointText, String rawTxHex, int chainDepth) {
        Outpoint outpoint;
        try {
            outpoint = Outpoint.parse(outpointText == null ? null : outpointText.trim());
        } catch (IllegalArgumentException e) {
            throw new FundingException("OUTPOINT_INVALID", 400, "outpoint must be <txid>:<vout>");
        }
        byte[] raw;
        RawTransaction tx;
        try {
            raw = HexFormat.of().parseHex(rawTxHex == null ? "" : rawTxHex.trim());
            tx = RawTransaction.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new FundingException("RAW_TX_INVALID", 400, "rawTx is not one well-formed transaction in hex");
        }
        if (!tx.txid().equals(outpoint.txid())) {
            throw new FundingException("TXID_MISMATCH", 400, "rawTx hashes to " + tx.txid() + ", not " + outpoint.txid());
        }
        if (outpoint.vout() >= tx.outputs().size()) {
            throw new FundingException("VOUT_OUT_OF_RANGE", 400,
                    "the transaction has " + tx.outputs().size() + " outputs; vout " + outpoint.vout() + " does not exist");
        }
        TxOutput out = tx.outputs().get(outpoint.vout());
        byte[] script = out.script();
        Purpose purpose;
        if (Arrays.equals(script, keys.fundingKey().p2pkhLockingScript())) {
            purpose = Purpose.FUNDING;
        } else if (Arrays.equals(script, keys.poolKey().p2pkhLockingScript())) {
            purpose = Purpose.PUBLISH;
        } else {
            throw new FundingException("SCRIPT_MISMATCH", 400,
                    "output " + outpoint.vout() + " does not pay the funding address " + keys.fundingKey().address(network));
        }
        if (out.value().isDust()) {
            throw new FundingException("OUTPUT_EMPTY", 400, "output " + outpoint.vout() + " holds 0 satoshis");
        }
        int added = pool.add(List.of(new Utxo(outpoint, out.value(), script)), purpose, Math.max(0, chainDepth));
        if (added > 0) {
            LOG.info("imported {} ({}, {}) into the pool", outpoint, out.value(), purpose);
        }
        return new Imported(outpoint.toString(), out.value().value(), purpose.name().toLowerCase(java.util.Locale.ROOT),
                added > 0);
    }
}
