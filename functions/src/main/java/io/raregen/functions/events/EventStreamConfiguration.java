package io.raregen.functions.events;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The event stream's settings ({@code raregen.events.*}). One response of {@code GET /v1/events} stays
 * open for {@code window}, reading the job event log every {@code pollInterval}; then it ends, and the
 * browser's EventSource reconnects after {@code retry} with the last id it saw, so nothing is missed.
 *
 * @param window               how long one response stays open; default 30 s. The Lambda host sets less
 *                             (API Gateway buffers a Lambda's answer and gives up after 30 s)
 * @param pollInterval         how often an open response reads the log; default 1 s
 * @param heartbeat            a {@code heartbeat} event after this long without events, so proxies keep
 *                             the connection and the client learns the position; default 5 s, and it must be
 *                             shorter than the server's idle timeout (10 s), which cuts a quiet response
 * @param retry                the reconnection delay the stream asks of the client ({@code retry:}); default 1 s
 * @param closeAfterFirstBatch end the response as soon as it has sent events (a long poll): what a host
 *                             that buffers the answer needs; default false
 * @param pageSize             at most this many events per read; default 500
 */
@ConfigurationProperties("raregen.events")
public record EventStreamConfiguration(
        @Bindable(defaultValue = "30s") Duration window,
        @Bindable(defaultValue = "1s") Duration pollInterval,
        @Bindable(defaultValue = "5s") Duration heartbeat,
        @Bindable(defaultValue = "1s") Duration retry,
        @Bindable(defaultValue = "false") boolean closeAfterFirstBatch,
        @Bindable(defaultValue = "500") int pageSize) {
}
