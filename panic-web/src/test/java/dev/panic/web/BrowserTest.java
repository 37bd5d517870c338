package dev.panic.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panic.Platforms;
import dev.panic.RunStatus;
import dev.panic.RunStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web frontend in a real browser: Debian's headless Chromium driven through chromedriver.
 * Starts a simulator run from the New-run page, watches its images arrive without reloading, steers
 * a template and sees the next output made under the new revision, opens the wall and the visitor
 * page, stops the run and finds it in the list. Keeps a screenshot of each page in
 * {@code target/screenshots}. Without Chromium it is skipped with what to install, except in CI
 * ({@code CI=true}), where {@code .ci/run} installs it and its absence is a failure.
 */
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private RunStore store;
    private PanicServer server;
    private WebDriver driver;

    @BeforeEach
    void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String what = "headless Chromium and chromedriver are not installed (" + CHROMIUM + ", " + CHROMEDRIVER + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(what + "; .ci/run installs the Debian packages 'chromium' and 'chromium-driver' before the build");
            }
            assumeTrue(false, what + ": skipping; install them with 'apt-get install chromium chromium-driver'");
        }
        store = RunStore.directory(dir.resolve("runs"));
        server = PanicServer.builder().store(store).platforms(Platforms.discover()).port(0).start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")), "--window-size=1440,1000",
                "--hide-scrollbars", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            shot("last-seen"); // what the browser showed when the test ended, failed or not
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private String url(String path) {
        return server.url().resolve(path).toString();
    }

    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class); // pages replace elements as events arrive
        return wait;
    }

    private void shot(String name) throws Exception {
        File f = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    @Test
    void should_start_watch_steer_and_stop_a_run_in_a_real_browser() throws Exception {
        // The New-run page: painter -> describer offered first, every model that fits in the next step.
        driver.get(url("/new"));
        waiting().until(d -> count("#chain select") == 2);
        List<WebElement> steps = driver.findElements(By.cssSelector("#chain select"));
        assertThat(new Select(steps.get(0)).getFirstSelectedOption().getAttribute("value")).isEqualTo("sim:painter");
        // The second step takes images only: every model that takes text is offered but cannot be picked.
        for (WebElement o : new Select(steps.get(1)).getOptions()) {
            boolean takesImage = o.getText().contains("image →");
            assertThat(o.isEnabled()).as(o.getText()).isEqualTo(takesImage);
        }
        assertThat(driver.findElement(By.id("loop-check")).getText()).contains("the loop closes");
        // A third model: after the describer only models that take text can be picked; the drifter keeps it moving.
        driver.findElement(By.id("add-step")).click();
        waiting().until(d -> count("#chain select") == 3);
        Select third = new Select(driver.findElements(By.cssSelector("#chain select")).get(2));
        assertThat(third.getOptions()).filteredOn(WebElement::isEnabled).extracting(o -> o.getText())
                .allMatch(t -> t.contains("text →")).isNotEmpty();
        third.selectByValue("sim:drifter");
        waiting().until(d -> d.findElement(By.id("loop-check")).getText().contains("sim:drifter feeds sim:painter"));
        WebElement prompt = driver.findElement(By.name("prompt"));
        prompt.clear();
        prompt.sendKeys("a red circle and a yellow square on a blue background");
        setValue("max_steps", "200");
        setValue("pace_ms", "300");
        new Select(driver.findElement(By.name("exact_repeat"))).selectByValue("observe");
        new Select(driver.findElement(By.name("fixed_point"))).selectByValue("observe");
        assertThat(driver.findElements(By.cssSelector("input[name=embedder]:checked")))
                .extracting(e -> e.getAttribute("value")).contains("minilm", "image-descriptor");
        top();
        shot("new-run");

        driver.findElement(By.id("start")).click();
        waiting().until(d -> d.getCurrentUrl().matches(".*/runs/[^/]+$"));
        String runId = driver.getCurrentUrl().replaceAll(".*/runs/", "");
        ((JavascriptExecutor) driver).executeScript("window.__sameDocument = 'yes';");

        // Outputs appear as they are made, with no reload.
        waiting().until(d -> count("#outputs .card[data-kind=image]") >= 4);
        waiting().until(d -> count("#sparklines .spark svg polyline") >= 2);

        // Steer: a template for the painter; the next outputs are made under revision 1.
        WebElement painter = driver.findElement(By.cssSelector("form[data-steer-node=painter]"));
        WebElement template = painter.findElement(By.name("template"));
        template.clear();
        template.sendKeys("a watercolour of {input}");
        painter.findElement(By.cssSelector("button")).click();
        waiting().until(d -> d.findElement(By.id("toasts")).getText().contains("Revision 1"));
        waiting().until(d -> count("#outputs .card[data-kind=image][data-revision='1']") >= 1);
        waiting().until(d -> d.findElement(By.id("timeline")).getText().contains("rev 1"));
        // textContent: a card that has just arrived is still fading in, and Selenium reads no text from it yet.
        assertThat(driver.findElement(By.cssSelector("#outputs .card[data-kind=image][data-revision='1'] .meta"))
                .getAttribute("textContent")).contains("rev 1");
        List<WebElement> images = driver.findElements(By.cssSelector("#outputs .card[data-kind=image] .meta"));
        assertThat(images.get(images.size() - 1).getAttribute("textContent")).startsWith("#0").contains("rev 0");
        top();
        shot("run-live");

        // The wall, in a tab of its own: grid, then single.
        String runTab = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(url("/runs/" + runId + "/watch"));
        waiting().until(d -> count("#wall .tile") >= 6);
        Thread.sleep(800); // the tiles' entrance animation
        // The wall shows the latest outputs, in order, at most 12.
        // Read every tile in one script: the run goes on, and the wall replaces tiles between two reads.
        @SuppressWarnings("unchecked")
        List<Integer> tiles = ((List<Object>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('#wall .tile'), t => t.getAttribute('data-seq'));"))
                .stream().map(seq -> Integer.parseInt(String.valueOf(seq))).toList();
        assertThat(tiles).hasSizeLessThanOrEqualTo(12).isSorted();
        assertThat(tiles.get(tiles.size() - 1) - tiles.get(0)).isEqualTo(tiles.size() - 1);
        assertThat(tiles.get(tiles.size() - 1)).isGreaterThanOrEqualTo(store.info(runId).predictions() - 2);
        shot("watch-grid");
        driver.findElement(By.tagName("body")).sendKeys("s");
        waiting().until(d -> d.findElement(By.id("wall")).getAttribute("class").contains("single"));
        Thread.sleep(900); // the newest tile's entrance animation
        shot("watch-single");

        // The visitor's page, phone-sized: sends the next input.
        driver.manage().window().setSize(new Dimension(420, 860));
        driver.get(url("/runs/" + runId + "/prompt"));
        waiting().until(d -> count("#latest img, #latest .words") >= 1);
        driver.findElement(By.id("prompt-text")).sendKeys("a lighthouse in a storm");
        driver.findElement(By.cssSelector("#prompt-form button")).click();
        waiting().until(d -> d.findElement(By.id("sent")).isDisplayed());
        shot("prompt");
        driver.close();
        driver.switchTo().window(runTab);
        driver.manage().window().setSize(new Dimension(1440, 1000));

        // The injected words reach the run page as a revision too; then stop it.
        waiting().until(d -> d.findElement(By.id("timeline")).getText().contains("a lighthouse in a storm"));
        top();
        driver.findElement(By.cssSelector("[data-action=stop]")).click();
        waiting().until(d -> "stopped".equals(d.findElement(By.cssSelector("[data-status-badge] .badge"))
                .getAttribute("textContent")));
        waiting().until(d -> d.findElement(By.cssSelector("[data-stop-reason]")).isDisplayed());
        assertThat(((JavascriptExecutor) driver).executeScript("return window.__sameDocument")).isEqualTo("yes");
        assertThat(store.info(runId).status()).isEqualTo(RunStatus.STOPPED);
        Thread.sleep(300);
        top();
        shot("run-stopped");

        // Runs: the run is there, stopped, with a thumbnail.
        driver.get(url("/runs"));
        WebElement row = waiting().until(d -> d.findElement(By.cssSelector("li.run[data-run='" + runId + "']")));
        assertThat(row.getAttribute("data-status")).isEqualTo("stopped");
        assertThat(row.findElement(By.cssSelector(".badge")).getText().toLowerCase()).isEqualTo("stopped");
        assertThat(row.findElements(By.cssSelector(".thumb img"))).hasSize(1);
        shot("runs");
    }

    private void top() {
        ((JavascriptExecutor) driver).executeScript("document.activeElement && document.activeElement.blur();"
                + " window.scrollTo(0, 0);");
    }

    private void setValue(String name, String value) {
        WebElement e = driver.findElement(By.name(name));
        e.clear();
        e.sendKeys(value);
    }
}
