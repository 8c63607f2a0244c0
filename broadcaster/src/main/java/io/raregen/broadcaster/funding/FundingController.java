package io.raregen.broadcaster.funding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.broadcaster.replenish.Replenisher;
import io.raregen.broadcaster.utxo.PoolMetrics;
import io.raregen.broadcaster.utxo.PoolSnapshot;
import io.raregen.broadcaster.web.OperatorToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The pool's operator surface on the broadcaster's port, every endpoint behind the operator token
 * ({@code raregen.admin.token}, {@link OperatorToken}): the funding address, the pool's figures with the
 * conservation check, funding import, replenish and consolidate on demand. Controllers only translate HTTP; the work is in {@link FundingService} and
 * {@link Replenisher}.
 */
@Controller("/v1/pool")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FundingController {

    /** Body of POST /v1/pool/funding. {@code confirmed}: the funding transaction is already mined. */
    @Serdeable
    public record ImportRequest(String outpoint, String rawTx, @Nullable Boolean confirmed) {
    }

    /** GET /v1/pool. */
    @Serdeable
    public record PoolView(FundingService.FundingAddress funding, Map<String, Long> countByStatus,
                           Map<String, Long> satsByStatus, long publishAvailable, long fundingAvailableSats,
                           long totalUnspentSats, long feesPaidSats, long retiredSats, long fundedSats,
                           long conservationGapSats, boolean conserved, long alertThreshold, boolean lowDepthAlert) {
    }

    /** Result of an on-demand round. */
    @Serdeable
    public record RoundView(int transactionsSigned, int outputsCreated, int accepted, int pending, int rejected) {
        static RoundView of(Replenisher.Round r) {
            return new RoundView(r.transactionsSigned(), r.outputsCreated(), r.accepted(), r.pending(), r.rejected());
        }
    }

    private final FundingService funding;
    private final Replenisher replenisher;
    private final PoolMetrics metrics;
    private final OperatorToken operator;
    private final JsonMapper json;

    public FundingController(FundingService funding, Replenisher replenisher, PoolMetrics metrics, OperatorToken operator,
                             JsonMapper json) {
        this.funding = funding;
        this.replenisher = replenisher;
        this.metrics = metrics;
        this.operator = operator;
        this.json = json;
    }

    @Get("/funding-address")
    public FundingService.FundingAddress fundingAddress(@Nullable @Header("Authorization") String authorization) {
        operator.require(authorization);
        return funding.fundingAddress();
    }

    @Get
    public PoolView pool(@Nullable @Header("Authorization") String authorization) {
        operator.require(authorization);
        PoolSnapshot s = metrics.refreshAll();
        return new PoolView(funding.fundingAddress(), s.countByStatus(), s.satsByStatus(), s.publishAvailable(),
                s.fundingAvailableSats(), s.totalUnspentSats(), s.feesPaidSats(), s.retiredSats(), s.fundedSats(),
                s.conservationGapSats(), s.conservationGapSats() == 0, metrics.alertThreshold(), metrics.isLow());
    }

    @Post("/funding")
    public HttpResponse<FundingService.Imported> importFunding(@Nullable @Header("Authorization") String authorization,
                                                              @Nullable @Body byte[] body) {
        // The body is taken raw and decoded only after the token check: a caller without the token learns
        // nothing from how its body parses, and a malformed body gets a stable code instead of the framework's
        // generic conversion error.
        operator.require(authorization);
        ImportRequest request = parseImport(body == null ? null : new String(body, StandardCharsets.UTF_8));
        FundingService.Imported imported = funding.importOutput(request.outpoint(), request.rawTx(),
                Boolean.TRUE.equals(request.confirmed()) ? 0 : 1);
        return imported.added() ? HttpResponse.created(imported) : HttpResponse.ok(imported);
    }

    @Post("/replenish")
    public RoundView replenish(@Nullable @Header("Authorization") String authorization) {
        operator.require(authorization);
        return RoundView.of(replenisher.runOnce());
    }

    @Post("/consolidate")
    public RoundView consolidate(@Nullable @Header("Authorization") String authorization) {
        operator.require(authorization);
        return RoundView.of(replenisher.consolidateOnce());
    }

    private ImportRequest parseImport(String body) {
        if (body == null || body.isBlank()) {
            throw new FundingException("MISSING_FIELD", 400, "body needs outpoint and rawTx");
        }
        ImportRequest request;
        try {
            request = json.readValue(body, ImportRequest.class);
        } catch (IOException | RuntimeException e) {
            throw new FundingException("MALFORMED_BODY", 400,
                    "body must be a JSON object {\"outpoint\": string, \"rawTx\": hex string, \"confirmed\": boolean}");
        }
        if (request == null) {
            throw new FundingException("MISSING_FIELD", 400, "body needs outpoint and rawTx");
        }
        return request;
    }
}
