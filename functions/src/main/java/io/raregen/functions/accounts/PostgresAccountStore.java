package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.accounts.EmailAddress;
import io.raregen.core.types.AccountId;
import io.raregen.core.types.PublicKey;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AccountStore} on {@code accounts}, {@code account_balances}, {@code credit_ledger} and
 * {@code identities.account_id} (V34). Every balance change is made with its ledger row in one transaction.
 */
@Singleton
public class PostgresAccountStore implements AccountStore {

    private static final String ACCOUNT = """
            SELECT a.account_id, a.email, a.plan, b.credits, a.created_at
            FROM accounts a JOIN account_balances b ON b.account_id = a.account_id
            """;
    private static final String CREATE = "INSERT INTO accounts (account_id, email) VALUES (?, ?) ON CONFLICT (email) DO NOTHING";
    private static final String CREATE_BALANCE = "INSERT INTO account_balances (account_id, credits) VALUES (?, 0)";
    private static final String ENTRY_COLUMNS = "entry_id, delta, kind, jobs, job_id, reference, note, created_at";
    private static final String ADD_ENTRY = "INSERT INTO credit_ledger (account_id, delta, kind, reference, note) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT (account_id, kind, reference) WHERE reference IS NOT NULL DO NOTHING RETURNING " + ENTRY_COLUMNS;
    private static final String FIND_ENTRY = "SELECT " + ENTRY_COLUMNS + " FROM credit_ledger WHERE account_id = ? AND kind = ? AND reference = ?";
    private static final String ADD_CREDITS = "UPDATE account_balances SET credits = credits + ? WHERE account_id = ? RETURNING credits";
    private static final String BALANCE = "SELECT credits FROM account_balances WHERE account_id = ?";
    private static final String LOCK_ACCOUNT = "SELECT 1 FROM account_balances WHERE account_id = ? FOR UPDATE";
    private static final String LEDGER = "SELECT " + ENTRY_COLUMNS + " FROM credit_ledger WHERE account_id = ? AND entry_id < ? "
            + "ORDER BY entry_id DESC LIMIT ?";
    private static final String KEYS = "SELECT pubkey, status, created_at FROM identities WHERE account_id = ? ORDER BY created_at DESC";
    private static final String JOBS = """
            SELECT j.job_id, j.pubkey, s.status, j.created_at, j.txid
            FROM identities i
            CROSS JOIN LATERAL (SELECT job_id, pubkey, created_at, txid FROM publish_jobs p
                                WHERE p.pubkey = i.pubkey ORDER BY created_at DESC LIMIT ?) j
            JOIN job_states s ON s.job_id = j.job_id
            WHERE i.account_id = ?
            ORDER BY j.created_at DESC LIMIT ?
            """;
    // binds a key of no account; answers the owner either way
    private static final String BIND = """
            WITH b AS (UPDATE identities SET account_id = ? WHERE pubkey = ? AND account_id IS NULL RETURNING account_id)
            SELECT account_id FROM b UNION ALL SELECT account_id FROM identities WHERE pubkey = ? LIMIT 1
            """;
    private static final String OWNER = "SELECT account_id FROM identities WHERE pubkey = ?";

    private final DataSource dataSource;

