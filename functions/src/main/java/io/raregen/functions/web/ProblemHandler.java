package io.raregen.functions.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.serde.annotation.SerdeImport;
import io.raregen.core.http.Problem;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: our typed {@link ApiException}s, and every
 * error the framework produces itself (no route, wrong method, wrong content type, body too
 * large, unexpected exceptions), all as {@code application/problem+json} with a stable code.
 */
@Singleton
@SerdeImport(Problem.class)
@Produces(Problem.MEDIA_TYPE)
@Replaces(ErrorResponseProcessor.class)
public class ProblemHandler implements ExceptionHandler<ApiException, HttpResponse<Problem>>, ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    public MutableHttpResponse<Problem> handle(HttpRequest request, ApiException e) {
        if (e instanceof StorageException) {
            // expected while the database is away (every request fails alike): one line each, not a stack trace
            LOG.warn("{} {} failed with {}: {}", request.getMethod(), request.getPath(), e.code(), rootCause(e));
        } else if (e.status() >= 500) {
            LOG.error("{} {} failed with {}", request.getMethod(), request.getPath(), e.code(), e);
        } else {
            LOG.debug("{} {} rejected with {}: {}", request.getMethod(), request.getPath(), e.code(), e.getMessage());
        }
        Problem problem = Problem.of(e.code(), e.title(), e.status(), e.getMessage(), request.getPath());
        MutableHttpResponse<Problem> response = HttpResponse.<Problem>status(HttpStatus.valueOf(e.status()))
                .contentType(Problem.MEDIA_TYPE)
                .body(problem);
        if (e instanceof RateLimitedException limited) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
        }
        return response;
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.getMessage() : t.getMessage() + " (" + root + ")";
    }

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        ErrorCode decoderLimit = DecoderLimits.exceeded(context.getRequest());
        if (decoderLimit != null) {
            response.status(decoderLimit.status());
        }
        int status = response.code();
        ErrorCode code = decoderLimit != null ? decoderLimit : ErrorCode.forStatus(status);
        String detail;
        if (status >= 500) {
            // the framework already logged the cause; never echo internals to the client
            detail = "Unexpected server error; see the server log";
        } else if (decoderLimit != null) {
            detail = decoderLimit == ErrorCode.URI_TOO_LONG
                    ? "the request line is longer than the server accepts" : "the request headers are larger than the server accepts";
        } else {
            detail = context.getErrors().stream().map(Error::getMessage).findFirst().orElse(code.title());
        }
        // a request the decoder refused has no path of its own (Netty names it /bad-request)
        String path = context.getRequest() == null || decoderLimit != null ? null : context.getRequest().getPath();
        Problem problem = Problem.of(code.name(), code.title(), status, detail, path);
        return ((MutableHttpResponse<Problem>) response).contentType(Problem.MEDIA_TYPE).body(problem);
    }
}
