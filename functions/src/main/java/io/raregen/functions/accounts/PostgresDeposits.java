package io.raregen.functions.accounts;

import io.raregen.core.types.AccountId;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link Deposits} on {@code deposit_terms}, {@code accounts.deposit_index} and {@code deposits} (V37). */
@Singleton
public class PostgresDeposits implements Deposits {

    private static final String TERMS = "SELECT xpub, network, sats_per_credit, confirmations FROM deposit_terms";
    private static final String ASSIGN = """
            UPDATE accounts SET deposit_index = nextval('account_deposit_index')
            WHERE account_id = ? AND deposit_index IS NULL
            """;
    private static final String INDEX = "SELECT deposit_index FROM accounts WHERE account_id = ?";
    private static final String PAYMENTS = """
            SELECT txid, vout, satoshis, height, seen_at, credited_at, credits, swept_txid FROM deposits
            WHERE account_id = ? ORDER BY seen_at DESC LIMIT 100
            """;

    private final DataSource dataSource;

    public PostgresDeposits(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Terms> terms() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(TERMS); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Terms(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4))) : Optional.empty();
        } catch (SQLException e) {
            throw new StorageException("reading the deposit terms", e);
        }
    }

    @Override
    public int indexOf(AccountId account) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(ASSIGN)) {
                ps.setObject(1, account.value());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(INDEX)) {
                ps.setObject(1, account.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("no account " + account);
                    }
                    return rs.getInt(1);
                }
            }
        } catch (SQLException e) {
            throw new StorageException("giving the account its deposit address", e);
        }
    }

    @Override
    public List<Payment> payments(AccountId account) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PAYMENTS)) {
            ps.setObject(1, account.value());
            List<Payment> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp credited = rs.getTimestamp(6);
                    long credits = rs.getLong(7);
                    Long creditsOrNull = rs.wasNull() ? null : credits;
                    out.add(new Payment(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                            credited == null ? null : credited.toInstant(), creditsOrNull, rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing the account's payments", e);
        }
    }
}
