package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.http.Problem;
import io.raregen.core.types.AccountId;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.OperatorGuard;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** Operator view of accounts and credit grants; every call needs the operator token. */
@Controller("/v1/ops/accounts")
@Tag(name = "operator")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperatorAccountController {

    /** Most credits one grant may add. */
    static final long GRANT_MAX = 1_000_000_000L;
    private static final int TEXT_MAX = 200;

    private final OperatorGuard operator;
    private final AccountService service;
    private final AccountStore accounts;
    private final PlanStore plans;

    public OperatorAccountController(OperatorGuard operator, AccountService service, AccountStore accounts, PlanStore plans) {
        this.plans = plans;
        this.operator = operator;
        this.service = service;
        this.accounts = accounts;
    }

    @Get(uri = "{?email}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Find an account by email (operator)")
    @ApiResponse(responseCode = "200", description = "the account", content = @Content(schema = @Schema(implementation = OperatorView.class)))
    @ApiResponse(responseCode = "404", description = "ACCOUNT_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public OperatorView find(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Nullable @QueryValue String email) {
        operator.requireOperator(authorization);
        Account a = accounts.findByEmail(AccountService.email(email))
                .orElseThrow(() -> new ApiException(ErrorCode.ACCOUNT_NOT_FOUND, "no account has that address"));
        return view(a);
    }

    @Get(uri = "/{accountId}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "An account, its keys and its newest ledger entries (operator)")
    @ApiResponse(responseCode = "200", description = "the account", content = @Content(schema = @Schema(implementation = OperatorView.class)))
    public OperatorView get(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String accountId) {
        operator.requireOperator(authorization);
        return view(service.account(AccountController.accountId(accountId)));
    }

    @Post(uri = "/{accountId}/grants", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Grant credits (operator)", description = "Body {\"credits\": N, \"note\": \"…\", \"reference\": \"…\"}. "
            + "With a reference the grant happens once: the same reference again answers 200 with the first entry.")
    @ApiResponse(responseCode = "201", description = "granted", content = @Content(schema = @Schema(implementation = Granted.class)))
    @ApiResponse(responseCode = "200", description = "a grant with this reference was already made", content = @Content(schema = @Schema(implementation = Granted.class)))
    @ApiResponse(responseCode = "400", description = "CREDITS_INVALID / ACCOUNT_ID_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "ACCOUNT_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<Granted> grant(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                       @PathVariable String accountId, @Nullable @Body byte[] body) {
        operator.requireOperator(authorization);
        AccountId id = AccountController.accountId(accountId);
        JsonFields f = JsonFields.of(body);
        String detail = "credits must be a whole number from 1 to " + GRANT_MAX;
        Long credits = f.whole("credits", ErrorCode.CREDITS_INVALID, detail);
        if (credits == null || credits < 1 || credits > GRANT_MAX) {
            throw new ApiException(ErrorCode.CREDITS_INVALID, detail);
        }
        String note = bounded(f.text("note"), "note");
        String reference = bounded(f.text("reference"), "reference");
        AccountStore.Credited c = accounts.credit(id, credits, "grant", reference, note)
                .orElseThrow(() -> new ApiException(ErrorCode.ACCOUNT_NOT_FOUND, "no account " + id));
        return HttpResponse.<Granted>status(c.repeated() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new Granted(c.entry(), c.balance(), c.repeated()));
    }

    @Put(uri = "/{accountId}/plan", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Put an account on a plan, or on none (operator)", description = "Body {\"plan\": \"pro\"} or {\"plan\": null}. "
            + "The plan's monthly allowance is granted by the broadcaster within the hour, once per calendar month.")
    @ApiResponse(responseCode = "200", description = "the account", content = @Content(schema = @Schema(implementation = OperatorView.class)))
    @ApiResponse(responseCode = "404", description = "ACCOUNT_NOT_FOUND / PLAN_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public OperatorView assignPlan(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                   @PathVariable String accountId, @Nullable @Body byte[] body) {
        operator.requireOperator(authorization);
        AccountId id = AccountController.accountId(accountId);
        String plan = JsonFields.of(body).text("plan");
        if (plan != null) {
            planName(plan);
        }
        switch (plans.assign(id, plan)) {
            case NO_SUCH_ACCOUNT -> throw new ApiException(ErrorCode.ACCOUNT_NOT_FOUND, "no account " + id);
            case NO_SUCH_PLAN -> throw new ApiException(ErrorCode.PLAN_NOT_FOUND, "no plan " + plan + " (PUT /v1/ops/plans/" + plan + " first)");
            default -> {
                return view(service.account(id));
            }
        }
    }

    static void planName(String name) {
        if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new ApiException(ErrorCode.PLAN_NAME_INVALID, "a plan name is 1-32 characters of a-z, 0-9 and '-', starting with a letter");
        }
    }

    private OperatorView view(Account a) {
        return new OperatorView(AccountController.AccountView.of(a), accounts.keys(a.id()), accounts.ledger(a.id(), 20, null));
    }

    @Nullable
    private static String bounded(@Nullable String s, String name) {
        if (s == null) {
            return null;
        }
        if (s.isBlank() || s.length() > TEXT_MAX || s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, name + " must be 1–" + TEXT_MAX + " printable characters");
        }
        return s;
    }

    /** An account as operators see it. */
    @Serdeable
    public record OperatorView(AccountController.AccountView account, List<AccountStore.AccountKey> keys, List<LedgerEntry> ledger) {
    }

    /** The result of a grant. */
    @Serdeable
    public record Granted(LedgerEntry entry, long credits, boolean repeated) {
    }
}
