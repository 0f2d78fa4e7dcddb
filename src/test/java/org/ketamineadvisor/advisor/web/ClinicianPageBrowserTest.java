package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.ketamineadvisor.advisor.fhir.writing.SharedValidator;
import org.openqa.selenium.By;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The clinician page in Debian's headless chromium, through the real sandbox launch: the EHR simulator, sign-in,
 * consent, and the app in the EHR's iframe. Fails (never skips) when chromium or chromedriver is missing.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClinicianPageBrowserTest {

  /** Under target/, so a test run changes no tracked file; scripts/update-screenshots.sh copies them to docs/. */
  private static final Path SCREENSHOTS = Path.of("target/screenshots");

  private static BrowserSandbox world;
  private static SandboxEhr sandbox;
  private static String appBase;
  private BrowserSandbox.Chromium chromium;
  private WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    BrowserSandbox.requireTools("chromium and chromium-driver");
    world = BrowserSandbox.start();
    sandbox = world.ehr();
    appBase = world.appBase();
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  @BeforeEach
  void openBrowser() throws IOException {
    chromium = BrowserSandbox.chromium(1024, 900);
    browser = chromium.driver();
  }

  @AfterEach
  void closeBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void aSuitablePatientIsSignedOnceThenTheSignedPlanIsReadOnlyAndASecondLaunchShowsItFirst() throws IOException {
    launch("crps-suitable", true);
    assertThat(text("#verdict h2")).isEqualTo("Suitable");
    assertThat(text("#verdict")).contains("evidence grade B");
    assertThat(browser.findElements(By.cssSelector("svg.chart[role=img]"))).hasSizeGreaterThanOrEqualTo(3);
    assertThat(text("#plan")).contains("0.35 mg/kg/h × 72.0 kg").contains("2026-06-02");
    assertNoSeriousAccessibilityViolations();
    screenshot("suitable");

    browser.manage().window().setSize(new Dimension(1024, 600)); // screenshot() left the frame: 600 px high
    click("#sign-button");
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".written")));
    // signed: the page lands on the verdict and the plan now in force, with a plain notice; the ids are collapsed
    assertThat(browser.getCurrentUrl()).endsWith("/patient#verdict");
    assertThat(text(".written")).startsWith("Signed and written to the chart.").doesNotContain("RiskAssessment/");
    assertInView("crps-suitable signed", "#verdict h2");
    assertInView("crps-suitable signed", ".written");
    assertThat(text("#course-line")).startsWith("Plan in force:");
    pageScreenshot("just-signed");
    browser.manage().window().setSize(new Dimension(1024, 900));
    String written = written();
    assertThat(written).contains("RiskAssessment/").contains("CarePlan/").contains("Provenance/");
    assertWrittenResourcesAreInTheChartAndValid("crps-suitable", written);
    // signed: the plan is read-only; the only way to change it is an explicit revision
    assertThat(text("#signed")).contains("Signed and in the chart").contains("Dr Ada Lovelace").contains("active")
        .doesNotContain("Practitioner/dr-ada");
    assertThat(text("#verdict")).contains("Plan in force").contains("signed by Dr Ada Lovelace");
    // the patient's calendar: the signed sessions on clinic days and the three follow-ups, as iCalendar
    // RFC 5545 folds lines at 75 octets: unfold before reading it
    String ics = fetch("/patient/plan.ics").replace("\r\n ", "");
    assertThat(ics).startsWith("BEGIN:VCALENDAR").contains("DTSTART;VALUE=DATE:20260602")
        .contains("Ketamine infusion: session 10 of 10").contains("Pain follow-up (12 weeks after the course)")
        .doesNotContain("Maria").doesNotContain("crps-suitable");
    assertThat(ics.split("BEGIN:VEVENT", -1)).hasSize(1 + 10 + 3);
    Matcher starts = Pattern.compile("DTSTART;VALUE=DATE:(\\d{8})").matcher(ics);
    while (starts.find()) {
      java.time.DayOfWeek day = java.time.LocalDate.parse(starts.group(1),
          java.time.format.DateTimeFormatter.BASIC_ISO_DATE).getDayOfWeek();
      assertThat(day).as(starts.group(1)).isNotIn(java.time.DayOfWeek.SATURDAY, java.time.DayOfWeek.SUNDAY);
    }
    assertThat(browser.findElements(By.id("sign-button"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("form.plan-form"))).isEmpty();
    assertThat(browser.findElements(By.id("revise-button"))).hasSize(1);

    browser.switchTo().defaultContent();
    launch("crps-suitable", false);
    assertThat(text("#signed")).contains("Signed and in the chart").contains("Suitable")
        .contains("assessed as of 2026-06-01").contains("signed by").contains("Nothing the rules read has changed");
    assertThat(text("#verdict")).contains("Today's assessment");
    assertThat(browser.findElements(By.id("sign-button"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("#unknowns form"))).isEmpty();
    assertThat(activeCarePlans("crps-suitable")).hasSize(1);

    browser.switchTo().defaultContent();
    browser.get(appBase + "/patient/summary");
    assertThat(text("body")).contains("Maria Elena Costa").contains("SIGNED: Suitable — by")
        .doesNotContain("NOT SIGNED");
    // a heading never stands over nothing
    assertThat(text("body")).contains("Findings in today's record (as of 2026-06-01)\nNo findings: none found among the "
        + "contraindications screened.");
  }

  @Test
  void theShowcaseSignedPlanIsRevisedIntoExactlyOneActivePlan() throws IOException {
    launch("signed-plan", true);
    assertThat(text("#signed")).contains("Signed and in the chart").contains("Ketamine infusion course (P-CRPS)");
    List<String> before = activeCarePlans("signed-plan");
    assertThat(before).hasSize(1);
    screenshot("signed");

    click("#revise-button");
    wait(ExpectedConditions.presenceOfElementLocated(By.id("cancel-revision")));
    WebElement sessions = browser.findElement(By.id("sessions"));
    sessions.clear();
    sessions.sendKeys("8");
    browser.findElement(By.cssSelector("form.plan-form button")).click();
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice")));
    WebElement sign = browser.findElement(By.id("sign-button"));
    assertThat(sign.getText()).isEqualTo("Sign the revised plan (replaces " + before.get(0) + ")");
    assertThat(sign.isEnabled()).isTrue();
    // what the signature changes, at the top: the plan in force beside the revised one, not the plan in force alone
    assertThat(browser.findElements(By.cssSelector("#verdict #course-line"))).isEmpty();
    assertThat(text("#revision tr.changed")).startsWith("Sessions 10 8");
    assertThat(text("#revision")).contains("Plan in force (signed)").contains("Revised plan (to sign)")
        .contains("100 mg over 4 h").contains("Tue 2026-06-02 to");
    assertThat(browser.findElements(By.cssSelector("#revision tr.changed"))).extracting(WebElement::getText)
        .anySatisfy(row -> assertThat(row).startsWith("Dates"))
        .noneSatisfy(row -> assertThat(row).startsWith("Each session"));
    screenshot("revising"); // goes on at the top level, in the same session
    sign = browser.findElement(By.id("sign-button"));
    sign.click();
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".written")));
    assertThat(browser.getCurrentUrl()).endsWith("/patient#verdict");
    assertThat(browser.findElements(By.id("revision"))).as("signed: no revision left to compare").isEmpty();
    assertThat(text("#course-line")).startsWith("Plan in force:");

    List<String> after = activeCarePlans("signed-plan");
    assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);
    assertThat(carePlanStatus(before.get(0))).isEqualTo("revoked");
    assertThat(browser.findElement(By.id("signed")).getAttribute("textContent")).contains(after.get(0));
    assertThat(text("#signed")).contains("Sessions: Tue 2026-06-02").doesNotContain("Sat ").doesNotContain("Sun ");
    assertThat(sessionCount(after.get(0))).isEqualTo(8);
    assertThat(browser.findElements(By.id("sign-button"))).isEmpty();
  }

  @Test
  void anEnteredBloodPressureOf190Over105TurnsTheVerdictToContraindicated() throws IOException {
    launch("bp-missing", true);
    assertThat(text("#verdict h2")).isEqualTo("Needs information");
    assertThat(browser.findElements(By.cssSelector("#attest-DATA-BP input[type=radio]")))
        .as("a missing BP can no longer be ticked away").isEmpty();
    WebElement form = browser.findElement(By.id("enter-DATA-BP"));
    form.findElement(By.name("systolic")).sendKeys("190");
    form.findElement(By.name("diastolic")).sendKeys("105");
    WebElement time = form.findElement(By.name("measuredTime"));
    time.clear();
    // the sandbox's clock is 2026-06-01 at the real time of day: any later time is in the future before it
    time.sendKeys("00:00");
    form.findElement(By.tagName("button")).click();
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice")));

    assertThat(text("#verdict h2")).startsWith("Not suitable — contraindicated").contains("1 item entered by the clinician");
    assertThat(text("#contraindications")).contains("Uncontrolled hypertension").contains("190/105")
        .contains("entered by");
    assertThat(text("#entered")).contains("BP 190/105 mmHg measured 2026-06-01 00:00 UTC").contains("entered by");
    assertThat(text("#verdict")).doesNotContain("No contraindication");
    assertNoSeriousAccessibilityViolations();
    screenshot("entered-bp-contraindicated");

    // the decision not to treat is signed as the assessment alone, with the entered BP written as an Observation
    WebElement sign = browser.findElement(By.id("sign-button"));
    assertThat(sign.getText()).isEqualTo("Sign the decision not to treat");
    sign.click();
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".written")));
    assertThat(written()).contains("RiskAssessment/").contains("Observation/").doesNotContain("CarePlan/");
    assertThat(text("#signed")).contains("Not suitable — contraindicated").contains("DATA-BP settled by a value");
    assertThat(text("#sign a[href='#signed']")).isEqualTo("View the signed decision and what changed");
  }

  @Test
  void attestingAnUnknownRecomputesTheVerdictOnTheSpot() throws IOException {
    launch("needs-information", true);
    assertThat(text("#verdict h2")).isEqualTo("Needs information");
    assertThat(text("#unknowns")).contains("First-line neuropathic agent tried");
    assertThat(text("#unknowns")).contains("Blood pressure within 30 days").contains("Body weight within 90 days");
    // without a recent BP, uncontrolled hypertension is not "not found": it could not be checked
    assertThat(text("#checked tr.check-not-checked")).contains("Uncontrolled hypertension")
        .contains("Could not be checked").contains("no blood pressure within 30 days");
    assertVisibleWithoutScrolling("needs-information", "#enter-missing");
    assertThat(text("#contraindications")).contains("None found; 1 could not be checked: uncontrolled hypertension "
        + "(latest BP > 180/100 mmHg) — no blood pressure within 30 days").doesNotContain("None found among");
    assertThat(text("#course-line")).contains("enter the weight under \"What is missing\" (or record it in the EHR "
        + "and reload)").doesNotContain("record a weight in the EHR and reload");
    screenshot("needs-information");

    WebElement form = browser.findElement(By.id("attest-IND-PRIOR-THERAPY"));
    form.findElement(By.cssSelector("input[value=met]")).click();
    form.findElement(By.tagName("textarea")).sendKeys("Duloxetine tried at another clinic, no effect");
    form.findElement(By.tagName("button")).click();
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice")));
    assertThat(browser.findElements(By.id("attest-IND-PRIOR-THERAPY"))).isEmpty();
    assertThat(text("#entered")).contains("Entered by the clinician").contains("Duloxetine tried at another clinic")
        .contains("a first-line agent");
    assertThat(browser.findElement(By.id("sign-button")).isEnabled()).isFalse();
    assertNoSeriousAccessibilityViolations();
  }

  @Test
  void attestingTheOnlyUnknownMakesThePlanSignableAndSigningWritesIt() {
    launch("prior-therapy-elsewhere", true);
    assertThat(text("#verdict h2")).isEqualTo("Needs information");
    assertThat(browser.findElement(By.id("sign-button")).isEnabled()).isFalse();

    WebElement form = browser.findElement(By.id("attest-IND-PRIOR-THERAPY"));
    form.findElement(By.cssSelector("input[value=met]")).click();
    form.findElement(By.tagName("textarea")).sendKeys("Amitriptyline 50 mg tried at another clinic, no relief");
    form.findElement(By.tagName("button")).click();
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice")));
    // a verdict that rests on the clinician's statement says so, never "nothing missing"
    assertThat(text("#verdict h2")).isEqualTo("Suitable — 1 item entered by the clinician");
    assertThat(text("#deciding-reasons")).contains("First-line agent tried: stated by the clinician")
        .contains("No contraindication, precaution or interaction among the 22 screened");
    assertThat(text("#indication")).contains("as stated by the clinician: a first-line agent");
    assertThat(text("#plan")).contains("0.5 mg/kg × 84.0 kg = 42 mg");

    click("#sign-button");
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".written")));
    assertWrittenResourcesAreInTheChartAndValid("prior-therapy-elsewhere", written());
  }

  @Test
  void withoutWriteScopesThePageIsReadOnlyAndOffersTheDownload() throws IOException {
    launch("sci-precautions", true, "patient/RiskAssessment.crs", "patient/CarePlan.crus", "patient/Provenance.c");
    assertThat(text("#verdict h2")).isEqualTo("Suitable with precautions");
    assertThat(text("#precautions")).contains("The plan carries:");
    assertThat(text("#sign")).contains("cannot take a write-back");
    assertThat(browser.findElement(By.id("sign-button")).isEnabled()).isFalse();
    assertThat(browser.findElement(By.id("download")).getAttribute("href")).endsWith("/patient/plan.json");
    screenshot("read-only-precautions");
  }

  @Test
  void aContraindicatedPatientGetsNoPlan() throws IOException {
    launch("psychosis-contraindicated", true);
    assertThat(text("#verdict h2")).isEqualTo("Not suitable — contraindicated");
    assertThat(text("#contraindications")).contains("Psychotic disorder");
    assertThat(text("#plan")).contains("No course is proposed");
    assertNoSeriousAccessibilityViolations();
    screenshot("contraindicated");
  }

  /**
   * The course after signing (rule set v1.1 § 8) through the sandbox: an infusion day that is GO, one that is HOLD
   * (BP 188/102 this morning), and at 12 weeks a responder (the clinician confirms: the Goal is achieved and the
   * plan completed in the chart) and a non-responder.
   */
  @Test
  void theCourseIsFollowedFromTheInfusionDayToItsOutcome() throws IOException {
    launch("course-go", true);
    assertThat(text("#course h2")).isEqualTo("Session 4 of 10 — GO");
    assertVisibleWithoutScrolling("course-go", "#course h2");
    assertThat(text("#course")).contains("BP 132/84 mmHg").contains("min ago").contains("Heart rate 78 /min")
        .contains("SpO2 97 %").contains("(UTC+00:00)");
    assertThat(text("#course-checked-at")).endsWith("(UTC+00:00) on Mon 2026-06-01");
    assertThat(browser.findElements(By.id("course-next-steps"))).as("a GO has no next step to take").isEmpty();
    assertThat(text("#course-dose")).isEqualTo("100 mg over 4 h at 25 mg/h = 25.0 mL/h");
    // a check that does not apply (no pregnancy test for a man) says so in words, not in code capitals
    assertThat(text("#course tr.day-not-applicable")).contains("not applicable");
    assertThat(text("#course")).doesNotContain("NOT-APPLICABLE");
    assertThat(text("#course-given")).startsWith("3 of 10 sessions given: Wed 2026-05-27, Thu 2026-05-28");
    frameScreenshot("frame-course-go");

    browser.switchTo().defaultContent();
    launch("course-hold", false);
    assertThat(text("#course h2")).isEqualTo("Session 4 of 10 — HOLD");
    assertThat(text("#course tr.day-hold")).contains("BP 188/102 mmHg").contains("hold the session");
    assertThat(browser.findElements(By.cssSelector("#course tr.day-hold")))
        .as("the re-run's new uncontrolled hypertension is the same BP: one HOLD row").hasSize(1);
    assertThat(text("#course-next-steps")).contains("rest 15 minutes and measure BP again; if still above 180/100 "
        + "mmHg, do not start the session and call the physician");
    assertVisibleWithoutScrolling("course-hold", "#course-next-steps");
    frameScreenshot("frame-course-hold");
    // the nurse re-measures in the EHR; launched again, the day check reads the new reading
    browser.switchTo().defaultContent();
    browser.findElement(By.cssSelector("details.record summary")).click();
    WebElement vitals = browser.findElement(By.xpath("//form[input[@name='what' and @value='vitals']]"));
    vitals.findElement(By.name("systolic")).sendKeys("150");
    vitals.findElement(By.name("diastolic")).sendKeys("90");
    vitals.findElement(By.name("heartRate")).sendKeys("80");
    vitals.findElement(By.name("spo2")).sendKeys("96");
    vitals.findElement(By.tagName("button")).click();
    assertThat(wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[role=status]"))).getText())
        .contains("BP 150/90 mmHg");
    launch("course-hold", false);
    assertThat(text("#course h2")).isEqualTo("Session 4 of 10 — GO");
    assertThat(text("#course")).contains("BP 150/90 mmHg");

    browser.switchTo().defaultContent();
    launch("course-responder", false);
    assertThat(text("#course h2")).isEqualTo("Course complete — 10 of 10 sessions given");
    assertThat(text("#outcome")).contains("Baseline 8 (2026-02-10) → response if 5.6 or less").contains("50.0 %")
        .contains("substantial response");
    assertThat(text("#standing")).contains("a repeat course may be considered");
    assertThat(activeGoals("course-responder")).containsExactly("in-progress active");
    click("#confirm-follow-up");
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#outcome .written")));
    assertThat(text("#outcome .written")).contains("Goal/").contains("CarePlan/");
    assertThat(activeGoals("course-responder")).containsExactly("achieved completed");
    assertThat(browser.findElements(By.id("confirm-follow-up"))).as("recorded once, not offered again").isEmpty();
    frameScreenshot("frame-course-responder");

    browser.switchTo().defaultContent();
    launch("course-non-responder", false);
    assertThat(text("#standing")).contains("No response: a repeat course is not supported");
    assertThat(text("#outcome")).contains("14.2 %").contains("no response");
  }

  /** The patient's Goals as "achievement lifecycle". */
  private static List<String> activeGoals(String patientId) {
    IGenericClient chart = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    chart.registerInterceptor(new BearerTokenAuthInterceptor(sandbox.readToken(patientId)));
    return chart.search().forResource(org.hl7.fhir.r4.model.Goal.class)
        .where(org.hl7.fhir.r4.model.Goal.PATIENT.hasId(patientId)).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (org.hl7.fhir.r4.model.Goal) e.getResource())
        .map(g -> g.getAchievementStatus().getCodingFirstRep().getCode() + " " + g.getLifecycleStatus().toCode())
        .toList();
  }

  /**
   * CDS Hooks through the sandbox EHR: opening a candidate's chart fires patient-view (a card above the app);
   * drafting a ketamine order fires order-select, whose card's SMART link launches the app for the patient.
   */
  @Test
  void theEhrsOrderSelectCardAppearsAndItsLinkLaunchesTheApp() throws IOException {
    launch("crps-suitable", true);
    browser.switchTo().defaultContent();
    assertThat(text(".cds-cards")).contains("Candidate for a ketamine infusion course");

    launch("psychosis-contraindicated", false);
    browser.switchTo().defaultContent();
    assertThat(browser.findElements(By.cssSelector(".cds-cards"))).as("no patient-view card: contraindicated")
        .isEmpty();
    browser.findElement(By.cssSelector("form.order button")).click();
    WebElement card = wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".cds-card")));
    assertThat(card.getText()).contains("CRITICAL").contains("Ketamine: contraindicated — Psychotic disorder");
    pageScreenshot("cds-order-select-card");
    card.findElement(By.cssSelector("a.cds-link")).click();
    WebDriverWait consent = new WebDriverWait(browser, Duration.ofSeconds(30));
    consent.until(d -> !d.findElements(By.cssSelector("#verdict, input[name=scope]")).isEmpty());
    if (!browser.findElements(By.cssSelector("input[name=scope]")).isEmpty()) {
      browser.findElement(By.xpath("//button[text()='Allow']")).click();
    }
    wait(ExpectedConditions.presenceOfElementLocated(By.id("verdict")));
    assertThat(text("#verdict h2")).isEqualTo("Not suitable — contraindicated");
    // the EHR's window is gone: the app names the patient itself (wrong-patient risk), in one line at 1024 x 600
    browser.manage().window().setSize(new Dimension(1024, 600));
    WebElement banner = browser.findElement(By.id("patient-banner"));
    assertThat(banner.isDisplayed()).isTrue();
    assertThat(banner.getText()).contains("Robert Lindqvist").contains("born 1961-10-09")
        .contains("ID KA-PSYCHOSIS-CONTRAINDICATED").doesNotContain("https://");
    assertThat(banner.getSize().getHeight()).as("one line").isLessThan(40);
    assertVisibleWithoutScrolling("psychosis-contraindicated full window", "#patient-banner");
    assertVisibleWithoutScrolling("psychosis-contraindicated full window", "#verdict h2");
    assertVisibleWithoutScrolling("psychosis-contraindicated full window", "#deciding-reasons li");
    assertVisibleWithoutScrolling("psychosis-contraindicated full window", "#sign-button");
    pageScreenshot("cds-link-full-window");
    browser.manage().window().setSize(new Dimension(1024, 900));
  }

  @Test
  void thePrintableSummaryCarriesThePatientTheDateAndWhetherItIsSigned() {
    launch("opioid-benzo", true);
    browser.switchTo().defaultContent();
    browser.get(appBase + "/patient/summary");
    String draft = text("body");
    assertThat(draft).contains("Michael Reyes").contains("born 1972-09-15").contains("sandbox-mrn")
        .contains("Assessment as of 2026-06-01").contains("NOT SIGNED — draft")
        .contains("Ketamine Infusion Advisor").contains("rule set ketamine-rules v1.1");
  }

  /**
   * Inside the EHR's 600 px-high iframe at 1024 px, without scrolling: the verdict, its deciding reason and the
   * primary action, for a showcase patient of every verdict (and a signed one); the order's pump rate in mL/h for
   * each protocol; no session on a weekend under the default clinic days.
   */
  @Test
  @org.junit.jupiter.api.Order(1) // before the tests that sign crps-suitable and prior-therapy-elsewhere
  void theDecisionFitsTheEhrFrameForEveryVerdict() throws IOException {
    record Expect(String patient, String verdict, String reason, String action, String mlPerHour) {}
    List<Expect> cases = List.of(
        new Expect("crps-suitable", "Suitable", "Complex regional pain syndrome", "#sign-button", "25.0 mL/h"),
        new Expect("sci-precautions", "Suitable with precautions", "Hypertension", "#sign-button", "16.0 mL/h"),
        new Expect("opioid-benzo", "Suitable with precautions", "Current opioid", "#sign-button", "25.0 mL/h"),
        new Expect("prior-therapy-elsewhere", "Needs information", "Missing: First-line neuropathic agent tried",
            "#enter-missing", "63.0 mL/h"),
        new Expect("psychosis-contraindicated", "Not suitable — contraindicated", "Psychotic disorder",
            "#sign-button", null),
        new Expect("minor", "Not indicated", "Not an adult — age 16 (18 or older required)", "#sign-button", null),
        new Expect("deceased", "Not indicated", "Patient is deceased — date of death 2026-02-14", "#sign-button",
            null),
        new Expect("signed-plan", "Suitable", "Complex regional pain syndrome", "#revise-button", null));
    boolean first = true;
    for (Expect c : cases) {
      browser.switchTo().defaultContent();
      launch(c.patient(), first);
      first = false;
      Number frameHeight = (Number) ((JavascriptExecutor) browser).executeScript("return window.innerHeight");
      assertThat(frameHeight.intValue()).as("the EHR's iframe height").isBetween(590, 600);
      // the EHR shows its banner above the frame (need_patient_banner false): the app's would only repeat it
      assertThat(browser.findElement(By.id("patient-banner")).isDisplayed()).as(c.patient() + " banner").isFalse();
      assertThat(text("#verdict h2")).as(c.patient()).startsWith(c.verdict());
      assertVisibleWithoutScrolling(c.patient(), "#verdict h2");
      WebElement reason = browser.findElement(By.cssSelector("#deciding-reasons li"));
      assertThat(reason.getText()).as(c.patient() + " deciding reason").contains(c.reason());
      assertVisibleWithoutScrolling(c.patient(), "#deciding-reasons li");
      assertVisibleWithoutScrolling(c.patient(), c.action());
      assertVisibleWithoutScrolling(c.patient(), "#course-line");
      frameScreenshot("frame-" + c.patient());

      if (c.mlPerHour() != null) {
        assertThat(text("#rate-ml")).as(c.patient() + " pump rate").isEqualTo(c.mlPerHour());
        assertThat(text("#course-line")).as(c.patient()).contains(c.mlPerHour());
        assertThat(text("#session-dates")).as(c.patient() + " sessions").doesNotContain("Sat").doesNotContain("Sun");
      }
      if (c.patient().equals("opioid-benzo")) {
        assertThat(text(".risk-alert")).contains("High risk of respiratory depression")
            .contains("current opioid and current benzodiazepine");
        assertVisibleWithoutScrolling(c.patient(), ".risk-alert");
        assertThat(text("#plan")).contains("Capnography (end-tidal CO2)");
      }
      if (c.patient().equals("minor")) {
        assertThat(text("#indication")).contains("Not an adult (18 or older required) — Criterion not met")
            .doesNotContain("Adult (18 years or older)");
        // not indicated: there is no plan to carry the precaution's monitoring
        assertThat(text("#precautions")).contains("A plan would carry: Continuous SpO2")
            .doesNotContain("The plan carries");
      }
      if (c.patient().equals("deceased")) {
        // a deceased patient is asked for nothing: no first-line trial, no value to enter
        assertThat(text("#verdict")).doesNotContain("Patient is living").contains("the patient has died");
        assertThat(text("#unknowns")).contains("not needed for this decision").contains("nothing needs to be entered");
        assertThat(browser.findElements(By.cssSelector("#unknowns form, #enter-missing"))).isEmpty();
        assertThat(text("#indication")).contains("Patient is deceased — Criterion not met");
      }
      if (c.patient().equals("sci-precautions")) {
        assertThat(text("#plan")).contains("Amr 2010").contains("no session on 2026-06-06 (Sat), 2026-06-07 (Sun)");
      }
      // every rule screened is listed with its result, whatever the verdict
      assertThat(browser.findElements(By.cssSelector("#checked tbody tr"))).as(c.patient() + " rules screened")
          .hasSize(26);
      assertThat(text("#checked")).contains("Psychotic disorder").contains("Current MAO inhibitor");
      assertThat(text("#site-settings")).contains("infusion days Monday to Friday").contains("1 mg/mL")
          .contains("premedication: none configured");
      if (c.patient().equals("opioid-benzo") || c.patient().equals("sci-precautions")) {
        elementScreenshots(c.patient(), "#plan", "#charts");
      }
    }
    assertNoSeriousAccessibilityViolations();
  }

  /** Within the 600 px frame as the page stands (scrolled to an anchor, e.g. #verdict after signing). */
  private void assertInView(String patient, String css) {
    WebElement element = browser.findElement(By.cssSelector(css));
    assertThat(element.isDisplayed()).as(patient + ": " + css + " displayed").isTrue();
    @SuppressWarnings("unchecked")
    Map<String, Object> box = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
        "const r = arguments[0].getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: window.innerHeight};",
        element);
    assertThat(((Number) box.get("top")).doubleValue()).as(patient + ": " + css + " top").isGreaterThanOrEqualTo(0);
    assertThat(((Number) box.get("bottom")).doubleValue()).as(patient + ": " + css + " bottom within the frame")
        .isLessThanOrEqualTo(((Number) box.get("height")).doubleValue());
  }

  /**
   * The showcase patients the other tests do not open, in the EHR's frame: the decision above the fold, and words
   * that read as they mean (no lower-cased units, no code capitals, no criterion shown as if met when it is not).
   */
  @Test
  void everyOtherShowcasePatientReadsAsItMeans() throws IOException {
    List<String> patients = List.of("not-indicated", "pregnant-contraindicated", "pregnancy-superseded",
        "cirrhosis-contraindicated", "ketamine-allergy", "course-non-responder");
    boolean first = true;
    for (String patient : patients) {
      browser.switchTo().defaultContent();
      launch(patient, first);
      first = false;
      assertThat(browser.findElement(By.id("patient-banner")).isDisplayed()).as(patient + " banner").isFalse();
      if (patient.startsWith("course-")) {
        // a plan in its course: the course (session of the day, outcome) comes first, the verdict under it
        assertVisibleWithoutScrolling(patient, "#course h2");
      } else {
        assertVisibleWithoutScrolling(patient, "#verdict h2");
        assertVisibleWithoutScrolling(patient, "#deciding-reasons li");
      }
      String page = text("main");
      assertThat(page).as(patient).doesNotContain("mmhg").doesNotContain("NOT-APPLICABLE")
          .doesNotContainPattern("Patient is living — (deceased|Not|Criterion)").doesNotContain("Not present");
      if (browser.findElements(By.cssSelector("#checked table:first-of-type tr.check-not-checked")).isEmpty()) {
        assertThat(text("#contraindications")).as(patient).doesNotContain("could not be checked");
      } else {
        assertThat(text("#contraindications")).as(patient).doesNotContain("None found among");
      }
      frameScreenshot("frame-" + patient);
    }
    browser.switchTo().defaultContent();
    launch("not-indicated", false);
    assertThat(text("#deciding-reasons")).isEqualTo("No neuropathic pain indication — no active neuropathic pain "
        + "condition in the record");
    assertThat(text("#indication")).contains("No active neuropathic pain condition — Criterion not met")
        .contains("Adult (18 years or older) — Met");
  }

  private void assertVisibleWithoutScrolling(String patient, String css) {
    WebElement element = browser.findElement(By.cssSelector(css));
    assertThat(element.isDisplayed()).as(patient + ": " + css + " displayed").isTrue();
    @SuppressWarnings("unchecked")
    Map<String, Object> box = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
        "const r = arguments[0].getBoundingClientRect();"
            + "return {top: r.top, bottom: r.bottom, scrolled: window.scrollY, height: window.innerHeight};", element);
    assertThat(((Number) box.get("scrolled")).doubleValue()).as(patient + ": page not scrolled").isZero();
    assertThat(((Number) box.get("top")).doubleValue()).as(patient + ": " + css + " top").isGreaterThanOrEqualTo(0);
    assertThat(((Number) box.get("bottom")).doubleValue()).as(patient + ": " + css + " bottom within the 600 px frame")
        .isLessThanOrEqualTo(((Number) box.get("height")).doubleValue());
  }

  /** What the clinician sees in the EHR: the 600 px-high iframe as it stands, unscrolled (then back into it). */
  private void frameScreenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    browser.switchTo().defaultContent();
    WebElement frame = browser.findElement(By.tagName("iframe"));
    Files.write(SCREENSHOTS.resolve(name + ".png"), frame.getScreenshotAs(OutputType.BYTES));
    browser.switchTo().frame(frame);
  }

  /** Sections of the page opened at the top level in a window tall enough to hold them ("plan-opioid-benzo.png"). */
  private void elementScreenshots(String patient, String... css) throws IOException {
    browser.switchTo().defaultContent();
    browser.get(appBase + "/patient");
    wait(ExpectedConditions.presenceOfElementLocated(By.id("verdict")));
    long height = (Long) ((JavascriptExecutor) browser).executeScript(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
    browser.manage().window().setSize(new Dimension(1024, (int) Math.min(height + 40, 8000)));
    for (String selector : css) {
      Files.write(SCREENSHOTS.resolve(selector.substring(1) + "-" + patient + ".png"),
          browser.findElement(By.cssSelector(selector)).getScreenshotAs(OutputType.BYTES));
    }
    browser.manage().window().setSize(new Dimension(1024, 900));
  }

  /** The ids the page says it wrote, collapsed under "Signed and written to the chart". */
  private String written() {
    return browser.findElement(By.cssSelector(".written")).getAttribute("textContent");
  }

  /** A GET from inside the page (the app's session cookie goes with it), as the page's own link would do. */
  private String fetch(String path) {
    return (String) ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done);", path);
  }

  /** Through the EHR simulator: sign in (first time), Launch, consent (unticking {@code untick}), into the iframe. */
  private void launch(String patientId, boolean signIn, String... untick) {
    world.launch(browser, patientId, signIn, untick);
  }

  /** Reads back, as the EHR's staff would, every resource the page says it wrote, and validates it. */
  private static void assertWrittenResourcesAreInTheChartAndValid(String patientId, String writtenText) {
    IGenericClient chart = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    chart.registerInterceptor(new BearerTokenAuthInterceptor(sandbox.readToken(patientId)));
    Matcher ids = Pattern.compile("(RiskAssessment|CarePlan|Goal|Provenance)/[A-Za-z0-9.-]+").matcher(writtenText);
    List<String> types = new ArrayList<>();
    while (ids.find()) {
      IdType id = new IdType(ids.group());
      Resource resource = (Resource) chart.read().resource(id.getResourceType()).withId(id.getIdPart()).execute();
      assertThat(SharedValidator.get().errors(resource)).as(ids.group()).isEmpty();
      types.add(id.getResourceType());
    }
    assertThat(types).containsExactlyInAnyOrder("RiskAssessment", "CarePlan", "Goal", "Provenance");
    assertThat(chart.search().forResource(RiskAssessment.class).where(RiskAssessment.PATIENT.hasId(patientId))
        .returnBundle(Bundle.class).execute().getEntry()).as("one RiskAssessment, no duplicate").hasSize(1);
  }

  /** The patient's active CarePlans as the EHR holds them ("CarePlan/123"). */
  private static List<String> activeCarePlans(String patientId) {
    IGenericClient chart = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    chart.registerInterceptor(new BearerTokenAuthInterceptor(sandbox.readToken(patientId)));
    return chart.search().forResource(org.hl7.fhir.r4.model.CarePlan.class)
        .where(org.hl7.fhir.r4.model.CarePlan.PATIENT.hasId(patientId)).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (org.hl7.fhir.r4.model.CarePlan) e.getResource())
        .filter(p -> p.getStatus() == org.hl7.fhir.r4.model.CarePlan.CarePlanStatus.ACTIVE)
        .map(p -> "CarePlan/" + p.getIdElement().getIdPart()).toList();
  }

  private static String carePlanStatus(String id) {
    return carePlan(id).getStatus().toCode();
  }

  private static int sessionCount(String id) {
    return carePlan(id).getActivityFirstRep().getDetail().getScheduledTiming().getRepeat().getCount();
  }

  private static org.hl7.fhir.r4.model.CarePlan carePlan(String id) {
    IGenericClient chart = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    chart.registerInterceptor(new BearerTokenAuthInterceptor(sandbox.readToken("signed-plan")));
    return chart.read().resource(org.hl7.fhir.r4.model.CarePlan.class).withId(new IdType(id).getIdPart()).execute();
  }

  private void assertNoSeriousAccessibilityViolations() throws IOException {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    try (InputStream axe = getClass().getResourceAsStream("/axe/axe.min.js")) {
      js.executeScript(new String(axe.readAllBytes(), StandardCharsets.UTF_8));
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> violations = (List<Map<String, Object>>) js.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document).then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
            + ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).join('; ')}))));");
    assertThat(violations).as("serious or critical axe-core violations").isEmpty();
  }

  /**
   * The whole page, not only what fits in the EHR's iframe: the same page is opened at the top level (same
   * session) in a window as tall as the page; the test then goes on there.
   */
  /** The current top-level page as it stands (e.g. the EHR's own page with a CDS card). */
  private void pageScreenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    browser.switchTo().defaultContent();
    browser.get(appBase + "/patient");
    wait(ExpectedConditions.presenceOfElementLocated(By.id("verdict")));
    long height = (Long) ((JavascriptExecutor) browser).executeScript(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
    browser.manage().window().setSize(new Dimension(1024, (int) Math.min(height + 40, 6000)));
    Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    browser.manage().window().setSize(new Dimension(1024, 900));
  }

  private String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private void click(String css) {
    browser.findElement(By.cssSelector(css)).click();
  }

  private <T> T wait(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
    return new WebDriverWait(browser, Duration.ofSeconds(30)).until(condition);
  }
}
