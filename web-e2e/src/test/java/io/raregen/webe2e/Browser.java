package io.raregen.webe2e;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Debian's headless Chromium driven through its chromedriver, with a fresh profile and download directory.
 * Nothing is downloaded: the browser and the driver are the machine's.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = InProcessStack.REPO.resolve("web-e2e/target/screenshots");

    final ChromeDriver driver;
    final Path downloads;

    Browser(Path dir) throws IOException {
        Path profile = Files.createDirectories(dir.resolve("profile"));
        downloads = Files.createDirectories(dir.resolve("downloads"));
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    void open(String url) {
        driver.get(url);
    }

    /** Changes the hash route as a click on a link would. */
    void route(String hash) {
        driver.executeScript("location.hash = arguments[0]", hash);
    }

    WebElement el(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement waitFor(String css, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    WebElement waitFor(String css) {
        return waitFor(css, Duration.ofSeconds(20));
    }

    <T> T until(Duration timeout, Function<ChromeDriver, T> condition) {
        return new WebDriverWait(driver, timeout).pollingEvery(Duration.ofMillis(200)).until(d -> condition.apply((ChromeDriver) d));
    }

    void type(String css, String text) {
        WebElement e = waitFor(css);
        e.clear();
        e.sendKeys(text);
    }

    /** Sets a text field's value in one go (as a paste would) and lets the page see the input event. */
    void paste(String css, String text) {
        driver.executeScript("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
                + "e.dispatchEvent(new Event('input', {bubbles: true}));", css, text);
    }

    /** The page's own User Timing mark: ms from the start of navigation to its first view (HTML, bundle, styles, render). */
    long firstRenderMs() {
        return ((Number) driver.executeScript("return performance.getEntriesByName('raregen:first-render')[0].startTime")).longValue();
    }

    /** Scrolls an element to the top of the view (for screenshots of what lies below the fold). */
    void scrollTo(String css) {
        driver.executeScript("document.querySelector(arguments[0]).scrollIntoView({block: 'start'}); window.scrollBy(0, -90)", css);
    }

    void click(String css) {
        waitFor(css).click();
    }

    /** Hands files to a file input, as the file chooser would. */
    void upload(String css, List<Path> files) {
        WebElement input = waitFor(css);
        input.sendKeys(String.join("\n", files.stream().map(p -> p.toAbsolutePath().toString()).toList()));
    }

    /** Runs {@code script} in every document this browser opens from now on, before the page's own scripts. */
    void beforeEachDocument(String script) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Fails when the page logged an error (a script error, a failed request, a CSP violation) since the last call. */
    void assertNoConsoleErrors(String where) {
        assertEquals(List.of(), takeConsoleErrors(), "console errors on " + where);
    }

    /** The errors logged since the last look (a refused request is one: Chromium logs every 4xx it loads). */
    List<String> takeConsoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    Path screenshot(String name) throws IOException {
        File f = driver.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOTS);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(f.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
