package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * The app's CDS Hooks service driven by the public CDS Hooks Sandbox (cds-hooks/sandbox, with ketamine added to its
 * medication list) in Debian's headless chromium: discovery, {@code patient-view}, {@code order-select} (its Rx View:
 * ketamine typed a character at a time and picked) and {@code order-sign} (Rx Sign), each call signed with the
 * sandbox's own ES384 key (iss {@value #ISSUER}, its JWK set served from its build), prefetch filled by the sandbox
 * from the FHIR server; then the card's SMART link, followed into the app.
 *
 * <p>The sandbox needs a FHIR server it can read without authorization and with CORS, and launches a card's SMART
 * link with a launch id from the server's {@code _services/smart/Launch} endpoint (an HSPC convention). Both come from
 * the public SMART launcher (smart-launcher-v2) in front of an embedded HAPI JPA server with the showcase patients:
 * its FHIR proxy answers without a token and sends CORS headers, and the HAPI server's
 * {@code _services/smart/Launch} ({@link LaunchContextEndpoint}) answers with a launch code of the launcher's own
 * format, so the link is a real EHR launch through the launcher to the app's verdict page.
 *
 * <p>Not part of the default build: run it with {@code scripts/peer-cds-check.sh} or {@code ./mvnw -Ppeer-cds verify
 * -Dpeer.cds-sandbox=… -Dpeer.cds-patch=… -Dpeer.launcher=…}. Everything listens on 127.0.0.1 on free ports, and
 * the browser is kept off the network.
 */
