package io.raregen.broadcaster.funding;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

/** Maps {@link FundingException} to {@code {"code", "message"}} with its HTTP status. */
@Produces
@Singleton
@Requires(classes = {FundingException.class, ExceptionHandler.class})
public class FundingExceptionHandler implements ExceptionHandler<FundingException, HttpResponse<FundingExceptionHandler.Error>> {

    @Serdeable
    public record Error(String code, String message) {
    }

    @Override
    public HttpResponse<Error> handle(HttpRequest request, FundingException e) {
        return HttpResponse.<Error>status(HttpStatus.valueOf(e.httpStatus())).body(new Error(e.code(), e.getMessage()));
    }
}
