package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One course walked as a clinic lives it, in headless chromium at 1024 × 600 through the sandbox EHR: the physician
 * signs a three-session plan on the page; on each session day the EHR's date and time is set on the simulator, the
 * nurse records vital signs, the app's page turns from HOLD to GO, the nurse documents the infusion; then at the 1-,
 * 4- and 12-week follow-ups a pain score is recorded and the physician confirms it, until the page shows the
 * standing (responder) and the chart holds the Goal achieved and the plan completed.
 *
 * <p>{@code sci-precautions} walks it: a man (no first-session pregnancy test, which the simulator cannot record),
 * suitable with precautions, baseline pain 8. Moving the EHR's clock twelve weeks expires no token: every launch and
 * CDS Hooks call on the way still works.
 */
class CourseWalkBrowserTest {

  /** Where the other browser tests put theirs (scripts/update-screenshots.sh copies them to docs/). */
  private static final Path SCREENSHOTS = Path.of("target/screenshots");
  private static final String PATIENT = "sci-precautions";
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private static BrowserSandbox world;
  private static SandboxEhr sandbox;

  @BeforeAll
  static void start() throws IOException {
    BrowserSandbox.requireTools("chromium and chromium-driver");
    world = BrowserSandbox.start();
    sandbox = world.ehr();
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void aCourseIsWalkedFromItsFirstSessionToTheTwelveWeekStanding() throws IOException {
    try (BrowserSandbox.Chromium chromium = BrowserSandbox.chromium(1024, 600)) {
      long started = System.nanoTime();
      new Walk(chromium.driver()).throughTheCourse();
      System.out.printf("course walked (3 sessions, 3 follow-ups, 13 launches) in %d s%n",
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }
  }

  /** The clinic's staff at the EHR, in one browser. */
  private static final class Walk {

    private final WebDriver browser;

    Walk(WebDriver browser) {
      this.browser = browser;
      // a viewport of 1024 × 600, not a window: headless chromium's window includes its own bars
      long bars = ((Number) ((JavascriptExecutor) browser).executeScript(
          "return window.outerHeight - window.innerHeight")).longValue();
      browser.manage().window().setSize(new Dimension(1024, 600 + (int) bars));
    }

    void throughTheCourse() throws IOException {
      // Monday: the physician signs a three-session course
      browser.get(sandbox.ehrUrl());
      wait(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys("dr.ada");
      browser.findElement(By.id("password")).sendKeys("sandbox");
      browser.findElement(By.cssSelector("button[type=submit]")).click();
      assertThat(wait(ExpectedConditions.presenceOfElementLocated(By.id("ehr-clock"))).getText())
          .contains("EHR date and time").contains("Mon 2026-06-01").contains("UTC");
      setEhrTime("2026-06-01 14:00", "Mon 2026-06-01 14:0");
      pageScreenshot("walk-ehr-date-and-time");

      launch();
      WebElement sessions = browser.findElement(By.id("sessions"));
      sessions.clear();
      sessions.sendKeys("3");
      browser.findElement(By.cssSelector("form.plan-form button")).click();
      wait(ExpectedConditions.textToBe(By.cssSelector("p.notice"), "The plan was updated."));
      List<LocalDate> sessionDays = days(text("#session-dates"));
      assertThat(sessionDays).as("three clinic days from the day after signing")
          .containsExactly(LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 3), LocalDate.of(2026, 6, 4));
      browser.findElement(By.id("sign-button")).click();
      wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".written")));
      assertThat(text("#course h2")).isEqualTo("No session today — next session Tue 2026-06-02 (session 1 of 3); "
          + "0 of 3 sessions given");
      frameScreenshot("walk-signed");

      for (int i = 0; i < sessionDays.size(); i++) {
        infusionDay(i + 1, sessionDays.get(i), sessionDays.size());
      }
      assertThat(ketamineGiven()).as("the EHR's administration record").containsExactlyElementsOf(sessionDays);

      // the 1-week follow-up: a week after the last session, with the simulator's "+1 week"
      browser.switchTo().defaultContent();
      browser.get(sandbox.ehrUrl());
      browser.findElement(By.cssSelector("#ehr-clock button[value=P7D]")).click();
      wait(ExpectedConditions.textToBePresentInElementLocated(By.id("ehr-now"), "Thu 2026-06-11 "));
      LocalDate last = sessionDays.get(sessionDays.size() - 1);
      followUp(1, last.plusWeeks(1), 5, "37.5 %", "moderate", "Goal in-progress active");
      assertThat(sessionActivity()).as("after the last session the session series is completed").isEqualTo("completed");
      setEhrTime(last.plusWeeks(4) + " 10:00", "Thu 2026-07-02 10:0");
      followUp(4, last.plusWeeks(4), 4, "50.0 %", "substantial", "Goal in-progress active");
      setEhrTime(last.plusWeeks(12) + " 10:00", "Thu 2026-08-27 10:0");
      followUp(12, last.plusWeeks(12), 3, "62.5 %", "substantial", "Goal achieved completed");

      assertThat(text("#standing")).contains("a repeat course may be considered");
      assertThat(text("#outcome .written")).contains("Goal/").contains("CarePlan/");
      assertThat(browser.findElements(By.id("confirm-follow-up"))).as("recorded once, not offered again").isEmpty();
      assertThat(carePlan().getStatus()).isEqualTo(CarePlan.CarePlanStatus.COMPLETED);
      frameScreenshot("walk-12-week-standing");
    }

