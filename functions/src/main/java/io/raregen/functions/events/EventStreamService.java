package io.raregen.functions.events;

import io.raregen.core.events.EventId;
import io.raregen.core.events.JobEventLog;
import io.raregen.core.types.PublicKey;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.OperatorGuard;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Where a stream of job events starts and what each read of it gives: the checks of the request (whose
 * events, from where) and the reads of the job event log ({@link JobEventLog}).
 */
@Singleton
public class EventStreamService {

    /** One subscriber: whose events ({@code key} empty = every key, for the operator) and from where. */
    public record Subscription(Optional<PublicKey> key, EventId after) {
    }

    private final DataSource dataSource;
    private final OperatorGuard operator;
    private final EventStreamConfiguration configuration;

    public EventStreamService(DataSource dataSource, OperatorGuard operator, EventStreamConfiguration configuration) {
        this.dataSource = dataSource;
        this.operator = operator;
        this.configuration = configuration;
    }

    /**
     * Checks a request and says where its stream starts: after {@code lastEventId} when given (the
     * {@code Last-Event-ID} header or the query parameter), at the head of the log when {@code from} is
     * {@code now}, else at the beginning. Every key's events need the operator token.
     */
    public Subscription subscribe(String pubkey, String lastEventId, String from, String authorization) {
        Optional<PublicKey> key;
        if (pubkey == null || pubkey.isEmpty()) {
            if (authorization == null) {
                throw new ApiException(ErrorCode.PUBKEY_INVALID,
                        "Give pubkey=<66 hex characters> for one key's events (every key's events need the operator token)");
            }
            operator.requireOperator(authorization);
            key = Optional.empty();
        } else {
            try {
                key = Optional.of(PublicKey.fromHex(pubkey));
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.PUBKEY_INVALID, "pubkey must be 66 lowercase hex characters of a compressed secp256k1 point");
            }
        }
        if (from != null && !from.equals("now") && !from.equals("start")) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID, "from must be 'start' or 'now'");
        }
        EventId after = null;
        if (lastEventId != null) {
            try {
                after = EventId.parse(lastEventId.strip());
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.EVENT_ID_INVALID, e.getMessage());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            if (after != null) {
                if (!JobEventLog.isPast(c, after)) {
                    throw new ApiException(ErrorCode.EVENT_ID_FUTURE,
                            "Event id " + after + " was never handed out by this service; resume from an id it sent");
                }
            } else {
                after = "now".equals(from) ? JobEventLog.head(c) : EventId.START;
            }
        } catch (SQLException e) {
            throw new StorageException("starting an event stream", e);
        }
        return new Subscription(key, after);
    }

    /** The next events of a subscription, and where the read after them starts. */
    public JobEventLog.Page read(Subscription subscription, EventId after) {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            return JobEventLog.readPage(c, after, subscription.key(), configuration.pageSize());
        } catch (SQLException e) {
            throw new StorageException("reading events", e);
        }
    }
}
