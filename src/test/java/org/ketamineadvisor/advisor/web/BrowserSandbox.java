package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.sandbox.TestKetamineAdvisorApplication;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * The page tests' world: the sandbox EHR and the app on a free port, and Debian's headless chromium with the flags
 * this closed machine needs (a fresh profile for each browser). Fails, never skips, when a tool is missing, unless
 * {@code -Dbrowser.tests=skip} was given.
 */
final class BrowserSandbox implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final SandboxEhr sandbox;
  private final ConfigurableApplicationContext app;
  private final String appBase;

  private BrowserSandbox(SandboxEhr sandbox, ConfigurableApplicationContext app, String appBase) {
    this.sandbox = sandbox;
    this.app = app;
    this.appBase = appBase;
  }

  /**
   * Skips the calling class (with a printed reason) on {@code -Dbrowser.tests=skip}; else fails unless chromium,
   * chromedriver and every command in {@code commands} are there, naming the Debian package in {@code packages}.
   */
  static void requireTools(String packages, String... commands) {
    if ("skip".equals(System.getProperty("browser.tests"))) {
      String why = "browser tests skipped: -Dbrowser.tests=skip was given (they need Debian's " + packages
          + "; .ci/run installs them)";
      System.out.println(why);
      org.junit.jupiter.api.Assumptions.abort(why);
    }
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver "
            + "(or run with -Dbrowser.tests=skip to skip them, with a printed reason)")
        .isTrue();
    for (String command : commands) {
      assertThat(onPath(command)).as("the browser tests need %s from Debian's %s", command, packages).isTrue();
    }
  }

  /** The sandbox EHR with the showcase patients, and the app registered with it, each on a free port. */
  static BrowserSandbox start() throws IOException {
    int port = SandboxEhr.freePort();
    String appBase = "http://localhost:" + port;
    SandboxEhr sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase(appBase));
    List<String> args = new ArrayList<>(TestKetamineAdvisorApplication.appArguments(sandbox));
    args.add("--server.port=" + port);
    try {
      return new BrowserSandbox(sandbox, SpringApplication.run(KetamineAdvisorApplication.class,
          args.toArray(String[]::new)), appBase);
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  SandboxEhr ehr() {
    return sandbox;
  }

  String appBase() {
    return appBase;
  }

  @Override
  public void close() {
    app.close();
    sandbox.close();
  }

  /** A headless chromium of its own, {@code width} × {@code height}; closing it removes its profile too. */
  static Chromium chromium(int width, int height) throws IOException {
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile);
    WebDriver driver = new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
    driver.manage().window().setSize(new Dimension(width, height));
    return new Chromium(driver, profile);
  }

  /**
   * Launches the app for {@code patientId} from the sandbox EHR's patient list as a clinician would: signs in as
   * dr.ada when asked ({@code signIn}), picks the patient, and in the app's iframe consents — unticking the scopes in
   * {@code untick} — until the verdict shows. The driver is left inside the iframe.
   */
  void launch(WebDriver browser, String patientId, boolean signIn, String... untick) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.get(sandbox.ehrUrl());
    if (signIn) {
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
      browser.findElement(By.id("username")).sendKeys("dr.ada");
      browser.findElement(By.id("password")).sendKeys("sandbox");
      browser.findElement(By.cssSelector("button[type=submit]")).click();
    }
    wait.until(ExpectedConditions.elementToBeClickable(
        By.xpath("//input[@name='patient' and @value='" + patientId + "']/following-sibling::button"))).click();
    browser.switchTo().frame(wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("iframe"))));
    wait.until(d -> !d.findElements(By.cssSelector("#verdict, input[name=scope]")).isEmpty());
    if (!browser.findElements(By.cssSelector("input[name=scope]")).isEmpty()) {
      for (String scope : untick) {
        browser.findElement(By.cssSelector("input[name=scope][value='" + scope + "']")).click();
      }
      browser.findElement(By.xpath("//button[text()='Allow']")).click();
    }
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("verdict")));
  }

  /** A browser and its profile folder (a chromium profile is ~10 MB: removed on close). */
  record Chromium(WebDriver driver, Path profile) implements AutoCloseable {
    @Override
    public void close() {
      driver.quit();
      FileSystemUtils.deleteRecursively(profile.toFile());
    }
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