@Tag("peer-cds")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerCdsHooksCheck {

  /** The {@code iss} of the sandbox's JWT (its jwt-generator.js). */
  static final String ISSUER = "https://sandbox.cds-hooks.org";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path WORK = Path.of("target/peer-cds");
  private static final Path SEEDS = Path.of("launch/sandbox");
  private static final String PROVIDER = "dr-ada";
  private static final String LINK_LABEL = "Open the ketamine infusion assessment";
  private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static EmbeddedFhirServer fhir;
  private static PeerEhrLauncher launcher;
  private static PeerCdsSandbox sandbox;
  private static ConfigurableApplicationContext app;
  private static String appBase;
  private static final List<JsonNode> LAUNCH_REQUESTS = new CopyOnWriteArrayList<>();
  private static final Map<String, String> RESULTS = new java.util.concurrent.ConcurrentSkipListMap<>();

  private WebDriver browser;
  private Path profile;

  @BeforeAll
  static void start() throws IOException {
    Path sandboxTarball = PeerCdsSandbox.file(PeerCdsSandbox.TARBALL_PROPERTY,
        "the CDS Hooks Sandbox's source tarball (cds-hooks-sandbox.tar.gz)");
    Path patch = PeerCdsSandbox.file(PeerCdsSandbox.PATCH_PROPERTY,
        "the patch that adds ketamine to the sandbox (cds-hooks-sandbox-ketamine.patch)");
    Path launcherTarball = PeerEhrLauncher.tarball();
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("the peer-CDS check drives Debian's chromium: apt-get install -y chromium chromium-driver").isTrue();
    Files.createDirectories(WORK);
    Path sandboxDir = PeerCdsSandbox.build(sandboxTarball, patch, WORK);
    Path launcherDir = PeerEhrLauncher.build(launcherTarball, WORK);

    long started = System.nanoTime();
    int fhirPort = SandboxEhr.freePort();
    fhir = EmbeddedFhirServer.start(fhirPort, (context, restfulServer) -> {
      // an exact mapping: Tomcat prefers it to the FHIR servlet's /fhir/*
      Wrapper launch = Tomcat.addServlet(context, "smartLaunchContext", new LaunchContextEndpoint());
      launch.setLoadOnStartup(1);
      context.addServletMappingDecoded(LaunchContextEndpoint.PATH, "smartLaunchContext");
    });
    fhir.load(SEEDS);
    fhir.load(SandboxEhr.practitioners());
    launcher = PeerEhrLauncher.start(launcherDir, SandboxEhr.freePort(), fhir.baseUrl(),
        WORK.resolve("launcher.log"));
    sandbox = PeerCdsSandbox.serve(sandboxDir.resolve("build"), 0);

    int appPort = SandboxEhr.freePort();
    appBase = "http://127.0.0.1:" + appPort;
    app = SpringApplication.run(KetamineAdvisorApplication.class,
        "--server.address=127.0.0.1",
        "--server.port=" + appPort,
        // the card's link is an EHR launch through the SMART launcher, as in PeerEhrLaunchCheck
        "--advisor.ehrs[0].issuer=" + launcher.issuer(),
        "--advisor.ehrs[0].registration-id=smart-launcher",
        "--advisor.ehrs[0].name=SMART launcher",
        "--advisor.ehrs[0].client-id=ketamine-advisor",
        "--advisor.ehrs[0].client-authentication=none",
        // the sandbox as the CDS client: its iss, its published key, and the FHIR server it names as fhirServer
        "--advisor.cds.clients[0].issuer=" + ISSUER,
        "--advisor.cds.clients[0].jwk-set-uri=" + sandbox.jwksUrl(),
        "--advisor.cds.clients[0].fhir-servers[0]=" + launcher.issuer(),
        "--advisor.cds.patient-view=true",
        "--advisor.security.secure-cookies=false",
        "--advisor.pages.as-of=" + TestKetamineAdvisorApplication.SEED_AS_OF,
        "--spring.autoconfigure.exclude="
            + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration");
    System.out.println("PEER up in " + (System.nanoTime() - started) / 1_000_000 + " ms: CDS Hooks Sandbox "
        + sandbox.baseUrl() + "; SMART launcher " + launcher.baseUrl() + " (FHIR " + launcher.issuer()
        + ") in front of " + fhir.baseUrl() + "; app " + appBase);
  }

  @AfterAll
  static void stop() {
    RESULTS.forEach((what, result) -> System.out.println("PEER result " + what + ": " + result));
    if (app != null) {
      app.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (launcher != null) {
      launcher.close();
    }
    if (fhir != null) {
      fhir.close();
    }
  }

  @BeforeEach
  void openBrowser() throws IOException {
    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
        // loopback only: the sandbox also asks its default services on the internet, and the launcher's pages
        // link a CDN; no name resolves, and anything that is not loopback goes to a proxy that does not exist
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
        options);
    browser.manage().window().setSize(new Dimension(1280, 1000));
  }

  @AfterEach
  void closeBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      FileSystemUtils.deleteRecursively(profile);
    }
  }

  /** A candidate's chart: the patient-view card. */
  @Test
  @Order(1)
  void patientViewShowsTheCandidateCard() {
    open("crps-suitable", "patient-view", "patient-view");
    String summary = cardSummary("Candidate for a ketamine infusion course");
    RESULTS.put("1 patient-view crps-suitable", summary);
    assertThat(summary).isEqualTo("Candidate for a ketamine infusion course — suitable for an IV course");
  }

  /** Rx View: ketamine drafted for a patient of each verdict; the card names the verdict and its reason. */
  @ParameterizedTest(name = "{0}")
  @Order(2)
  @CsvSource(delimiter = '|', value = {
      "crps-suitable | Ketamine: suitable for an IV course",
      "psychosis-contraindicated | Ketamine: contraindicated — Psychotic disorder (active or history)",
      "needs-information | Ketamine: needs information — BP, weight, prior first-line trial",
      "opioid-benzo | Ketamine: suitable with precautions — opioid and benzodiazepine: high risk of respiratory "
          + "depression"})
  void orderSelectShowsTheVerdictCard(String patient, String expected) {
    open(patient, "rx-view", "order-select");
    draftKetamine();
    String summary = cardSummary("Ketamine:");
    RESULTS.put("2 order-select " + patient, summary);
    assertThat(summary).isEqualTo(expected);
  }

  /** Rx Sign: the order signed; a contraindicated patient's card is critical and offers the override reasons. */
  @Test
  @Order(3)
  void orderSignShowsTheContraindication() {
    open("psychosis-contraindicated", "rx-sign", "order-sign");
    draftKetamine();
    browser.findElement(By.xpath("//button[normalize-space()='Sign Order']")).click();
    String summary = cardSummary("Ketamine:");
    RESULTS.put("3 order-sign psychosis-contraindicated", summary);
    assertThat(summary).isEqualTo("Ketamine: contraindicated — Psychotic disorder (active or history)");
  }

  /**
   * The card's SMART link: the sandbox asks the FHIR server for a launch id, opens the app's launch URL with it and
   * the FHIR server as {@code iss} in a new window; the launcher authorizes, and the app shows the verdict.
   */
  @Test
  @Order(4)
  void theCardsLinkLaunchesTheAppToTheVerdict() {
    open("crps-suitable", "rx-view", "order-select");
    draftKetamine();
    cardSummary("Ketamine:");
    WebDriverWait wait = new WebDriverWait(browser, PAGE_TIMEOUT);
    WebElement link = wait.until(b -> b.findElements(By.xpath("//button[normalize-space()='" + LINK_LABEL + "']"))
        .stream().filter(WebElement::isEnabled).findFirst().orElse(null));
    String sandboxWindow = browser.getWindowHandle();
    link.click();
    wait.until(b -> b.getWindowHandles().size() > 1);
    browser.getWindowHandles().stream().filter(h -> !h.equals(sandboxWindow)).findFirst()
        .ifPresent(h -> browser.switchTo().window(h));
    wait.until(b -> b.getCurrentUrl().startsWith(appBase) && (!b.findElements(By.id("verdict")).isEmpty()
        || !b.findElements(By.cssSelector(".problem, .launch-error, h1")).isEmpty()));
    JsonNode asked = LAUNCH_REQUESTS.isEmpty() ? null : LAUNCH_REQUESTS.get(LAUNCH_REQUESTS.size() - 1);
    String verdict = browser.findElements(By.id("verdict")).isEmpty() ? "(no verdict: " + text("body") + ")"
        : browser.findElement(By.id("verdict")).getAttribute("class");
    RESULTS.put("4 card link crps-suitable", "launch context asked for " + asked + "; app at "
        + browser.getCurrentUrl().replaceAll("\\?.*", "") + ", verdict " + verdict);
    assertThat(asked).as("the sandbox asked the FHIR server for a launch id").isNotNull();
    assertThat(asked.path("launchUrl").asText()).isEqualTo(appBase + "/launch");
    assertThat(asked.path("parameters").path("patient").asText()).isEqualTo("crps-suitable");
    assertThat(verdict).as("the app's page after the launch").contains("verdict-suitable");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private void open(String patient, String screen, String hook) {
    browser.get(sandbox.baseUrl() + "/?fhirServiceUrl=" + launcher.issuer() + "&patientId=" + patient
        + "&serviceDiscoveryURL=" + appBase + "/cds-services&screen=" + screen + "&hook=" + hook);
  }

  /** Types "ketamine" into the medication box a character at a time (as a prescriber would) and picks the match. */
  private void draftKetamine() {
    WebDriverWait wait = new WebDriverWait(browser, PAGE_TIMEOUT);
    WebElement input = wait.until(b -> b.findElements(By.cssSelector("input[name='medication-input']")).stream()
        .findFirst().orElse(null));
    for (char c : "ketamine".toCharArray()) {
      input.sendKeys(String.valueOf(c));
      sleep(120);
    }
    WebElement match = wait.until(b -> b.findElements(By.xpath("//*[@role='button' or self::div]"
        + "[normalize-space()='ketamine 50 MG/ML Injectable Solution']")).stream().findFirst().orElse(null));
    match.click();
  }

  /** The summary of the first card whose summary starts with {@code start}, once the sandbox shows it. */
  private String cardSummary(String start) {
    try {
      // the card's summary is a paragraph (the developer panel shows the same text inside the response's JSON)
      return new WebDriverWait(browser, PAGE_TIMEOUT).until(b -> b.findElements(By.xpath(
          "//p[starts-with(normalize-space(.), '" + start + "')]")).stream().map(WebElement::getText)
          .map(String::strip).findFirst().orElse(null));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no card starting \"" + start + "\" at " + browser.getCurrentUrl()
          + "; the page says: " + text("body").replaceAll("\\s+", " "), e);
    }
  }

  private String text(String css) {
    List<WebElement> found = browser.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The EHR's launch-context endpoint the sandbox calls before it opens a card's SMART link ({@code POST
   * {fhirServer}/_services/smart/Launch} with the launch URL and the patient; answer {@code launch_id}): here, the
   * SMART launcher's own EHR-launch code for that patient and the launcher's provider, without its login, consent or
   * encounter screens (the launcher's {@code /launcher} page builds the same code).
   */
  static final class LaunchContextEndpoint extends HttpServlet {

    static final String PATH = "/fhir/_services/smart/Launch";

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      JsonNode body = JSON.readTree(request.getInputStream());
      LAUNCH_REQUESTS.add(body);
      String patient = body.path("parameters").path("patient").asText("");
      // smart-launcher-v2 src/isomorphic/codec.ts: [launch type 0 = provider-ehr, patient, provider, encounter,
      // skip_login, skip_auth, sim_ehr, scope, redirect_uris, client_id, client_secret, auth_error, jwks_url, jwks,
      // client type 0 = public, PKCE 1 = auto, fhir_server]
      String params = JSON.writeValueAsString(List.of(0, patient, PROVIDER, "NONE", 1, 1, 0, "", "", "", "", "", "",
          "", 0, 1, ""));
      String code = Base64.getUrlEncoder().withoutPadding().encodeToString(params.getBytes(StandardCharsets.UTF_8));
      response.setContentType("application/json");
      response.getWriter().write(JSON.createObjectNode().put("launch_id", code).toString());
    }
  }
}
