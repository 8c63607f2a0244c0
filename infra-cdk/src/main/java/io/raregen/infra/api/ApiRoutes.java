package io.raregen.infra.api;

import java.util.List;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;

/**
 * Which of the three functions serves which route (docs/ARCHITECTURE.md). The split keeps each function's
 * IAM role to what its routes need: only intake may send to the queue or read the admin token.
 */
public final class ApiRoutes {

    private ApiRoutes() {
    }

    /** The three deployments of the one functions jar. */
    public enum ApiFunctionKind {
        INTAKE, VERIFICATION, STATUS
    }

    /** One route; {@code key()} is API Gateway's route key, e.g. {@code POST /v1/publish}. */
    public record Route(ApiFunctionKind function, HttpMethod method, String path) {
        public String key() {
            return method.name() + " " + path;
        }
    }

    public static final List<Route> ALL = List.of(
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/identities"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/identities/{pubkey}/revoke"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/publish"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.PUT, "/v1/identities/{pubkey}/backup-share"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.DELETE, "/v1/identities/{pubkey}/backup-share"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/identities/{pubkey}/backup-share"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/identities/{pubkey}"),
            // webhooks: signed writes on intake (it verifies envelopes); the open dead-letter read on status
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/webhooks"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/webhooks/list"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/webhooks/{id}/delete"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/webhooks/{id}/replay"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/webhooks/{id}/dead-letters"),
            new Route(ApiFunctionKind.VERIFICATION, HttpMethod.POST, "/v1/verify"),
            new Route(ApiFunctionKind.VERIFICATION, HttpMethod.GET, "/v1/jobs/{id}/proof"),
            new Route(ApiFunctionKind.VERIFICATION, HttpMethod.GET, "/v1/jobs/{id}/receipt"),
            new Route(ApiFunctionKind.VERIFICATION, HttpMethod.GET, "/v1/service-keys"),
            new Route(ApiFunctionKind.VERIFICATION, HttpMethod.POST, "/v1/callbacks/arc"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/jobs/{id}"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/events"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/batches/{id}"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/health"),
            // operator reads and re-drive: intake already holds the admin token and the queue send (the status
            // function has no admin token, so an operator route there could only answer 403)
            new Route(ApiFunctionKind.INTAKE, HttpMethod.GET, "/v1/pool"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.GET, "/v1/ops/series"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.GET, "/v1/ops/summary"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.GET, "/v1/ops/failed-jobs"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/ops/jobs/{id}/retry"),
            // accounts (docs/ACCOUNTS.md): the intake function holds the SES permission
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/accounts/otp"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/accounts/session"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.DELETE, "/v1/accounts/session"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/accounts/me"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/accounts/me/ledger"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/accounts/me/jobs"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/accounts/me/sessions"),
            new Route(ApiFunctionKind.STATUS, HttpMethod.GET, "/v1/accounts/me/deposit"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.DELETE, "/v1/accounts/me/sessions/{id}"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.GET, "/v1/ops/accounts"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.GET, "/v1/ops/accounts/{id}"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.POST, "/v1/ops/accounts/{id}/grants"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.PUT, "/v1/ops/accounts/{id}/plan"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.GET, "/v1/ops/plans"),
            new Route(ApiFunctionKind.INTAKE, HttpMethod.PUT, "/v1/ops/plans/{name}"));

    /** Routes with a tighter limit than the stage default: writes that cost money or database rows. */
    public static final String PUBLISH_ROUTE = "POST /v1/publish";
    public static final String REGISTER_ROUTE = "POST /v1/identities";
    public static final String REVOKE_ROUTE = "POST /v1/identities/{pubkey}/revoke";
}
