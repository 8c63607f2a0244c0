package io.raregen.webe2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One whole local stack and one headless Chromium for all the tests of a class, which run in order as one
 * user's visit. Skipped, saying what to install, where Debian's chromium and chromium-driver are missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BrowserAgainstStackTest {

    protected InProcessStack stack;
    protected Browser browser;

    /** File name under {@code target/} that receives the stack's output. */
    protected abstract String stackLogName();

    /** The class's own directory (a parameter, not a static field: classes that run side by side each get theirs). */
    protected Path tmp;

    @BeforeAll
    void startStackAndBrowser(@TempDir Path dir) throws Exception {
        tmp = dir;
        assumeTrue(Files.isExecutable(Browser.CHROMIUM) && Files.isExecutable(Browser.CHROMEDRIVER),
                "SKIPPED: the browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
                        + "apt-get install -y chromium chromium-driver");
        stack = InProcessStack.start(tmp.resolve("state"), stackLogName());
        browser = new Browser(tmp.resolve("browser"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }
}
