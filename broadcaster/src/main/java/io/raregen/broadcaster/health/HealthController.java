package io.raregen.broadcaster.health;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.LinkedHashMap;
import java.util.Map;

/** GET /health: UP when every loop and receiver beat within three of its intervals; each beat listed. */
@Controller
public class HealthController {
    private final Heartbeats heartbeats;

    public HealthController(Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
    }

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> health() {
        Map<String, Object> loops = new LinkedHashMap<>();
        heartbeats.statuses().forEach((name, s) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("lastBeat", s.lastBeat().toString());
            one.put("ageMillis", s.ageMillis());
            one.put("healthy", s.healthy());
            loops.put(name, one);
        });
        boolean up = heartbeats.healthy();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("loops", loops);
        return HttpResponse.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