    /** Session n: set the day, HOLD without vital signs, record them, GO, document the infusion. */
    private void infusionDay(int n, LocalDate day, int of) throws IOException {
      setEhrTime(day + " 08:30", PlanDates.day(day) + " 08:3");
      launch();
      assertThat(text("#course h2")).isEqualTo("Session " + n + " of " + of + " — HOLD");
      assertThat(text("#course-checked-at")).as("the app's day is the EHR's").endsWith(" on " + PlanDates.day(day));
      assertThat(text("#course-given")).startsWith((n - 1) + " of " + of + " sessions given");
      if (n == 1) {
        frameScreenshot("walk-session-1-hold-no-vital-signs");
      }

      record("vitals", "systolic", "128", "diastolic", "80", "heartRate", "74", "spo2", "97");
      assertThat(status()).contains("at " + day + " 08:3").contains("BP 128/80 mmHg");
      launch();
      assertThat(text("#course h2")).isEqualTo("Session " + n + " of " + of + " — GO");
      assertThat(text("#course")).contains("BP 128/80 mmHg").contains("min ago");
      if (n == 1) {
        frameScreenshot("walk-session-1-go");
      }

      record("infusion", "dose", "80");
      assertThat(status()).contains("ketamine 80 mg documented as given today");
    }

    /**
     * A follow-up visit: a pain score recorded alone (no vital signs) "now", then the physician confirms it on the
     * page and the chart holds the Goal as {@code goal} ("Goal achievement lifecycle").
     */
    private void followUp(int weeks, LocalDate due, int pain, String reduction, String response, String goal)
        throws IOException {
      launch();
      assertThat(text("#course h2")).isEqualTo("Course complete — 3 of 3 sessions given");
      record("pain", "pain", String.valueOf(pain));
      assertThat(status()).contains("at " + due).contains("pain " + pain + "/10");
      assertThat(painScoreDates()).contains(due);
      launch();
      String row = browser.findElement(By.xpath("//table[@class='outcome']//tr[th='" + weeks
          + (weeks == 1 ? " week" : " weeks") + "']")).getText();
      assertThat(row).contains(pain + " on " + due).contains(reduction).contains(response);
      assertThat(text("#outcome")).contains("Baseline 8");
      WebElement confirm = browser.findElement(By.id("confirm-follow-up"));
      assertThat(confirm.getText()).isEqualTo(weeks == 12 ? "Confirm the 12-week outcome and complete the plan"
          : "Confirm the follow-up and record it in the chart");
      if (weeks == 1) {
        frameScreenshot("walk-1-week-follow-up");
      }
      confirm.click();
      wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#outcome .written")));
      assertThat("Goal " + goal()).isEqualTo(goal);
    }

    /** The simulator's "EHR date and time" form, as a tester uses it; {@code shown} is how the EHR then shows it. */
    private void setEhrTime(String at, String shown) {
      browser.switchTo().defaultContent();
      browser.get(sandbox.ehrUrl());
      WebElement field = wait(ExpectedConditions.presenceOfElementLocated(By.id("ehr-at")));
      field.clear();
      field.sendKeys(at);
      browser.findElement(By.cssSelector("#ehr-clock button[name=set]")).click();
      wait(ExpectedConditions.textToBePresentInElementLocated(By.id("ehr-now"), shown));
    }

