package io.raregen.broadcaster.deposits;

import io.raregen.core.keys.Network;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The deposit tables (V37): terms, watched accounts, payments seen, credited and swept. */
public class DepositStore {

    private static final String TERMS = """
            INSERT INTO deposit_terms (id, xpub, network, sats_per_credit, confirmations) VALUES (true, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET xpub = EXCLUDED.xpub, network = EXCLUDED.network,
              sats_per_credit = EXCLUDED.sats_per_credit, confirmations = EXCLUDED.confirmations, updated_at = now()
            WHERE (deposit_terms.xpub, deposit_terms.network, deposit_terms.sats_per_credit, deposit_terms.confirmations)
              IS DISTINCT FROM (EXCLUDED.xpub, EXCLUDED.network, EXCLUDED.sats_per_credit, EXCLUDED.confirmations)
            """;
    private static final String WATCHED = "SELECT account_id, deposit_index FROM accounts WHERE deposit_index IS NOT NULL ORDER BY deposit_index";
    private static final String SEEN = """
            INSERT INTO deposits (txid, vout, account_id, satoshis, height) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (txid, vout) DO UPDATE SET height = EXCLUDED.height WHERE deposits.credited_at IS NULL
            """;
    private static final String MARK_CREDITED = """
            UPDATE deposits SET credited_at = now(), credits = ? WHERE txid = ? AND vout = ? AND account_id = ? AND credited_at IS NULL
            """;
    private static final String LEDGER = """
            INSERT INTO credit_ledger (account_id, delta, kind, reference, note) VALUES (?, ?, 'topup', ?, ?)
            ON CONFLICT (account_id, kind, reference) WHERE reference IS NOT NULL DO NOTHING
            """;
    private static final String RAISE = "UPDATE account_balances SET credits = credits + ? WHERE account_id = ?";
    private static final String UNSWEPT = """
            SELECT d.txid, d.vout, d.satoshis, a.deposit_index FROM deposits d JOIN accounts a USING (account_id)
            WHERE d.credited_at IS NOT NULL AND d.swept_txid IS NULL ORDER BY d.credited_at LIMIT 100
            """;
    private static final String SWEPT = "UPDATE deposits SET swept_txid = ?, swept_at = now() WHERE txid = ? AND vout = ?";

    private final DataSource dataSource;

    public DepositStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void publishTerms(String xpub, Network network, long satsPerCredit, int confirmations) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(TERMS)) {
            ps.setString(1, xpub);
            ps.setString(2, network.name().toLowerCase(java.util.Locale.ROOT));
            ps.setLong(3, satsPerCredit);
            ps.setInt(4, confirmations);
            ps.executeUpdate();
        }
    }

    /** An account whose deposit address is watched. */
    public record Watched(UUID accountId, int index) {
    }

    public List<Watched> watched() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(WATCHED); ResultSet rs = ps.executeQuery()) {
            List<Watched> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Watched(rs.getObject(1, UUID.class), rs.getInt(2)));
            }
            return out;
        }
    }

    /** Records a payment as seen (or its new height), unless it was credited already. */
    public void seen(UUID account, Outpoint outpoint, long satoshis, int height) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SEEN)) {
            ps.setString(1, outpoint.txid().hex());
            ps.setInt(2, outpoint.vout());
            ps.setObject(3, account);
            ps.setLong(4, satoshis);
            ps.setInt(5, height);
            ps.executeUpdate();
        }
    }

    /**
     * Credits a payment once, in one transaction: the deposit marked, a {@code topup} ledger entry referenced by the
     * outpoint, the balance raised. Returns false when it was credited before.
     */
    public boolean credit(UUID account, Outpoint outpoint, long credits, long satoshis) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int marked;
                try (PreparedStatement ps = c.prepareStatement(MARK_CREDITED)) {
                    ps.setLong(1, credits);
                    ps.setString(2, outpoint.txid().hex());
                    ps.setInt(3, outpoint.vout());
                    ps.setObject(4, account);
                    marked = ps.executeUpdate();
                }
                if (marked == 1 && credits > 0) {
                    int entered;
                    try (PreparedStatement ps = c.prepareStatement(LEDGER)) {
                        ps.setObject(1, account);
                        ps.setLong(2, credits);
                        ps.setString(3, outpoint.toString());
                        ps.setString(4, "top-up of " + satoshis + " sats");
                        entered = ps.executeUpdate();
                    }
                    if (entered == 1) {
                        try (PreparedStatement ps = c.prepareStatement(RAISE)) {
                            ps.setLong(1, credits);
                            ps.setObject(2, account);
                            ps.executeUpdate();
                        }
                    }
                }
                c.commit();
                return marked == 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A credited payment not yet moved to the funding address. */
    public record Unswept(Outpoint outpoint, long satoshis, int index) {
    }

    public List<Unswept> unswept() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UNSWEPT); ResultSet rs = ps.executeQuery()) {
            List<Unswept> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Unswept(new Outpoint(Txid.fromHex(rs.getString(1)), rs.getInt(2)), rs.getLong(3), rs.getInt(4)));
            }
            return out;
        }
    }

    public void swept(Outpoint deposit, Txid sweep) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SWEPT)) {
            ps.setString(1, sweep.hex());
            ps.setString(2, deposit.txid().hex());
            ps.setInt(3, deposit.vout());
            ps.executeUpdate();
        }
    }
}
