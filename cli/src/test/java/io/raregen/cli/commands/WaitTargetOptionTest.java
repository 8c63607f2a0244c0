package io.raregen.cli.commands;

import io.raregen.cli.TestEnv;
import io.raregen.cli.support.ExitCodes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --until} of status, publish and bench is parsed by picocli: a misspelt target is a usage
 * error before any request, not a wait that can never end.
 */
class WaitTargetOptionTest {

    /** A port nothing listens on: a command that gets past parsing fails to connect (exit 3), not usage (2). */
    private static final String NO_API = "http://127.0.0.1:9";

    @Test
    void status_withAMisspeltUntil_isAUsageErrorNamingTheAllowedValues() {
        TestEnv t = new TestEnv();

        int code = t.run("status", "01JAAAAAAAAAAAAAAAAAAAAAAA", "--follow", "--until", "minde", "--api", NO_API);

        assertEquals(ExitCodes.USAGE, code, t.err.toString());
        assertTrue(t.err.toString().startsWith("Invalid value for option '--until': expected sent or mined but was 'minde'"),
                t.err.toString());
    }

    @Test
    void status_withAValidUntil_getsPastParsing() {
        // negative control: the same command line with a correct value reaches the (absent) API
        TestEnv t = new TestEnv();

        int code = t.run("status", "01JAAAAAAAAAAAAAAAAAAAAAAA", "--until", "sent", "--api", NO_API, "--http-timeout", "2");

        assertNotEquals(ExitCodes.USAGE, code, t.err.toString());
        assertEquals(ExitCodes.API, code, t.err.toString());
    }

    @Test
    void publishAndBench_rejectAMisspeltUntil_theSameWay() {
        TestEnv t = new TestEnv();

        assertEquals(ExitCodes.USAGE, t.run("publish", "-", "--wait", "--until", "snet", "--api", NO_API));
        assertTrue(t.err.toString().contains("expected sent or mined but was 'snet'"), t.err.toString());
        assertEquals(ExitCodes.USAGE, t.run("bench", "--until", "done", "--api", NO_API));
        assertTrue(t.err.toString().contains("expected sent or mined but was 'done'"), t.err.toString());
    }

    @Test
    void until_acceptsUpperCaseToo() {
        TestEnv t = new TestEnv();

        int code = t.run("status", "01JAAAAAAAAAAAAAAAAAAAAAAA", "--until", "MINED", "--api", NO_API, "--http-timeout", "2");

        assertEquals(ExitCodes.API, code, t.err.toString());
    }
}
