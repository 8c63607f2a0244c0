package io.raregen.functions.support;

/** Sends an {@link ApiRequest} to one host of the application. */
public interface Transport {

    ApiResponse send(ApiRequest request);
}