    public PostgresAccountStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public SignedIn signIn(EmailAddress email, long starterCredits) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                AccountId id = AccountId.generate();
                boolean created;
                try (PreparedStatement ps = c.prepareStatement(CREATE)) {
                    ps.setObject(1, id.value());
                    ps.setString(2, email.value());
                    created = ps.executeUpdate() == 1;
                }
                if (created) {
                    try (PreparedStatement ps = c.prepareStatement(CREATE_BALANCE)) {
                        ps.setObject(1, id.value());
                        ps.executeUpdate();
                    }
                    if (starterCredits > 0) {
                        addEntry(c, id, starterCredits, "starter", null, "credits every new account starts with");
                        addCredits(c, id, starterCredits);
                    }
                }
                Account account = one(c, ACCOUNT + " WHERE a.email = ?", email.value())
                        .orElseThrow(() -> new SQLException("account neither created nor found"));
                c.commit();
                return new SignedIn(account, created);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("signing in", e);
        }
    }

    @Override
    public Optional<Account> find(AccountId id) {
        try (Connection c = dataSource.getConnection()) {
            return one(c, ACCOUNT + " WHERE a.account_id = ?", id.value());
        } catch (SQLException e) {
            throw new StorageException("reading the account", e);
        }
    }

    @Override
    public Optional<Account> findByEmail(EmailAddress email) {
        try (Connection c = dataSource.getConnection()) {
            return one(c, ACCOUNT + " WHERE a.email = ?", email.value());
        } catch (SQLException e) {
            throw new StorageException("reading the account", e);
        }
    }

    @Override
    public List<AccountKey> keys(AccountId id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(KEYS)) {
            ps.setObject(1, id.value());
            List<AccountKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccountKey(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing the account's keys", e);
        }
    }

    @Override
    public List<LedgerEntry> ledger(AccountId id, int limit, @Nullable Long before) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LEDGER)) {
            ps.setObject(1, id.value());
            ps.setLong(2, before == null ? Long.MAX_VALUE : before);
            ps.setInt(3, limit);
            List<LedgerEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("reading the ledger", e);
        }
    }

    @Override
    public List<AccountJob> jobs(AccountId id, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(JOBS)) {
            ps.setInt(1, limit);
            ps.setObject(2, id.value());
            ps.setInt(3, limit);
            List<AccountJob> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccountJob(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing the account's jobs", e);
        }
    }

    @Override
    public Optional<Credited> credit(AccountId id, long credits, String kind, @Nullable String reference, @Nullable String note) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<Credited> result = credit(c, id, credits, kind, reference, note);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("adding credits", e);
        }
    }

    private static Optional<Credited> credit(Connection c, AccountId id, long credits, String kind,
                                             @Nullable String reference, @Nullable String note) throws SQLException {
        // the balance row first: it orders concurrent grants to one account, and tells a missing account
        try (PreparedStatement ps = c.prepareStatement(LOCK_ACCOUNT)) {
            ps.setObject(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
        }
        Optional<LedgerEntry> added = addEntry(c, id, credits, kind, reference, note);
        if (added.isPresent()) {
            return Optional.of(new Credited(added.get(), addCredits(c, id, credits), false));
        }
        LedgerEntry first;
        try (PreparedStatement ps = c.prepareStatement(FIND_ENTRY)) {
            ps.setObject(1, id.value());
            ps.setString(2, kind);
            ps.setString(3, reference);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("ledger entry neither added nor found");
                }
                first = entry(rs);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(BALANCE)) {
            ps.setObject(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new Credited(first, rs.getLong(1), true));
            }
        }
    }

    @Override
    public Binding bind(PublicKey key, AccountId id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(BIND)) {
            ps.setObject(1, id.value());
            ps.setString(2, key.hex());
            ps.setString(3, key.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("binding a key that is not registered");
                }
                return id.value().equals(rs.getObject(1, UUID.class)) ? Binding.BOUND : Binding.OTHER_ACCOUNT;
            }
        } catch (SQLException e) {
            throw new StorageException("binding the key", e);
        }
    }

    @Override
    public Optional<AccountId> owner(PublicKey key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(OWNER)) {
            ps.setString(1, key.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                UUID owner = rs.getObject(1, UUID.class);
                return owner == null ? Optional.empty() : Optional.of(new AccountId(owner));
            }
        } catch (SQLException e) {
            throw new StorageException("reading the key's account", e);
        }
    }

    private static Optional<LedgerEntry> addEntry(Connection c, AccountId id, long delta, String kind,
                                                  @Nullable String reference, @Nullable String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ADD_ENTRY)) {
            ps.setObject(1, id.value());
            ps.setLong(2, delta);
            ps.setString(3, kind);
            if (reference == null) {
                ps.setNull(4, Types.VARCHAR);
            } else {
                ps.setString(4, reference);
            }
            ps.setString(5, note);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        }
    }

    private static long addCredits(Connection c, AccountId id, long credits) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ADD_CREDITS)) {
            ps.setLong(1, credits);
            ps.setObject(2, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<Account> one(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Account(new AccountId(rs.getObject(1, UUID.class)), new EmailAddress(rs.getString(2)),
                        rs.getString(3), rs.getLong(4), rs.getTimestamp(5).toInstant()));
            }
        }
    }

    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        int count = rs.getInt(4);
        Integer jobs = rs.wasNull() ? null : count;
        return new LedgerEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), jobs,
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant());
    }
}
