package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.http.Problem;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.OperatorGuard;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** Plans, a monthly allowance of credits (operator; docs/ACCOUNTS.md#plans). */
@Controller("/v1/ops/plans")
@Tag(name = "operator")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperatorPlanController {

    private final OperatorGuard operator;
    private final PlanStore plans;

    public OperatorPlanController(OperatorGuard operator, PlanStore plans) {
        this.operator = operator;
        this.plans = plans;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The plans (operator)")
    @ApiResponse(responseCode = "200", description = "plans", content = @Content(schema = @Schema(implementation = PlanList.class)))
    public PlanList plans(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        operator.requireOperator(authorization);
        return new PlanList(plans.list());
    }

    @Put(uri = "/{name}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a plan or change its monthly allowance (operator)", description = "Body {\"monthlyCredits\": N}.")
    @ApiResponse(responseCode = "200", description = "the plan", content = @Content(schema = @Schema(implementation = PlanStore.Plan.class)))
    @ApiResponse(responseCode = "400", description = "PLAN_NAME_INVALID / CREDITS_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PlanStore.Plan putPlan(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                  @PathVariable String name, @Nullable @Body byte[] body) {
        operator.requireOperator(authorization);
        OperatorAccountController.planName(name);
        String detail = "monthlyCredits must be a whole number from 1 to " + OperatorAccountController.GRANT_MAX;
        Long credits = JsonFields.of(body).whole("monthlyCredits", ErrorCode.CREDITS_INVALID, detail);
        if (credits == null || credits < 1 || credits > OperatorAccountController.GRANT_MAX) {
            throw new ApiException(ErrorCode.CREDITS_INVALID, detail);
        }
        return plans.put(name, credits);
    }

    /** GET /v1/ops/plans. */
    @Serdeable
    public record PlanList(List<PlanStore.Plan> plans) {
    }

}
