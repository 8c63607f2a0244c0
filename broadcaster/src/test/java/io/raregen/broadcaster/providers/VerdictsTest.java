package io.raregen.broadcaster.providers;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.broadcast.NetworkStatus;
import io.raregen.broadcaster.providers.Verdicts.Answer;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerdictsTest {
    private static final Txid T = Txid.fromHex("11".repeat(32));
    private final List<List<Answer>> disagreements = new ArrayList<>();
    private final Verdicts two = new Verdicts(2, (t, a) -> disagreements.add(a));
    private final Verdicts one = new Verdicts(1, (t, a) -> disagreements.add(a));

    private static Answer said(String provider, Outcome o, String code) {
        return new Answer(provider, new BroadcastResult(T, o, null, code, null, List.of(), null, null, null));
    }

    private static Answer notFound(String provider) {
        return new Answer(provider, new BroadcastResult(T, Outcome.UNKNOWN, NetworkStatus.NOT_FOUND, "404", null,
                List.of(), null, null, null));
    }

    @Test
    void aLoneRejection_isUnknownUntilASecondProviderConfirmsIt() {
        List<Answer> a = List.of(said("taal", Outcome.REJECTED, "465"));
        assertTrue(two.needsConfirmation(a));
        BroadcastResult r = two.decide(T, a);
        assertEquals(Outcome.UNKNOWN, r.outcome());
        assertEquals("UNCONFIRMED_REJECTED", r.errorCode());
        assertFalse(NetworkStatus.isNotFound(r), "never 'safe to send again' on one rejection");

        List<Answer> confirmed = List.of(said("taal", Outcome.REJECTED, "465"), said("gorilla", Outcome.CONFLICT, "DOUBLE_SPEND_ATTEMPTED"));
        assertFalse(two.needsConfirmation(confirmed));
        assertEquals(Outcome.REJECTED, two.decide(T, confirmed).outcome(), "the first negative verdict, once confirmed");
        assertTrue(disagreements.isEmpty());
    }

    @Test
    void withOneProvider_itsRejectionStands() {
        assertEquals(Outcome.REJECTED, one.decide(T, List.of(said("arc", Outcome.REJECTED, "465"))).outcome());
    }

    @Test
    void acceptedHere_rejectedThere_isAcceptedAndADisagreement() {
        List<Answer> a = List.of(said("taal", Outcome.CONFLICT, "DOUBLE_SPEND_ATTEMPTED"), said("gorilla", Outcome.ACCEPTED, null));
        assertEquals(Outcome.ACCEPTED, two.decide(T, a).outcome());
        assertEquals(1, disagreements.size());
        assertEquals("[taal=CONFLICT(DOUBLE_SPEND_ATTEMPTED), gorilla=ACCEPTED]", disagreements.get(0).toString());
    }

    @Test
    void minedBeatsAccepted_beatsInFlight_beatsUnknown() {
        assertEquals(Outcome.MINED, two.decide(T, List.of(said("a", Outcome.ACCEPTED, null), said("b", Outcome.MINED, null))).outcome());
        assertEquals(Outcome.ACCEPTED, two.decide(T, List.of(said("a", Outcome.IN_FLIGHT, null), said("b", Outcome.ACCEPTED, null))).outcome());
        assertEquals(Outcome.IN_FLIGHT, two.decide(T, List.of(said("a", Outcome.UNKNOWN, "TRANSPORT"), said("b", Outcome.IN_FLIGHT, null))).outcome());
    }

    @Test
    void notFound_onlyWhenEveryProviderSaysSo() {
        assertTrue(NetworkStatus.isNotFound(two.decide(T, List.of(notFound("a"), notFound("b")))));
        BroadcastResult r = two.decide(T, List.of(notFound("a"), said("b", Outcome.UNKNOWN, "TRANSPORT")));
        assertFalse(NetworkStatus.isNotFound(r));
        assertEquals("TRANSPORT", r.errorCode());
    }

    @Test
    void noAnswerAtAll_isUnknownNoProvider() {
        assertEquals("NO_PROVIDER", two.decide(T, List.of()).errorCode());
    }
}
