package org.ketamineadvisor.advisor.careplan;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What CLINICAL-RULES § 5 and § 5.1 leave to the site: the infusion concentration, the days the clinic gives
 * infusions and its closures, the thresholds at which a nurse stops the infusion, and the premedication and
 * rescue drugs the site names (none unless it does). {@link #defaults()} are the specification's defaults.
 *
 * <p>For the infusion-day check (§ 8.2): the clinic's time zone ({@code timeZone}: which calendar day "today" is,
 * and how times are shown; a region id keeps daylight saving time right) and how many minutes a held patient rests
 * before BP or heart rate is measured again ({@code recheckAfterMinutes}; the specification gives no number, so
 * it is the site's, default 15).
 */
public record SiteSettings(BigDecimal concentrationMgPerMl, Set<DayOfWeek> infusionDays, Set<LocalDate> closures,
    StopThresholds stop, List<String> premedication, List<String> rescue, ZoneId timeZone,
    int recheckAfterMinutes) {

  /** UTC unless the site names its zone: the same day and times on every machine, whatever the JVM's zone. */
  public static final ZoneId DEFAULT_TIME_ZONE = ZoneOffset.UTC;
  /** A design choice (the specification gives no rest time before a re-measurement). */
  public static final int DEFAULT_RECHECK_AFTER_MINUTES = 15;

  /** The largest concentration accepted: ketamine for infusion is diluted (the default is 1 mg/mL). */
  public static final BigDecimal MAX_CONCENTRATION = BigDecimal.TEN;
  private static final int MAX_DRUG_TEXT = 200;

  /**
   * Stop or pause the infusion and call the physician when systolic > {@code systolicAbove} or diastolic >
   * {@code diastolicAbove} mmHg, SpO2 < {@code spo2Below} %, or heart rate > {@code heartRateAbove}/min (§ 5.1).
   */
  public record StopThresholds(int systolicAbove, int diastolicAbove, int spo2Below, int heartRateAbove) {
    public static StopThresholds defaults() {
      return new StopThresholds(180, 100, 92, 120);
    }
  }

  /** @throws IllegalArgumentException naming the setting and the accepted range when a value is out of it */
  public SiteSettings {
    List<String> problems = new ArrayList<>();
    if (concentrationMgPerMl == null || concentrationMgPerMl.signum() <= 0
        || concentrationMgPerMl.compareTo(MAX_CONCENTRATION) > 0) {
      problems.add("concentration-mg-per-ml must be above 0 and at most " + MAX_CONCENTRATION + " mg/mL, got "
          + concentrationMgPerMl);
    }
    if (infusionDays == null || infusionDays.isEmpty()) {
      problems.add("infusion-days must name at least one weekday (e.g. MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY)");
    }
    if (stop == null) {
      stop = StopThresholds.defaults();
    }
    range(problems, "stop.systolic-above", stop.systolicAbove(), 120, 250, "mmHg");
    range(problems, "stop.diastolic-above", stop.diastolicAbove(), 60, 150, "mmHg");
    range(problems, "stop.spo2-below", stop.spo2Below(), 80, 100, "%");
    range(problems, "stop.heart-rate-above", stop.heartRateAbove(), 80, 200, "/min");
    premedication = drugs(problems, "premedication", premedication);
    rescue = drugs(problems, "rescue", rescue);
    if (timeZone == null) {
      timeZone = DEFAULT_TIME_ZONE;
    }
    range(problems, "day-check.recheck-after-minutes", recheckAfterMinutes, 5, 60, "minutes");
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("site settings (advisor.site.*): " + String.join("; ", problems));
    }
    infusionDays = Set.copyOf(EnumSet.copyOf(infusionDays));
    closures = closures == null ? Set.of() : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(closures));
  }

  /** The settings of § 5 and § 5.1 alone: the day check's time zone and recheck time take their defaults. */
  public SiteSettings(BigDecimal concentrationMgPerMl, Set<DayOfWeek> infusionDays, Set<LocalDate> closures,
      StopThresholds stop, List<String> premedication, List<String> rescue) {
    this(concentrationMgPerMl, infusionDays, closures, stop, premedication, rescue, DEFAULT_TIME_ZONE,
        DEFAULT_RECHECK_AFTER_MINUTES);
  }

  /**
   * 1 mg/mL, Monday to Friday, no closures, stop at 180/100 mmHg, SpO2 92 %, 120/min, no drugs named; UTC, recheck
   * after 15 minutes.
   */
  public static SiteSettings defaults() {
    return new SiteSettings(BigDecimal.ONE, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), Set.of(),
        StopThresholds.defaults(), List.of(), List.of());
  }

  /** The same settings in another time zone (the command line's {@code --time-zone}). */
  public SiteSettings withTimeZone(ZoneId zone) {
    return new SiteSettings(concentrationMgPerMl, infusionDays, closures, stop, premedication, rescue, zone,
        recheckAfterMinutes);
  }

  /** "Monday to Friday; closed 2026-12-24, 2026-12-25" (at most five closures named, then how many more). */
  public String calendarInWords() {
    List<DayOfWeek> days = infusionDays.stream().sorted().toList();
    boolean run = days.size() > 2 && days.get(days.size() - 1).getValue() - days.get(0).getValue() == days.size() - 1;
    String dayWords = run ? name(days.get(0)) + " to " + name(days.get(days.size() - 1))
        : String.join(", ", days.stream().map(SiteSettings::name).toList());
    List<String> closed = closures.stream().map(LocalDate::toString).toList();
    String closureWords = closed.isEmpty() ? "no closures configured"
        : "closed " + String.join(", ", closed.subList(0, Math.min(5, closed.size())))
            + (closed.size() > 5 ? " and " + (closed.size() - 5) + " more dates" : "");
    return dayWords + "; " + closureWords;
  }

  /** The settings in one line, for the page and the plan's narrative. */
  public String inWords() {
    return "Site settings: infusion days " + calendarInWords() + "; " + concentrationMgPerMl.stripTrailingZeros()
        .toPlainString() + " mg/mL; stop at systolic > " + stop.systolicAbove() + " or diastolic > "
        + stop.diastolicAbove() + " mmHg, SpO2 < " + stop.spo2Below() + " %, heart rate > " + stop.heartRateAbove()
        + "/min; premedication: " + (premedication.isEmpty() ? "none configured" : String.join("; ", premedication))
        + "; rescue drugs: " + (rescue.isEmpty() ? "none configured" : String.join("; ", rescue)) + ".";
  }

  private static String name(DayOfWeek day) {
    return day.getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH);
  }

  public ClinicCalendar calendar() {
    return new ClinicCalendar(infusionDays, closures);
  }

  private static void range(List<String> problems, String name, int value, int min, int max, String unit) {
    if (value < min || value > max) {
      problems.add(name + " must be between " + min + " and " + max + " " + unit + ", got " + value);
    }
  }

  private static List<String> drugs(List<String> problems, String name, List<String> drugs) {
    if (drugs == null) {
      return List.of();
    }
    for (int i = 0; i < drugs.size(); i++) {
      String d = drugs.get(i);
      if (d == null || d.isBlank() || d.length() > MAX_DRUG_TEXT) {
        problems.add(name + "[" + i + "] must be a drug with its dose in words (1-" + MAX_DRUG_TEXT
            + " characters), e.g. \"ondansetron 4 mg IV before the infusion\"");
      }
    }
    return drugs.stream().map(d -> d == null ? "" : d.strip()).toList();
  }
}
