package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Provenance;
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
import org.junit.jupiter.params.provider.MethodSource;
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
 * EHR launches through the public SMART launcher (smart-launcher-v2), the reference EHR many SMART apps are first
 * certified against, in Debian's headless chromium: the launcher's own {@code /launcher} URL, its authorization
 * server (opaque launch code, PKCE, {@code aud}, a relative {@code fhirUser}, {@code need_patient_banner}, its RS256
 * id_token) and its FHIR proxy in front of an unprotected HAPI JPA server holding the showcase patients, to the
 * app's verdict page, and a signing written back through the proxy.
 *
 * <p>Not part of the default build (surefire and failsafe do not pick up {@code *Check} classes): run it with
 * {@code ./mvnw -o -Ppeer-ehr verify -Dpeer.launcher=/path/to/smart-launcher-v2.tar.gz} or
 * {@code scripts/peer-ehr-check.sh /path/to/smart-launcher-v2.tar.gz}. The launcher is built under
 * {@code target/peer-ehr/}; everything listens on 127.0.0.1 on free ports, and the browser is kept off the network.
 */
@Tag("peer-ehr")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerEhrLaunchCheck {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path WORK = Path.of("target/peer-ehr");
  private static final Path SEEDS = Path.of("launch/sandbox");
  /** The launcher's provider; the FHIR server holds the sandbox's practitioners, so the app can read who it is. */
  private static final String PROVIDER = "dr-ada";
  private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(90);

  /** Each showcase patient and the verdict worked out by hand (as ShowcasePatientsTest), by the page's class. */
  private static final Map<String, String> EXPECTED = expected();

  private static EmbeddedFhirServer fhir;
  private static PeerEhrLauncher launcher;
  private static ConfigurableApplicationContext app;
  private static String appBase;
  private static final Map<String, String> RESULTS = new LinkedHashMap<>();

  private WebDriver browser;
  private Path profile;

  private static Map<String, String> expected() {
    Map<String, String> verdicts = new LinkedHashMap<>();
    verdicts.put("crps-suitable", "suitable");
    verdicts.put("sci-precautions", "suitable-with-precautions");
    verdicts.put("psychosis-contraindicated", "contraindicated");
    verdicts.put("pregnant-contraindicated", "contraindicated");
    verdicts.put("pregnancy-superseded", "suitable-with-precautions");
    verdicts.put("cirrhosis-contraindicated", "contraindicated");
    verdicts.put("needs-information", "needs-information");
    verdicts.put("not-indicated", "not-indicated");
    verdicts.put("ketamine-allergy", "contraindicated");
    verdicts.put("opioid-benzo", "suitable-with-precautions");
    verdicts.put("prior-therapy-elsewhere", "needs-information");
    verdicts.put("bp-missing", "needs-information");
    verdicts.put("signed-plan", "suitable");
    verdicts.put("deceased", "not-indicated");
    verdicts.put("minor", "not-indicated");
    // the course patients are signed only by the sandbox; loaded as they are here, each is a suitable draft
    verdicts.put("course-go", "suitable");
    verdicts.put("course-hold", "suitable");
    verdicts.put("course-responder", "suitable");
    verdicts.put("course-non-responder", "suitable");
    return verdicts;
  }

  static Stream<String> showcasePatients() {
    return EXPECTED.keySet().stream();
  }

  @BeforeAll
  static void start() throws IOException {
    Path tarball = PeerEhrLauncher.tarball();
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("the peer-EHR check drives Debian's chromium: apt-get install -y chromium chromium-driver").isTrue();
    Files.createDirectories(WORK);
    Path built = PeerEhrLauncher.build(tarball, WORK);

    long started = System.nanoTime();
    int fhirPort = SandboxEhr.freePort();
    fhir = EmbeddedFhirServer.start(fhirPort);
    fhir.load(SEEDS);
    fhir.load(SandboxEhr.practitioners());
    // as the sandbox does: the signed-plan patient has a signed plan in the chart, by the launcher's user
    SandboxEhr.signShowcasePlan(fhir.baseUrl(), "Practitioner/" + PROVIDER, Instant.now());

    int launcherPort = SandboxEhr.freePort();
    launcher = PeerEhrLauncher.start(built, launcherPort, fhir.baseUrl(), WORK.resolve("launcher.log"));

    int appPort = SandboxEhr.freePort();
    while (appPort == launcherPort || appPort == fhirPort) {
      appPort = SandboxEhr.freePort();
    }
    appBase = "http://127.0.0.1:" + appPort;
    // a public client with the app's default scopes, as launch/registrations/smart-launcher.yml registers it
    app = SpringApplication.run(KetamineAdvisorApplication.class,
        "--server.address=127.0.0.1",
        "--server.port=" + appPort,
        "--advisor.ehrs[0].issuer=" + launcher.issuer(),
        "--advisor.ehrs[0].registration-id=smart-launcher",
        "--advisor.ehrs[0].name=SMART launcher",
        "--advisor.ehrs[0].client-id=ketamine-advisor",
        "--advisor.ehrs[0].client-authentication=none",
        "--advisor.security.secure-cookies=false",
        "--advisor.pages.as-of=" + TestKetamineAdvisorApplication.SEED_AS_OF,
        "--spring.autoconfigure.exclude="
            + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration");
    System.out.println("PEER up in " + (System.nanoTime() - started) / 1_000_000 + " ms: launcher "
        + launcher.baseUrl() + " (issuer " + launcher.issuer() + ", log " + launcher.log() + ") in front of "
        + fhir.baseUrl() + "; app " + appBase);
  }

  @AfterAll
  static void stop() {
    RESULTS.forEach((what, result) -> System.out.println("PEER result " + what + ": " + result));
    if (app != null) {
      app.close();
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
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
        // loopback only: the launcher's pages link a stylesheet on a CDN; no name resolves, and anything that is
        // not loopback goes to a proxy that does not exist
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
        options);
    browser.manage().window().setSize(new Dimension(1024, 900));
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

  @Test
  @Order(0)
  void theExpectationsNameEveryShowcasePatient() throws IOException {
    try (Stream<Path> files = Files.list(SEEDS)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }
  }

  /**
   * The launcher's own EHR launch URL with an encounter to be chosen: it shows its encounter picker, which finds
   * none for these patients and offers "Launch without encounter" (no {@code encounter} in the token response).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("showcasePatients")
  @Order(1)
  void anEhrLaunchReachesTheVerdict(String patient) {
    long started = System.nanoTime();
    launch(patient);
    String verdict = verdictCode();
    String banner = text("section.banner").replaceAll("\\s+", " ");
    long millis = (System.nanoTime() - started) / 1_000_000;
    RESULTS.put(patient, verdict + " — \"" + text("#verdict h2") + "\" (banner \"" + banner + "\", " + millis
        + " ms)");
    assertThat(verdict).as("the verdict for " + patient).isEqualTo(EXPECTED.get(patient));
    // the launcher asks for a banner (need_patient_banner), since it shows none of its own around the app
    assertThat(banner).as("the patient banner").isNotBlank();
    if (patient.equals(SandboxEhr.SIGNED_PLAN_PATIENT)) {
      assertThat(text("#signed")).contains("Signed and in the chart");
    }
  }

  @Test
  @Order(2)
  void aSuitablePatientIsSignedAndWrittenThroughTheLaunchersProxy() {
    long started = System.nanoTime();
    launch("crps-suitable");
    WebElement sign = browser.findElement(By.id("sign-button"));
    if (!sign.isEnabled()) {
      RESULTS.put("sign", "refused before signing: " + text("#sign"));
    }
    assertThat(sign.isEnabled()).as("the sign button; the page says: " + text("main")).isTrue();
    sign.click();
    new WebDriverWait(browser, PAGE_TIMEOUT).until(b -> !b.findElements(By.cssSelector(".written")).isEmpty()
        || !b.findElements(By.cssSelector(".problem")).isEmpty());
    String problems = browser.findElements(By.cssSelector(".problem")).stream().map(WebElement::getText)
        .collect(Collectors.joining(" | "));
    // the written ids sit in a collapsed details under "Signed and written to the chart": read them all
    String written = browser.findElements(By.cssSelector(".written")).stream().map(w -> w.getAttribute("textContent"))
        .collect(Collectors.joining(" | "));
    RESULTS.put("sign", (written.isEmpty() ? "NOT written: " + problems : "written: " + written.replace('\n', ' '))
        + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
    assertThat(problems).as("problems shown after signing").isEmpty();
    assertThat(written).contains("RiskAssessment/").contains("CarePlan/").contains("Provenance/");
    assertThat(text("#signed")).contains("Signed and in the chart");

    // in the chart (read from the FHIR server itself, past the launcher): one active plan, authored by the
    // launcher's user as a reference the EHR can resolve
    Bundle plans = fhir.client().search().forResource(CarePlan.class)
        .where(CarePlan.PATIENT.hasId("crps-suitable")).and(CarePlan.STATUS.exactly().code("active"))
        .returnBundle(Bundle.class).execute();
    assertThat(plans.getEntry()).hasSize(1);
    CarePlan plan = (CarePlan) plans.getEntryFirstRep().getResource();
    Bundle provenances = fhir.client().search().forResource(Provenance.class)
        .where(Provenance.TARGET.hasId(plan.getIdElement().toUnqualifiedVersionless().getValue()))
        .returnBundle(Bundle.class).execute();
    String author = plan.getAuthor().getReference();
    List<String> agents = provenances.getEntry().stream()
        .flatMap(e -> ((Provenance) e.getResource()).getAgent().stream())
        .map(a -> a.getWho().hasReference() ? a.getWho().getReference() : a.getWho().getDisplay()).toList();
    RESULTS.put("sign, as stored", "CarePlan.author " + author + "; Provenance.agent " + agents);
    // the launcher's fhirUser is relative; made absolute against iss it would name the launcher's proxy, an
    // external reference the EHR's own server cannot resolve
    assertThat(author).as("CarePlan.author").isEqualTo("Practitioner/" + PROVIDER);
    assertThat(agents).as("Provenance.agent.who").contains("Practitioner/" + PROVIDER);
  }

  /**
   * The launcher's plain EHR launch URL ({@code /launcher?launch_uri=…&patient=…}) selects the most recent
   * encounter itself; what it does for these patients is recorded, and must be either the verdict or the
   * launcher's own refusal, never an error of the app's.
   */
  @Test
  @Order(3)
  void theLaunchersDefaultEncounterSelection() {
    browser.get(launcherUrl("crps-suitable", false));
    new WebDriverWait(browser, PAGE_TIMEOUT).until(b -> b.getCurrentUrl().startsWith(appBase + "/patient")
        || b.findElement(By.tagName("body")).getText().contains("error"));
    String body = text("body");
    String outcome = browser.getCurrentUrl().startsWith(appBase + "/patient") ? "the verdict: " + verdictCode()
        : "the launcher refused at " + browser.getCurrentUrl().replaceAll("\\?.*", "") + ": "
            + body.replaceAll("\\s+", " ");
    RESULTS.put("default encounter selection (AUTO)", outcome);
    assertThat(browser.getCurrentUrl().startsWith(appBase + "/patient")
        || body.contains("Failed to auto-select the first encounter")).as(outcome).isTrue();
  }

  /** Opens the launcher's EHR launch, goes through its encounter picker, and waits for the app's patient page. */
  private void launch(String patient) {
    browser.get(launcherUrl(patient, true));
    WebDriverWait wait = new WebDriverWait(browser, PAGE_TIMEOUT);
    wait.until(b -> b.getCurrentUrl().startsWith(appBase)
        || !b.findElements(By.xpath("//button[normalize-space()='Launch without encounter']")).isEmpty()
        || !b.findElements(By.cssSelector(".alert-danger")).isEmpty());
    if (!browser.getCurrentUrl().startsWith(appBase)) {
      List<WebElement> errors = browser.findElements(By.cssSelector(".alert-danger"));
      assertThat(errors).as("the launcher's encounter picker for " + patient + " at " + browser.getCurrentUrl()
          + ": " + errors.stream().map(WebElement::getText).collect(Collectors.joining(" | "))).isEmpty();
      browser.findElement(By.xpath("//button[normalize-space()='Launch without encounter']")).click();
    }
    wait.until(b -> b.getCurrentUrl().startsWith(appBase) && (!b.findElements(By.id("verdict")).isEmpty()
        || !b.findElements(By.cssSelector(".problem, .launch-error, h1")).isEmpty()));
    assertThat(browser.findElements(By.id("verdict"))).as("the verdict page for " + patient + " at "
        + browser.getCurrentUrl() + "; the page says: " + text("body")).isNotEmpty();
  }

  private String launcherUrl(String patient, boolean selectEncounter) {
    return launcher.baseUrl() + "/launcher?launch_uri=" + URLEncoder.encode(appBase + "/launch",
        StandardCharsets.UTF_8) + "&patient=" + patient + "&provider=" + PROVIDER + "&fhir_ver=4"
        + (selectEncounter ? "&select_encounter=1" : "");
  }

  private String verdictCode() {
    String classes = browser.findElement(By.id("verdict")).getAttribute("class");
    for (String c : classes.split("\\s+")) {
      if (c.startsWith("verdict-")) {
        return c.substring("verdict-".length());
      }
    }
    return "(no verdict class in \"" + classes + "\")";
  }

  private String text(String css) {
    List<WebElement> found = browser.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }
}
