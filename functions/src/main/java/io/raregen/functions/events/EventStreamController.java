package io.raregen.functions.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.raregen.core.events.EventId;
import io.raregen.core.events.JobEvent;
import io.raregen.core.events.JobEventLog;
import io.raregen.core.http.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /v1/events}: the job events of one key (or, for the operator, of every key) as Server-Sent
 * Events, resumable with {@code Last-Event-ID}. docs/EVENTS.md describes the stream.
 */
@Controller("/v1/events")
@Tag(name = "events")
public class EventStreamController {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreamController.class);

    private final EventStreamService service;
    private final EventStreamConfiguration configuration;

    /**
     * {@code idleTimeout} is the server's ({@code micronaut.server.idle-timeout}): a response quiet for that long is
     * cut mid-stream (the browser reports an incomplete chunked encoding and reconnects), so a heartbeat must come
     * sooner.
     */
    public EventStreamController(EventStreamService service, EventStreamConfiguration configuration,
                                 @io.micronaut.context.annotation.Value("${micronaut.server.idle-timeout:5m}") java.time.Duration idleTimeout) {
        if (configuration.heartbeat().compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("raregen.events.heartbeat (" + configuration.heartbeat()
                    + ") must be shorter than micronaut.server.idle-timeout (" + idleTimeout
                    + "): a quiet stream would be cut by the server before its heartbeat");
        }
        this.service = service;
        this.configuration = configuration;
    }

    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "Job events as Server-Sent Events (job.sent, job.mined, job.failed, job.reorged)",
            description = "One key's events with pubkey=<hex>; every key's with the operator token and no pubkey. "
                    + "Resumes after the id in the Last-Event-ID header (or the lastEventId parameter); without one it starts at "
                    + "the beginning of the log, or at its head with from=now. The first event is 'ready' (with the position), "
                    + "then one event per status change, named by its type, with the event's JSON as data and its id; "
                    + "'heartbeat' events carry the position when nothing happens. A response ends after raregen.events.window; "
                    + "EventSource reconnects with the last id it saw.")
    @ApiResponse(responseCode = "200", description = "the stream", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM))
    @ApiResponse(responseCode = "400", description = "PUBKEY_INVALID, EVENT_ID_INVALID, EVENT_ID_FUTURE, PARAMETER_INVALID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED (no pubkey and a wrong operator token)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Publisher<Event<String>> events(@Nullable @QueryValue String pubkey,
                                           @Nullable @QueryValue String lastEventId,
                                           @Nullable @QueryValue String from,
                                           @Nullable @Header("Last-Event-ID") String lastEventIdHeader,
                                           @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        EventStreamService.Subscription subscription = service.subscribe(pubkey,
                lastEventIdHeader != null ? lastEventIdHeader : lastEventId, from, authorization);
        AtomicReference<EventId> position = new AtomicReference<>(subscription.after());
        long heartbeatTicks = Math.max(1, configuration.heartbeat().toMillis() / Math.max(1, configuration.pollInterval().toMillis()));
        AtomicLong quietTicks = new AtomicLong();

        Event<String> ready = Event.of(json(position.get()))
                .name("ready").id(position.get().toString()).retry(configuration.retry());
        Flux<List<Event<String>>> reads = Flux.interval(configuration.pollInterval(), configuration.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromCallable(() -> service.read(subscription, position.get()))
                        .subscribeOn(Schedulers.boundedElastic()), 1)
                .map(page -> {
                    position.set(page.position());
                    List<Event<String>> out = new ArrayList<>(page.events().size() + 1);
                    for (JobEvent e : page.events()) {
                        out.add(Event.of(e.toJson()).name(e.type()).id(e.id().toString()));
                    }
                    if (out.isEmpty() && quietTicks.incrementAndGet() >= heartbeatTicks) {
                        quietTicks.set(0);
                        out.add(Event.of(json(page.position())).name("heartbeat").id(page.position().toString()));
                    } else if (!out.isEmpty()) {
                        quietTicks.set(0);
                    }
                    return out;
                })
                .takeUntil(events -> configuration.closeAfterFirstBatch() && events.stream().anyMatch(EventStreamController::isJobEvent))
                .take(configuration.window())
                .onErrorResume(e -> {
                    // the client reconnects with the last id it saw; nothing is lost by ending here
                    LOG.warn("event stream ended early: {}", e.toString());
                    return Flux.empty();
                });
        return Flux.concat(Flux.just(ready), reads.concatMapIterable(events -> events));
    }

    private static boolean isJobEvent(Event<String> e) {
        return e.getName() != null && e.getName().startsWith("job.");
    }

    private static String json(EventId position) {
        return "{\"position\":\"" + position + "\"}";
    }
}
