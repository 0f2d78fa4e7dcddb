package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The clinic's list in Debian's headless chromium, in the sandbox EHR's 600 px-high frame of a 1024 px window: the
 * schedule's provider-level launch (no patient), the seeded showcase courses grouped for the day with GO and HOLD and
 * their readings, sorting by a column, and a row opened to that patient's page and back.
 */
class ClinicListBrowserTest {

  /** Where the other browser tests save theirs (scripts/update-screenshots.sh copies them to docs/). */
  private static final Path SCREENSHOTS = Path.of("target/screenshots");

  private static BrowserSandbox world;

  @BeforeAll
  static void start() throws IOException {
    BrowserSandbox.requireTools("chromium and chromium-driver");
    world = BrowserSandbox.start();
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void theSchedulesLaunchShowsTheDayGroupedSortableAndEachRowOpensItsPatient() throws IOException {
    try (BrowserSandbox.Chromium chromium = BrowserSandbox.chromium(1024, 900)) {
      WebDriver browser = chromium.driver();
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      browser.get(world.ehr().ehrUrl());
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys("dr.ada");
      browser.findElement(By.id("password")).sendKeys("sandbox");
      browser.findElement(By.cssSelector("button[type=submit]")).click();
      wait.until(ExpectedConditions.elementToBeClickable(By.id("open-clinic-list"))).click();
      browser.switchTo().frame(wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("iframe"))));
      wait.until(d -> !d.findElements(By.cssSelector("#clinic-day, input[name=scope]")).isEmpty());
      if (!browser.findElements(By.cssSelector("input[name=scope]")).isEmpty()) {
        browser.findElement(By.xpath("//button[text()='Allow']")).click();
      }
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("clinic-day")));

      // today: both infusion-day courses, GO and HOLD with the reading that decided and its time
      assertThat(browser.findElements(By.id("clinic-problems"))).as("nothing the list could not read").isEmpty();
      WebElement go = row(browser, "today", "course-go");
      WebElement hold = row(browser, "today", "course-hold");
      assertThat(go.getText()).contains("Okafor").contains("GO").contains("BP").containsPattern("\\d\\d:\\d\\d")
          .contains("4 of 10");
      assertThat(hold.getText()).contains("Alvarez").contains("HOLD").contains("188/102")
          .containsPattern("\\d\\d:\\d\\d");
      // the courses after their sessions are on the list too, in the group their follow-ups put them in
      String rest = browser.findElement(By.cssSelector("main")).getText();
      assertThat(browser.findElements(By.cssSelector("tr[data-patient=course-responder]"))).hasSize(1);
      assertThat(browser.findElements(By.cssSelector("tr[data-patient=course-non-responder]"))).hasSize(1);
      assertThat(rest).doesNotContain("could not be read");
      screenshot(browser, "frame-clinic-list");

      // sorting: by name as the server sent it (Daniel Okafor, Ruth Alvarez), by decision (HOLD first), the other
      // way (GO first), by name, by name the other way
      assertThat(patientsIn(browser, "today")).containsExactly("course-go", "course-hold");
      clickSort(browser, "today", "Decision");
      assertThat(patientsIn(browser, "today")).containsExactly("course-hold", "course-go");
      clickSort(browser, "today", "Decision");
      assertThat(patientsIn(browser, "today")).containsExactly("course-go", "course-hold");
      clickSort(browser, "today", "Patient");
      assertThat(patientsIn(browser, "today")).containsExactly("course-go", "course-hold");
      clickSort(browser, "today", "Patient");
      assertThat(patientsIn(browser, "today")).containsExactly("course-hold", "course-go");
      assertThat(browser.findElement(By.xpath("//section[@id='today']//th[button[text()='Patient']]"))
          .getAttribute("aria-sort")).isEqualTo("descending");

      // a row opens that patient's page, with the way back
      hold.findElement(By.cssSelector("form.open-row button")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("back-to-clinic")));
      assertThat(browser.findElement(By.id("patient-banner")).getText()).contains("Alvarez");
      assertThat(browser.findElement(By.id("course")).getText()).contains("HOLD");
      screenshot(browser, "frame-clinic-row-opened");
      browser.findElement(By.id("back-to-clinic")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("clinic-day")));
      assertThat(patientsIn(browser, "today")).contains("course-go", "course-hold");
    }
  }

  private static WebElement row(WebDriver browser, String group, String patient) {
    return browser.findElement(By.cssSelector("#" + group + " tr[data-patient='" + patient + "']"));
  }

  private static void clickSort(WebDriver browser, String group, String column) {
    browser.findElement(By.xpath("//section[@id='" + group + "']//th/button[text()='" + column + "']")).click();
  }

  private static List<String> patientsIn(WebDriver browser, String group) {
    return browser.findElements(By.cssSelector("#" + group + " tbody tr")).stream()
        .map(tr -> tr.getAttribute("data-patient")).toList();
  }

  /** The EHR's 600 px-high frame as it stands (then back into it). */
  private static void screenshot(WebDriver browser, String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    browser.switchTo().defaultContent();
    WebElement frame = browser.findElement(By.tagName("iframe"));
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true)", frame);
    Files.write(SCREENSHOTS.resolve(name + ".png"), frame.getScreenshotAs(OutputType.BYTES));
    browser.switchTo().frame(frame);
  }
}
