package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.PrintsPage;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.print.PageSize;
import org.openqa.selenium.print.PrintOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The printable summary through the real sandbox launch, printed by chromium to PDF and read page by page with
 * poppler's pdftotext: opened from the page's Print link in its own window (from inside the EHR's iframe); every
 * page carries the patient's name, birth date and identifier and whether the plan is signed; once a revised plan is
 * signed, the sheet (and the CarePlan's own text) says what the active CarePlan holds, field by field, not the
 * protocol's default proposal. Fails (never skips) when chromium, chromedriver or pdftotext is missing.
 */
class PrintedSummaryBrowserTest {

  /** Under target/, so a test run changes no tracked file: the PDFs printed, to look at. */
  private static final Path PRINTS = Path.of("target/prints");
  private static final String PATIENT = "crps-suitable";
  /** A4; compact enough for a nurse's clipboard, not the 6-7 sheets the old print ran to. */
  private static final int MOST_SHEETS = 3;

  private static BrowserSandbox world;
  private static SandboxEhr sandbox;
  private static String appBase;
  private BrowserSandbox.Chromium chromium;
  private WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    BrowserSandbox.requireTools("chromium, chromium-driver and poppler-utils", "pdftotext", "pdfinfo");
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
  void aRevisedSignedPlanPrintsWhatTheActiveCarePlanHoldsOnEveryPage() throws Exception {
    Identity who = identity(PATIENT);

    // before signing: the Print link opens the summary in its own window, from inside the EHR's iframe
    launch(PATIENT, true);
    WebElement link = browser.findElement(By.id("print-summary"));
    assertThat(link.getAttribute("target")).isEqualTo("_blank");
    assertThat(link.getAttribute("rel")).contains("noopener");
    String ehrWindow = browser.getWindowHandle();
    link.click();
    String summaryWindow = wait(d -> d.getWindowHandles().stream().filter(h -> !h.equals(ehrWindow)).findFirst()
        .orElse(null));
    browser.switchTo().window(summaryWindow);
    wait(ExpectedConditions.presenceOfElementLocated(By.id("printed-plan")));
    assertThat(browser.getCurrentUrl()).isEqualTo(appBase + "/patient/summary");
    assertThat(browser.findElement(By.id("print-button")).isDisplayed()).as("the page's own Print button").isTrue();
    assertThat(text("#printed-plan")).contains("Proposed course — NOT SIGNED (draft)").doesNotContain("Plan in force");
    assertThat(text("#printed-sessions")).isEqualTo("10");
    assertEveryPrintedPage("draft", who, "NOT SIGNED — draft");
    browser.close();
    browser.switchTo().window(ehrWindow);

    // sign, revise to 8 sessions, sign the revision
    browser.switchTo().frame(browser.findElement(By.tagName("iframe")));
    click("#sign-button");
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".written")));
    click("#revise-button");
    wait(ExpectedConditions.presenceOfElementLocated(By.id("cancel-revision")));
    WebElement sessions = browser.findElement(By.id("sessions"));
    sessions.clear();
    sessions.sendKeys("8");
    click("form.plan-form button");
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice")));
    click("#sign-button");
    wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".written")));

    List<CarePlan> active = activeCarePlans(PATIENT);
    assertThat(active).hasSize(1);
    CarePlan plan = active.get(0);
    var series = plan.getActivityFirstRep().getDetail();
    int count = series.getScheduledTiming().getRepeat().getCount();
    int dose = series.getDailyAmount().getValue().intValueExact();
    List<LocalDate> dates = series.getScheduledTiming().getEvent().stream()
        .map(DateTimeType::getValueAsString).map(LocalDate::parse).toList();
    assertThat(count).isEqualTo(8);
    assertThat(dates).hasSize(count);

    // the CarePlan's own text agrees with its activities: the planned sessions, not the protocol's 10
    String narrative = plan.getText().getDivAsString();
    assertThat(narrative).contains(count + " sessions on the clinic's infusion days")
        .contains("Course total: " + dose * count + " mg").contains(dates.get(0).toString())
        .contains(dates.get(count - 1).toString()).doesNotContain("10 sessions").doesNotContain("DRAFT");
    assertThat(plan.getDescription()).contains(count + " sessions").contains("Course total: " + dose * count + " mg")
        .doesNotContain("10 sessions");

    // a new launch: the page proposes the protocol's defaults again, the printout still says what is signed
    browser.switchTo().defaultContent();
    launch(PATIENT, false);
    browser.switchTo().defaultContent();
    browser.get(appBase + "/patient/summary");
    wait(ExpectedConditions.presenceOfElementLocated(By.id("printed-plan")));
    assertThat(text("#printed-plan")).contains("Plan in force — signed").doesNotContain("NOT SIGNED");
    assertThat(text("#printed-reference")).startsWith("CarePlan/" + plan.getIdElement().getIdPart() + " · status active");
    assertThat(text("#printed-sessions")).isEqualTo(String.valueOf(count));
    assertThat(text("#printed-dose")).startsWith(dose + " mg over 4 h");
    assertThat(text("#printed-total")).isEqualTo(dose * count + " mg");
    assertThat(text("#printed-first")).isEqualTo(dates.get(0).toString());
    assertThat(text("#printed-last")).isEqualTo(dates.get(count - 1).toString());
    assertThat(text("#printed-days")).isEqualTo(String.join(", ", PlanDates.days(dates)));
    // the order in full as signed: the dose, the stop criteria, the discharge; the monitoring and the follow-ups
    assertThat(text("#printed-order")).contains("Course total " + dose * count + " mg over " + count + " sessions")
        .contains("Stop or pause the infusion and call the physician when").contains("SpO2 below")
        .contains("Before discharge").contains("No driving for 24 hours").doesNotContain("1000 mg");
    assertThat(browser.findElements(By.cssSelector("#printed-steps tbody tr"))).hasSizeGreaterThanOrEqualTo(3);
    assertThat(text("#printed-steps")).containsIgnoringCase("pain");
    assertThat(text("body")).contains("SIGNED: Suitable — by Dr Ada Lovelace");
    screenshot("summary-signed");
    List<String> pages = assertEveryPrintedPage("signed", who, "SIGNED — plan in force CarePlan/"
        + plan.getIdElement().getIdPart());
    String printed = String.join("\n", pages);
    assertThat(printed).contains("Stop or pause the infusion").contains("Before discharge")
        .contains(dose * count + " mg").doesNotContain("1000 mg");
  }

  /**
   * Prints the current page to PDF (A4) as chromium does, reads every page's text and checks each carries the
   * patient's name, birth date, identifier and {@code state}; at most {@link #MOST_SHEETS} pages. Returns the pages.
   */
  private List<String> assertEveryPrintedPage(String name, Identity who, String state) throws Exception {
    PrintOptions options = new PrintOptions();
    options.setPageSize(new PageSize(29.7, 21.0));
    String pdf = ((PrintsPage) browser).print(options).getContent();
    Files.createDirectories(PRINTS);
    Path file = PRINTS.resolve("summary-" + name + ".pdf");
    Files.write(file, Base64.getDecoder().decode(pdf));
    Matcher pages = Pattern.compile("(?m)^Pages:\\s+(\\d+)").matcher(run("pdfinfo", file.toString()));
    assertThat(pages.find()).as("pdfinfo gives the page count").isTrue();
    int count = Integer.parseInt(pages.group(1));
    assertThat(count).as("printed sheets").isBetween(1, MOST_SHEETS);
    List<String> texts = new ArrayList<>();
    for (int page = 1; page <= count; page++) {
      String text = run("pdftotext", "-f", String.valueOf(page), "-l", String.valueOf(page), "-layout",
          file.toString(), "-").replaceAll("\\s+", " ");
      assertThat(text).as("page %d of %d of %s", page, count, file).contains(who.name()).contains(who.birthDate())
          .contains(who.identifier()).contains(state);
      texts.add(text);
    }
    return texts;
  }

  private record Identity(String name, String birthDate, String identifier) {}

  /** The patient as the EHR holds them: what every printed page must name. */
  private static Identity identity(String patientId) {
    Patient patient = chart(patientId).read().resource(Patient.class).withId(patientId).execute();
    return new Identity(patient.getNameFirstRep().getNameAsSingleString(), patient.getBirthDateElement()
        .getValueAsString(), patient.getIdentifierFirstRep().getValue());
  }

  private static List<CarePlan> activeCarePlans(String patientId) {
    return chart(patientId).search().forResource(CarePlan.class).where(CarePlan.PATIENT.hasId(patientId))
        .returnBundle(Bundle.class).execute().getEntry().stream().map(e -> (CarePlan) e.getResource())
        .filter(p -> p.getStatus() == CarePlan.CarePlanStatus.ACTIVE).toList();
  }

  private static IGenericClient chart(String patientId) {
    IGenericClient chart = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    chart.registerInterceptor(new BearerTokenAuthInterceptor(sandbox.readToken(patientId)));
    return chart;
  }

  /** Through the EHR simulator: sign in (first time), Launch, consent, into the iframe. */
  private void launch(String patientId, boolean signIn) {
    world.launch(browser, patientId, signIn);
  }

  private void screenshot(String name) throws IOException {
    Files.createDirectories(PRINTS);
    Files.write(PRINTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command[0] + " finished").isTrue();
    assertThat(process.exitValue()).as(command[0] + ": " + out).isZero();
    return out;
  }


  private String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private void click(String css) {
    browser.findElement(By.cssSelector(css)).click();
  }

  private <T> T wait(java.util.function.Function<WebDriver, T> condition) {
    return new WebDriverWait(browser, Duration.ofSeconds(30)).until(condition::apply);
  }
}
