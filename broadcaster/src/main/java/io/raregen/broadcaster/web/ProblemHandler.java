package io.raregen.broadcaster.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.serde.annotation.SerdeImport;
import io.raregen.core.http.Problem;
import jakarta.inject.Singleton;

/**
 * Every error on the broadcaster's port in the API's one format ({@link Problem}, {@code application/problem+json},
 * a stable {@code code}): refused operator requests ({@link ProblemException}) and what the framework answers itself
 * (no route, wrong method, unreadable body, unexpected exceptions).
 */
@Singleton
@SerdeImport(Problem.class)
@Produces(Problem.MEDIA_TYPE)
@Replaces(ErrorResponseProcessor.class)
public class ProblemHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>>, ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> handle(HttpRequest request, ProblemException e) {
        Problem problem = Problem.of(e.code(), HttpStatus.valueOf(e.httpStatus()).getReason(), e.httpStatus(), e.getMessage(),
                request.getPath());
        return HttpResponse.<Problem>status(HttpStatus.valueOf(e.httpStatus())).contentType(Problem.MEDIA_TYPE).body(problem);
    }

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        // the framework logged the cause of a 5xx; it never goes to the client
        String detail = status >= 500 ? "Unexpected server error; see the server log"
                : context.getErrors().stream().map(Error::getMessage).findFirst().orElse(response.reason());
        String path = context.getRequest() == null ? null : context.getRequest().getPath();
        Problem problem = Problem.of(codeFor(status), response.reason(), status, detail, path);
        return ((MutableHttpResponse<Problem>) response).contentType(Problem.MEDIA_TYPE).body(problem);
    }

    /** The API's codes for the statuses the framework produces (docs/API.md, "Application error codes"). */
    static String codeFor(int status) {
        return switch (status) {
            case 401 -> "UNAUTHORIZED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 408 -> "REQUEST_TIMEOUT";
            case 413 -> "BODY_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 431 -> "HEADERS_TOO_LARGE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
    }
}
