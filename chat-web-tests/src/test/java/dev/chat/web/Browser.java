package dev.chat.web;

import static dev.chat.testkit.Folders.deleteTree;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One user's headless Chromium (Debian's {@code chromium} and {@code chromedriver}), with a
 * profile of its own, on the web client's page: what a person does there (sign on, type, click
 * a tab) and what they see. Closing it ends the browser and its driver.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Longer than the page's reconnect waits while a test restarts the server. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;
    private final WebDriverWait wait;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        // The page draws its tabs and members anew as lines come: an element found may be gone a moment later.
        this.wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Skips the test, saying why, where Chromium or its driver is not installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver (apt-get install chromium "
                        + "chromium-driver; .ci/run installs them): " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    }

    /** Starts a fresh headless Chromium, the window {@code width} × {@code height}, and opens {@code url}. */
    static Browser open(String url, int width, int height) throws IOException {
        return open(url, width, height, List.of());
    }

    /** Like {@link #open(String, int, int)}, with more of Chromium's command-line switches. */
    static Browser open(String url, int width, int height, List<String> switches) throws IOException {
        return open(url, width, height, switches, false);
    }

    /**
     * Like {@link #open(String, int, int)}, the browser told yes for notifications beforehand, as
     * when its user once answered "Allow" to the page's question.
     */
    static Browser openAllowingNotifications(String url, int width, int height) throws IOException {
        return open(url, width, height, List.of(), true);
    }

    private static Browser open(String url, int width, int height, List<String> switches, boolean notifications)
            throws IOException {
        Path profile = Files.createTempDirectory("chat-browser-");
        ChromeOptions options = new ChromeOptions();
        // Both paths given, so that Selenium Manager never looks for (or downloads) anything.
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        options.addArguments(switches);
        if (notifications) {
            options.setExperimentalOption("prefs", Map.of("profile.default_content_setting_values.notifications", 1));
        }
        // The page's console, for the message of a failed wait.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
        Browser browser = new Browser(driver, profile);
        driver.manage().window().setSize(new Dimension(width, height));
        // A safety number takes 2 × 5,200 SHA-512 rounds in the page.
        driver.manage().timeouts().scriptTimeout(WAIT);
        driver.get(url);
        return browser;
    }

    /** Fills in the connect form and waits until the chat shows. */
    Browser signOn(String name) {
        return signOn(name, "");
    }

    /** Fills in the connect form with the server's password too, and waits until the chat shows. */
    Browser signOn(String name, String password) {
        submitConnectForm(name, password);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chat-view")));
        awaitStatus("Online as " + name);
        return this;
    }

    /** Fills in the connect form and sends it, without waiting for anything. */
    void submitConnectForm(String name, String password) {
        type(By.id("name"), name);
        type(By.id("password"), password);
        driver.findElement(By.id("connect")).click();
    }

    /** Waits until the connect form says why it did not sign on, and returns what it says. */
    String awaitConnectError() {
        wait.withMessage("an error under the connect form")
                .until(d -> !d.findElement(By.id("connect-error")).getText().isEmpty());
        return driver.findElement(By.id("connect-error")).getText();
    }

    /** Types {@code line} in the message field and sends it with Enter. */
    void say(String line) {
        WebElement input = driver.findElement(By.id("input"));
        input.sendKeys(line + "\n");
    }

    /** The message field, for keys such as Tab and Up. */
    WebElement input() {
        return driver.findElement(By.id("input"));
    }

    private void type(By field, String text) {
        WebElement element = driver.findElement(field);
        element.clear();
        element.sendKeys(text);
    }

    /** Waits until the conversation in view shows a line containing {@code text}. */
    void awaitLine(String text) {
        wait.withMessage(() -> "a line with \"" + text + "\" in view; lines: " + lines())
                .until(d -> lines().stream().anyMatch(line -> line.contains(text)));
    }

    /** The lines of the conversation in view, as shown. */
    List<String> lines() {
        return driver.findElements(By.cssSelector("#log .line")).stream().map(WebElement::getText).toList();
    }

    /** Waits until the status says {@code text}. */
    void awaitStatus(String text) {
        wait.withMessage(() -> "status \"" + text + "\"; it is \"" + status() + "\"")
                .until(d -> status().contains(text));
    }

    String status() {
        return driver.findElement(By.id("status")).getText();
    }

    /** The tab of a room ({@code #dev}) or of a private conversation ({@code @bob}). */
    WebElement tab(String key) {
        return driver.findElement(By.cssSelector("[role=tab][data-conversation='" + key.toLowerCase() + "']"));
    }

    /** The accessible label of the tab of {@code key}: its name and unread count. */
    String tabLabel(String key) {
        return wait.until(d -> tab(key).getAttribute("aria-label"));
    }

    /** Clicks the tab of {@code key}. */
    void clickTab(String key) {
        wait.until(d -> {
            tab(key).click();
            return true;
        });
    }

    /** Waits for the tab of {@code key} and returns it. */
    WebElement awaitTab(String key) {
        wait.withMessage(() -> "a tab " + key + "; tabs: " + tabs())
                .until(d -> !d.findElements(By.cssSelector("[role=tab][data-conversation='" + key.toLowerCase() + "']"))
                        .isEmpty());
        return tab(key);
    }

    /** What the page wrote to its console since the last call: its errors, above all. */
    List<String> console() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(entry -> entry.getLevel() + " " + entry.getMessage()).toList();
    }

    List<String> tabs() {
        return driver.findElements(By.cssSelector("[role=tab]")).stream()
                .map(tab -> tab.getAttribute("aria-label")).toList();
    }

    /** Waits until the tab of {@code key} is the one in view. */
    void awaitSelected(String key) {
        wait.withMessage(() -> key + " selected; tabs: " + tabs() + "; console: " + console())
                .until(d -> "true".equals(tab(key).getAttribute("aria-selected")));
    }

    /** The names in the member list of the conversation in view. */
    List<String> members() {
        return driver.findElements(By.cssSelector("#members .member")).stream().map(WebElement::getText).toList();
    }

    void awaitMembers(String... names) {
        wait.withMessage(() -> "members " + List.of(names) + "; they are " + members())
                .until(d -> members().containsAll(List.of(names)));
    }

    /** Clicks the button whose id is {@code id} (Leave is {@code leave}). */
    void clickButton(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    /** Clicks the button in the conversation in view whose label contains {@code label}. */
    void clickLineButton(String label) {
        wait.withMessage(() -> "a button \"" + label + "\" in the conversation; lines: " + lines())
                .until(ExpectedConditions.elementToBeClickable(By.xpath(
                        "//ol[@id='log']//button[contains(., '" + label + "')]"))).click();
    }

    /** Opens or closes the member list, a panel of its own on a phone's width. */
    void toggleMembers() {
        driver.findElement(By.id("members-toggle")).click();
    }

    /** Clicks a member's name, which opens the private conversation with them. */
    void clickMember(String name) {
        wait.until(d -> {
            d.findElement(By.cssSelector("#members .member[data-name='" + name + "']")).click();
            return true;
        });
    }

    String topic() {
        return driver.findElement(By.id("topic")).getText();
    }

    void awaitTopic(String topic) {
        wait.withMessage(() -> "topic \"" + topic + "\"; it is \"" + topic() + "\"").until(d -> topic().equals(topic));
    }

    /** Makes the page see the system's dark (true) or light theme. */
    void darkTheme(boolean dark) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    /**
     * From now on, keeps the title and body of every notification the page shows, by wrapping
     * the browser's own {@code Notification}: the notification is still made, and the page
     * cannot tell.
     */
    void recordNotifications() {
        driver.executeScript("""
                const Real = window.Notification;
                window.notificationsShown = [];
                window.Notification = class extends Real {
                  constructor(title, options) {
                    super(title, options);
                    window.notificationsShown.push(title + ': ' + (options?.body ?? ''));
                  }
                };
                """);
    }

    /** What the page notified since {@link #recordNotifications()}, as "title: body". */
    List<String> notifications() {
        List<?> shown = (List<?>) driver.executeScript("return window.notificationsShown;");
        return shown.stream().map(String::valueOf).toList();
    }

    /** Whether the page's document is hidden, as the page itself sees it. */
    boolean hidden() {
        return (Boolean) driver.executeScript("return document.hidden;");
    }

    /** Whether the button that asks for notifications shows. */
    boolean offersNotifications() {
        return driver.findElement(By.id("notify")).isDisplayed();
    }

    /**
     * Opens another tab and brings it to the front, as a user who looks elsewhere does, and goes
     * on driving the page behind it. (The driver's own switch between tabs would bring the page
     * back to the front; DevTools' {@code Target.activateTarget} does not touch it.)
     */
    void lookAtAnotherTab() {
        String page = driver.getWindowHandle();
        driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        String other = driver.getWindowHandle();
        driver.switchTo().window(page);
        driver.executeCdpCommand("Target.activateTarget", Map.of("targetId", other));
    }

    /**
     * Runs {@code script} in the page as the body of an async function (it may {@code await} and
     * {@code import()} the page's modules) and returns what it returns, as Selenium converts it;
     * an exception in the script fails the call with its message.
     */
    Object run(String script) {
        Object answer = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => { %s })().then(value => done({value}), e => done({error: String(e && e.stack || e)}));
                """.formatted(script));
        Map<?, ?> result = (Map<?, ?>) answer;
        if (result.containsKey("error")) {
            throw new AssertionError("the page's script failed: " + result.get("error"));
        }
        return result.get("value");
    }

    /** Writes a screenshot of the window to {@code file}. */
    void screenshot(Path file) throws IOException {
        File taken = driver.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(file.getParent());
        Files.copy(taken.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }
}
