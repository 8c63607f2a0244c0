package io.raregen.cli.publish;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobStatusTest {

    @Test
    void reached_followsTheForwardOrder_andFailedEndsEveryWait() {
        assertFalse(JobStatus.reached("queued", "sent"));
        assertFalse(JobStatus.reached("signed", "sent"));
        assertTrue(JobStatus.reached("sent", "sent"));
        assertTrue(JobStatus.reached("mined", "sent"));
        assertFalse(JobStatus.reached("sent", "mined"));
        assertTrue(JobStatus.reached("failed", "mined"));
        assertFalse(JobStatus.reached(null, "sent"));
    }

    @Test
    void reached_withAnUnknownTarget_throwsInsteadOfNeverBeingTrue() {
        assertThrows(IllegalArgumentException.class, () -> JobStatus.reached("mined", "minde"));
        assertTrue(JobStatus.reached("mined", WaitTarget.MINED));
        assertFalse(JobStatus.reached("sent", WaitTarget.MINED));
    }
}
