package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.http.Problem;
import io.raregen.core.types.AccountId;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sign-in with an email code, sessions, and the signed-in account's keys, jobs and credits. */
@Controller("/v1/accounts")
@Tag(name = "accounts")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountController {

    private static final int LIST_MAX = 200;

    private final AccountService service;
    private final AccountStore accounts;
    private final Sessions sessions;
    private final AccountsConfiguration config;
    private final Deposits deposits;

    public AccountController(AccountService service, AccountStore accounts, Sessions sessions, AccountsConfiguration config,
                             Deposits deposits) {
        this.deposits = deposits;
        this.service = service;
        this.accounts = accounts;
        this.sessions = sessions;
        this.config = config;
    }

    @Post(uri = "/otp", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a sign-in code", description = "Body {\"email\": \"…\"}. Mails a 6-digit code valid for 10 minutes. "
            + "The answer is the same whether or not the address has an account.")
    @ApiResponse(responseCode = "202", description = "code sent", content = @Content(schema = @Schema(implementation = CodeSent.class)))
    @ApiResponse(responseCode = "400", description = "EMAIL_INVALID / BAD_REQUEST", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "429", description = "RATE_LIMITED (per address, per client), with Retry-After", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "MAIL_UNAVAILABLE", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<CodeSent> requestCode(HttpRequest<?> request, @Nullable @Body byte[] body) {
        service.requestCode(JsonFields.of(body).text("email"), clientAddress(request));
        return HttpResponse.<CodeSent>status(HttpStatus.ACCEPTED).body(new CodeSent("sent", config.codeTtl().toSeconds()));
    }

    @Post(uri = "/session", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in with the code", description = "Body {\"email\", \"code\"}. The first sign-in of an address creates "
            + "its account (with the starter credits). Returns the session token once; send it as 'Authorization: Bearer rgs_…'.")
    @ApiResponse(responseCode = "201", description = "signed in", content = @Content(schema = @Schema(implementation = SessionStarted.class)))
    @ApiResponse(responseCode = "401", description = "OTP_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<SessionStarted> signIn(@Nullable @Body byte[] body, @Nullable @Header(HttpHeaders.USER_AGENT) String userAgent) {
        JsonFields f = JsonFields.of(body);
        AccountService.SignIn in = service.signIn(f.text("email"), f.text("code"), userAgent);
        return HttpResponse.<SessionStarted>status(HttpStatus.CREATED).body(new SessionStarted(in.token().reveal(),
                in.session().sessionId(), in.session().expiresAt(), in.accountCreated(), AccountView.of(in.account())));
    }

    @Delete(uri = "/session", consumes = MediaType.ALL)
    @Operation(summary = "Sign out: revoke the session whose token is sent")
    @ApiResponse(responseCode = "204", description = "revoked")
    @ApiResponse(responseCode = "401", description = "SESSION_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<Void> signOut(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        Session s = service.requireSession(authorization);
        sessions.revoke(s.accountId(), s.sessionId());
        return HttpResponse.noContent();
    }

    @Get(uri = "/me", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed-in account: balance, plan and keys")
    @ApiResponse(responseCode = "200", description = "the account", content = @Content(schema = @Schema(implementation = Me.class)))
    @ApiResponse(responseCode = "401", description = "SESSION_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Me me(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        Session s = service.requireSession(authorization);
        return new Me(AccountView.of(service.account(s.accountId())), accounts.keys(s.accountId()));
    }

    @Get(uri = "/me/ledger{?limit,before}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The account's credit ledger, newest first",
            description = "limit 1–200 (default 50); before: an entry id, for the page after the last one seen")
    @ApiResponse(responseCode = "200", description = "entries", content = @Content(schema = @Schema(implementation = Ledger.class)))
    public Ledger ledger(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                         @Nullable @QueryValue String limit, @Nullable @QueryValue String before) {
        Session s = service.requireSession(authorization);
        int n = limit(limit);
        Long beforeId = null;
        if (before != null) {
            try {
                beforeId = Long.parseLong(before);
            } catch (NumberFormatException e) {
                throw new ApiException(ErrorCode.PARAMETER_INVALID, "before must be a ledger entry id");
            }
        }
        Account a = service.account(s.accountId());
        return new Ledger(a.credits(), accounts.ledger(s.accountId(), n, beforeId));
    }

    @Get(uri = "/me/jobs{?limit}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The newest jobs published with the account's keys", description = "limit 1–200 (default 50)")
    @ApiResponse(responseCode = "200", description = "jobs", content = @Content(schema = @Schema(implementation = Jobs.class)))
    public Jobs jobs(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Nullable @QueryValue String limit) {
        Session s = service.requireSession(authorization);
        return new Jobs(accounts.jobs(s.accountId(), limit(limit)));
    }

    @Get(uri = "/me/deposit", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Top up in BSV: the account's deposit address, the price and the payments seen",
            description = "The address is the account's own (never another account's). A payment is credited at floor(satoshis / "
                    + "satsPerCredit) credits once it is `confirmations` blocks deep.")
    @ApiResponse(responseCode = "200", description = "the deposit address", content = @Content(schema = @Schema(implementation = Deposit.class)))
    @ApiResponse(responseCode = "503", description = "DEPOSITS_UNAVAILABLE", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Deposit deposit(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        Session s = service.requireSession(authorization);
        Deposits.Terms terms = deposits.terms().orElseThrow(() -> new ApiException(ErrorCode.DEPOSITS_UNAVAILABLE,
                "the broadcaster has not published its deposit terms yet; try again in a minute"));
        int index = deposits.indexOf(s.accountId());
        String address = io.raregen.core.keys.DepositKeys.fromXpub(terms.xpub())
                .address(index, io.raregen.core.keys.Network.parse(terms.network()));
        return new Deposit(address, terms.network(), terms.satsPerCredit(), terms.confirmations(), deposits.payments(s.accountId()));
    }

    @Get(uri = "/me/sessions", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The account's live sessions", description = "current marks the one whose token is sent")
    @ApiResponse(responseCode = "200", description = "sessions", content = @Content(schema = @Schema(implementation = SessionList.class)))
    public SessionList sessions(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        Session s = service.requireSession(authorization);
        return new SessionList(sessions.list(s.accountId()).stream()
                .map(x -> new SessionView(x.sessionId(), x.createdAt(), x.expiresAt(), x.userAgent(), x.sessionId().equals(s.sessionId())))
                .toList());
    }

    @Delete(uri = "/me/sessions/{sessionId}", consumes = MediaType.ALL)
    @Operation(summary = "Revoke one of the account's sessions (e.g. a lost laptop's)")
    @ApiResponse(responseCode = "204", description = "revoked")
    @ApiResponse(responseCode = "404", description = "SESSION_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<Void> revoke(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String sessionId) {
        Session s = service.requireSession(authorization);
        UUID id;
        try {
            id = UUID.fromString(sessionId);
            if (sessionId.length() != 36) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.SESSION_ID_INVALID, "session id must be a UUID");
        }
        if (!sessions.revoke(s.accountId(), id)) {
            throw new ApiException(ErrorCode.SESSION_NOT_FOUND, "this account has no live session " + sessionId);
        }
        return HttpResponse.noContent();
    }

    /**
     * The peer's address: on Netty the socket's, on Lambda the source IP API Gateway saw. Not a forwarding header,
     * which any client can write to slip out of its bucket.
     */
    @Nullable
    private static String clientAddress(HttpRequest<?> request) {
        java.net.InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null) {
            return null;
        }
        return peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
    }

    static int limit(@Nullable String limit) {
        if (limit == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= LIST_MAX) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(ErrorCode.PARAMETER_INVALID, "limit must be a whole number from 1 to " + LIST_MAX);
    }

    /** The answer to a code request. */
    @Serdeable
    public record CodeSent(String status, long expiresInSeconds) {
    }

    /** An account as its owner and operators see it. */
    @Serdeable
    public record AccountView(String accountId, String email, @Nullable String plan, long credits, Instant createdAt) {
        static AccountView of(Account a) {
            return new AccountView(a.id().toString(), a.email().value(), a.plan(), a.credits(), a.createdAt());
        }
    }

    /** A new session: the token is shown only here. */
    @Serdeable
    public record SessionStarted(String token, UUID sessionId, Instant expiresAt, boolean accountCreated, AccountView account) {
        @Override
        public String toString() {
            return "SessionStarted[token=***, sessionId=" + sessionId + "]";
        }
    }

    /** GET /me. */
    @Serdeable
    public record Me(AccountView account, List<AccountStore.AccountKey> keys) {
    }

    /** GET /me/ledger. */
    @Serdeable
    public record Ledger(long credits, List<LedgerEntry> entries) {
    }

    /** GET /me/jobs. */
    @Serdeable
    public record Jobs(List<AccountStore.AccountJob> jobs) {
    }

    /** A session in a list. */
    @Serdeable
    public record SessionView(UUID sessionId, Instant createdAt, Instant expiresAt, @Nullable String userAgent, boolean current) {
    }

    /** GET /me/deposit. */
    @Serdeable
    public record Deposit(String address, String network, long satsPerCredit, int confirmations, List<Deposits.Payment> payments) {
    }

    /** GET /me/sessions. */
    @Serdeable
    public record SessionList(List<SessionView> sessions) {
    }

    static AccountId accountId(String raw) {
        try {
            return AccountId.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.ACCOUNT_ID_INVALID, "account id must be a UUID");
        }
    }
}