    /** Launches the app from the EHR's patient list; the driver is left inside the app's iframe. */
    private void launch() {
      browser.switchTo().defaultContent();
      world.launch(browser, PATIENT, false);
      // every launch opens the chart with the EHR's patient-view CDS call: its JWT keeps real time
      browser.switchTo().defaultContent();
      assertThat(browser.findElements(By.cssSelector(".cds-unavailable"))).as("the CDS service was reached").isEmpty();
      assertThat(text("#ehr-now")).as("the launch page shows the EHR's time").isNotBlank();
      browser.switchTo().frame(browser.findElement(By.tagName("iframe")));
      wait(ExpectedConditions.presenceOfElementLocated(By.id("verdict")));
    }

    /** Fills and sends one of the EHR's "Record in this EHR" forms under the app (names and values alternating). */
    private void record(String what, String... fieldsAndValues) {
      browser.switchTo().defaultContent();
      WebElement details = browser.findElement(By.cssSelector("details.record"));
      if (details.getAttribute("open") == null) {
        details.findElement(By.tagName("summary")).click();
      }
      WebElement form = details.findElement(By.xpath(".//form[input[@name='what' and @value='" + what + "']]"));
      for (int i = 0; i < fieldsAndValues.length; i += 2) {
        WebElement field = form.findElement(By.name(fieldsAndValues[i]));
        field.clear();
        field.sendKeys(fieldsAndValues[i + 1]);
      }
      form.findElement(By.tagName("button")).click();
    }

    private String status() {
      return wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[role=status]"))).getText();
    }

    private String text(String css) {
      return browser.findElement(By.cssSelector(css)).getText();
    }

    private <T> T wait(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
      return new WebDriverWait(browser, Duration.ofSeconds(30)).until(condition);
    }

    /** The EHR page as it stands, 1024 × 600. */
    private void pageScreenshot(String name) throws IOException {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** What the clinician sees in the EHR: the app's 600 px-high iframe, unscrolled (then back into it). */
    private void frameScreenshot(String name) throws IOException {
      Files.createDirectories(SCREENSHOTS);
      browser.switchTo().defaultContent();
      WebElement frame = browser.findElement(By.tagName("iframe"));
      ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'})", frame);
      Files.write(SCREENSHOTS.resolve(name + ".png"), frame.getScreenshotAs(OutputType.BYTES));
      browser.switchTo().frame(frame);
    }
  }

  private static List<LocalDate> days(String text) {
    Matcher m = DAY.matcher(text);
    List<LocalDate> days = new java.util.ArrayList<>();
    while (m.find()) {
      days.add(LocalDate.parse(m.group()));
    }
    return days;
  }

  // --- the chart, read back as the EHR's staff would ---

  private static IGenericClient chart() {
    IGenericClient chart = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    chart.registerInterceptor(new BearerTokenAuthInterceptor(sandbox.readToken(PATIENT)));
    return chart;
  }

  private static <T extends Resource> List<T> all(Class<T> type, String search) {
    return chart().search().byUrl(type.getSimpleName() + "?patient=" + PATIENT + search).returnBundle(Bundle.class)
        .execute().getEntry().stream().map(e -> type.cast(e.getResource())).toList();
  }

  /** The days of the completed ketamine administrations, in order. */
  private static List<LocalDate> ketamineGiven() {
    return all(MedicationAdministration.class, "&status=completed").stream()
        .map(a -> LocalDate.parse(a.getEffectiveDateTimeType().getValueAsString().substring(0, 10))).sorted().toList();
  }

  private static List<LocalDate> painScoreDates() {
    return all(Observation.class, "&code=72514-3").stream()
        .map(o -> LocalDate.parse(o.getEffectiveDateTimeType().getValueAsString().substring(0, 10))).toList();
  }

  /** The app's one plan for the patient. */
  private static CarePlan carePlan() {
    List<CarePlan> plans = all(CarePlan.class, "");
    assertThat(plans).hasSize(1);
    return plans.get(0);
  }

  /** The status of the plan's session series (its ketamine activity). */
  private static String sessionActivity() {
    return carePlan().getActivityFirstRep().getDetail().getStatus().toCode();
  }

  /** "achievement lifecycle" of the app's one Goal for the patient. */
  private static String goal() {
    List<Goal> goals = all(Goal.class, "");
    assertThat(goals).hasSize(1);
    Goal g = goals.get(0);
    return g.getAchievementStatus().getCodingFirstRep().getCode() + " " + g.getLifecycleStatus().toCode();
  }
}
