package io.raregen.broadcaster.receive;

import io.raregen.core.types.JobId;
import io.raregen.core.types.Ulid;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueueMessagesTest {
    private static final JobId A = new JobId("01ARZ3NDEKTSV4RRFFQ69G5FAV");
    private static final JobId B = new JobId("01BX5ZZKBKACTAV9WEVGEMMVRZ");

    @Test
    void theSingularForm_namesOneJob() {
        assertEquals(Optional.of(List.of(A)), QueueMessages.jobIds("{\"jobId\":\"" + A + "\"}"));
        assertEquals(Optional.of(List.of(A)), QueueMessages.jobIds(QueueMessages.body(A)));
    }

    @Test
    void thePackedForm_namesEachJobOnce_inOrder() {
        assertEquals(Optional.of(List.of(B, A)), QueueMessages.jobIds("{\"jobIds\":[\"" + B + "\",\"" + A + "\",\"" + B + "\"]}"));
        assertEquals(Optional.of(List.of(A, B)), QueueMessages.jobIds(QueueMessages.body(List.of(A, B))));
        assertEquals("{\"jobId\":\"" + A + "\"}", QueueMessages.body(List.of(A)), "one id: the singular form");
    }

    @Test
    void anythingElse_isPoison() {
        List<String> poison = new ArrayList<>(List.of(
                "not json", "[]", "\"" + A + "\"", "{}", "{\"jobId\":\"nope\"}", "{\"jobId\":42}",
                "{\"jobIds\":[]}", "{\"jobIds\":\"" + A + "\"}", "{\"jobIds\":[\"" + A + "\",\"nope\"]}",
                "{\"jobIds\":[\"" + A + "\",7]}", "{\"jobId\":\"" + A + "\",\"jobIds\":[\"" + B + "\"]}"));
        // ids that are no JobId: lower case (as sent: not normalised), too short, a time part past 48 bits, a letter
        // Crockford base32 leaves out; alone or among valid ids
        for (String bad : List.of(A.value().toLowerCase(), A.value().substring(1), "8" + A.value().substring(1),
                A.value().substring(0, 25) + "U")) {
            poison.add("{\"jobId\":\"" + bad + "\"}");
            poison.add("{\"jobIds\":[\"" + A + "\",\"" + bad + "\",\"" + B + "\"]}");
        }
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= QueueMessages.MAX_IDS; i++) {
            many.add(Ulid.generate());
        }
        poison.add("{\"jobIds\":[\"" + String.join("\",\"", many) + "\"]}");
        poison.add(null);
        for (String body : poison) {
            assertEquals(Optional.empty(), QueueMessages.jobIds(body), String.valueOf(body).substring(0, Math.min(60, String.valueOf(body).length())));
        }
    }

    @Test
    void aDelivery_isDeletableWhenItsLastJobIsSettled() {
        Delivery d = new Delivery("r", 2);
        assertEquals(false, d.settle());
        assertEquals(true, d.settle());
        assertThrows(IllegalArgumentException.class, () -> new Delivery("r", 0));
        assertThrows(IllegalArgumentException.class, () -> new Delivery(null, 1));
    }
}
