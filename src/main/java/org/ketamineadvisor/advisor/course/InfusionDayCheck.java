package org.ketamineadvisor.advisor.course;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ketamineadvisor.advisor.assessment.HcgResult;
import org.ketamineadvisor.advisor.assessment.ObservationRecord;
import org.ketamineadvisor.advisor.assessment.PatientFacts;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.course.DayCheck.Check;
import org.ketamineadvisor.advisor.course.DayCheck.Result;
import org.ketamineadvisor.advisor.terminology.CodeMatch;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.UnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * The infusion-day check of CLINICAL-RULES § 8.2: before a session starts, go or hold as of the moment of the check.
 * Readings count only when their time is known and lies within the last 4 hours (a date alone cannot be placed in
 * a 4-hour window); the pregnancy test looks back 7 days; a contraindication the signed assessment did not have
 * holds; a weight more than 10 % from the dosing weight is a caution, not a hold. "Today" is the calendar day in the
 * site's time zone.
 *
 * <p>Every hold names its next step, by rule, in words traceable to the specification or to a site setting: a BP
 * or heart rate above its limit is measured again after the site's rest time (the Swiss label's 180/100 is "at
 * rest"), a low SpO2 at once, and if still outside the limit, the session is not started and the physician is called (as § 5.1 does for the same
 * limits during an infusion); a missing reading is recorded before the session (§ 5: vital signs before every
 * session; a pregnancy test before the first); a positive pregnancy test or a new contraindication (§ 2.2) goes to
 * the physician before any session.
 */
public final class InfusionDayCheck {

  static final Duration VITALS_WINDOW = Duration.ofHours(4);
  static final int SYSTOLIC_LIMIT = 180;
  static final int DIASTOLIC_LIMIT = 100;
  static final int HEART_RATE_LIMIT = 120;
  static final int SPO2_LIMIT = 92;
  static final int PREGNANCY_TEST_DAYS = 7;
  static final BigDecimal WEIGHT_CHANGE = new BigDecimal("0.10");
  private static final int WEIGHT_LOOK_BACK_DAYS = 90;

  private final Terminology terminology;
  private final UnitConverter units;
  private final SiteSettings site;

  public InfusionDayCheck(Terminology terminology, UnitConverter units, SiteSettings site) {
    this.terminology = terminology;
    this.units = units;
    this.site = site;
  }

  /**
   * The check at {@code now} for the signed {@code plan}, from the patient's {@code observations}, the
   * {@code administrations} of ketamine, and the contraindications the rule set finds when re-run as of now.
   */
  public DayCheck check(CoursePlan plan, PatientFacts patient, List<ObservationRecord> observations,
      List<Administration> administrations, Set<RuleId> contraindicationsNow, Instant now) {
    LocalDate day = now.atZone(site.timeZone()).toLocalDate();
    int session = plan.sessionNumber(day);
    List<LocalDate> given = SessionsGiven.of(plan, administrations).stream().filter(d -> !d.isAfter(day)).toList();
    boolean firstSession = given.stream().noneMatch(d -> d.isBefore(day));
    LocalDate nextSession = plan.sessions().stream().filter(d -> d.isAfter(day)).findFirst().orElse(null);
    List<Check> checks = new ArrayList<>();
    Check bloodPressure = bloodPressure(observations, now);
    Set<RuleId> fresh = new TreeSet<>(contraindicationsNow);
    fresh.removeAll(plan.signedContraindications());
    // One BP problem, one HOLD row. When DAY-BP holds on a reading above 180/100, a new uncontrolled hypertension
    // (§ 2.2: the latest BP of the day, so this very reading or a later one of the same day, which the re-run as of
    // the date already counts) is the same hold: the BP row keeps it, with its re-measurement, and says so. Without
    // a high reading in the 4 hours (none at all, or a normal one), a new uncontrolled hypertension rests on another
    // reading and keeps its own row.
    boolean heldOnce = fresh.contains(RuleId.CI_UNCONTROLLED_HTN) && bloodPressure.result() == Result.HOLD
        && bloodPressure.reading() != null;
    if (heldOnce) {
      fresh.remove(RuleId.CI_UNCONTROLLED_HTN);
      bloodPressure = new Check(bloodPressure.id(), bloodPressure.title(), bloodPressure.result(),
          bloodPressure.reading(), bloodPressure.readAt(), bloodPressure.reference(), bloodPressure.detail()
              + "; also new since signing (DAY-NEW-CONTRAINDICATION, held here once): "
              + RuleId.CI_UNCONTROLLED_HTN.title(),
          bloodPressure.nextStep());
    }
    checks.add(bloodPressure);
    checks.add(limit("DAY-HR", "Heart rate", "heart-rate", observations, now, "/min", true, HEART_RATE_LIMIT));
    checks.add(limit("DAY-SPO2", "SpO2", "spo2", observations, now, "%", false, SPO2_LIMIT));
    checks.add(pregnancy(patient, observations, day, firstSession));
    if (!heldOnce || !fresh.isEmpty()) {
      checks.add(newContraindication(fresh));
    }
    checks.add(weight(plan, observations, now, day));
    DayCheck.Decision decision = session == 0 ? DayCheck.Decision.NOT_A_SESSION_DAY
        : checks.stream().anyMatch(c -> c.result() == Result.HOLD) ? DayCheck.Decision.HOLD : DayCheck.Decision.GO;
    BigDecimal rateMg = BigDecimal.valueOf(plan.doseMg() * 60L)
        .divide(BigDecimal.valueOf(plan.minutesPerSession()), 1, RoundingMode.HALF_UP);
    BigDecimal rateMl = BigDecimal.valueOf(plan.doseMg() * 60L).divide(
        BigDecimal.valueOf(plan.minutesPerSession()).multiply(site.concentrationMgPerMl()), 1, RoundingMode.HALF_UP);
    return new DayCheck(now, site.timeZone(), day, session, plan.sessions().size(), decision, checks, given,
        nextSession, plan.doseMg(), rateMg, rateMl);
  }

  // ---- vital signs within 4 hours ------------------------------------------------------------

  private record Reading(ObservationRecord observation, BigDecimal value) {
    Instant at() {
      return observation.effective().instant();
    }
  }

  private Check bloodPressure(List<ObservationRecord> observations, Instant now) {
    ObservationRecord latest = null;
    BigDecimal systolic = null;
    BigDecimal diastolic = null;
    for (ObservationRecord o : recent(observations, now, VITALS_WINDOW)) {
      String group = group(o);
      BigDecimal sys = null;
      BigDecimal dia = null;
      if ("blood-pressure-panel".equals(group)) {
        for (ObservationRecord.Component c : o.components()) {
          String part = terminology.group(ValueSetId.OBSERVATION_CODES, c.code()).orElse("");
          if ("systolic".equals(part)) {
            sys = number(c.value()).orElse(sys);
          } else if ("diastolic".equals(part)) {
            dia = number(c.value()).orElse(dia);
          }
        }
      } else if ("systolic".equals(group)) {
        sys = number(o.value()).orElse(null);
      } else if ("diastolic".equals(group)) {
        dia = number(o.value()).orElse(null);
      } else {
        continue;
      }
      if (sys == null && dia == null) {
        continue;
      }
      if (latest == null || o.effective().instant().isAfter(latest.effective().instant())) {
        latest = o;
        systolic = sys;
        diastolic = dia;
      } else if (o.effective().instant().equals(latest.effective().instant())) {
        // separate systolic and diastolic observations at one time make one reading (§ 7.8)
        systolic = systolic != null ? systolic : sys;
        diastolic = diastolic != null ? diastolic : dia;
      }
    }
    String title = "Blood pressure within 4 hours, not above " + SYSTOLIC_LIMIT + "/" + DIASTOLIC_LIMIT + " mmHg";
    if (latest == null || systolic == null) {
      return new Check("DAY-BP", title, Result.HOLD, null, null, null,
          "no blood pressure with a systolic value in the last 4 hours: measure it before the session",
          "record BP before the session (the pre-infusion vital signs), then check again");
    }
    String reading = "BP " + plain(systolic) + "/" + (diastolic == null ? "–" : plain(diastolic)) + " mmHg";
    boolean high = systolic.compareTo(BigDecimal.valueOf(SYSTOLIC_LIMIT)) > 0
        || diastolic != null && diastolic.compareTo(BigDecimal.valueOf(DIASTOLIC_LIMIT)) > 0;
    String limit = SYSTOLIC_LIMIT + "/" + DIASTOLIC_LIMIT + " mmHg";
    return new Check("DAY-BP", title, high ? Result.HOLD : Result.GO, reading, latest.effective().instant(),
        latest.reference(), high ? "above " + limit + ": hold the session" : "not above " + limit,
        high ? "rest " + site.recheckAfterMinutes() + " minutes and measure BP again; if still above " + limit
            + ", do not start the session and call the physician" : null);
  }

  /** Heart rate (hold above {@code limit}) or SpO2 (hold below it); none within 4 hours holds: unknown. */
  private Check limit(String id, String name, String group, List<ObservationRecord> observations, Instant now,
      String unit, boolean holdAbove, int limit) {
    Reading latest = null;
    for (ObservationRecord o : recent(observations, now, VITALS_WINDOW)) {
      if (group.equals(group(o))) {
        Optional<BigDecimal> value = number(o.value());
        if (value.isPresent() && (latest == null || o.effective().instant().isAfter(latest.at()))) {
          latest = new Reading(o, value.get());
        }
      }
    }
    String title = name + " within 4 hours, " + (holdAbove ? "not above " : "not below ") + limit + " " + unit;
    String noun = holdAbove ? "the heart rate" : name;
    if (latest == null) {
      return new Check(id, title, Result.HOLD, null, null, null,
          "no " + name + " in the last 4 hours (unknown): measure it before the session",
          "record " + noun + " before the session (the pre-infusion vital signs), then check again");
    }
    int cmp = latest.value().compareTo(BigDecimal.valueOf(limit));
    boolean hold = holdAbove ? cmp > 0 : cmp < 0;
    String side = (holdAbove ? "above " : "below ") + limit + " " + unit;
    // a heart rate is re-measured at rest, like the BP; a low SpO2 before a sedating infusion is not waited on: it
    // is measured again at once, and the rest time (which the rule set does not give) is not applied to it
    String remeasure = holdAbove ? "rest " + site.recheckAfterMinutes() + " minutes and measure " + noun + " again"
        : "measure " + noun + " again now";
    String next = hold ? remeasure + "; if still " + side + ", do not start the session and call the physician" : null;
    return new Check(id, title, hold ? Result.HOLD : Result.GO, name + " " + plain(latest.value()) + " " + unit,
        latest.at(), latest.observation().reference(), hold ? side + ": hold the session"
            : (holdAbove ? "not above " : "not below ") + limit + " " + unit, next);
  }

  private Check pregnancy(PatientFacts patient, List<ObservationRecord> observations, LocalDate day,
      boolean firstSession) {
    String title = "Pregnancy test before the first session (female, 18-55)";
    boolean female = patient.sex() == PatientFacts.AdministrativeSex.FEMALE;
    Integer age = patient.birthDate() == null ? null : Period.between(patient.birthDate(), day).getYears();
    boolean inAgeRange = age == null || age >= 18 && age <= 55;
    if (!firstSession || !female || !inAgeRange) {
      return new Check("DAY-PREGNANCY", title, Result.NOT_APPLICABLE, null, null, null,
          !firstSession ? "not the first session" : "not a female patient aged 18-55");
    }
    ObservationRecord negative = null;
    for (ObservationRecord o : observations) {
      if (!usable(o) || o.effective().date().isAfter(day) || o.effective().date().isBefore(day.minusDays(
          PREGNANCY_TEST_DAYS)) || !terminology.contains(ValueSetId.HCG_TESTS, o.code())) {
        continue;
      }
      Optional<HcgResult> result = HcgResult.of(o);
      if (result.isPresent() && result.get().positive()) {
        return new Check("DAY-PREGNANCY", title, Result.HOLD, result.get().description(), o.effective().instant(),
            o.reference(), "a positive hCG test within " + PREGNANCY_TEST_DAYS + " days: hold",
            "call the physician before any session: pregnancy is a contraindication (CI-PREGNANCY)");
      }
      if (result.isPresent() && (negative == null || o.effective().compareTo(negative.effective()) > 0)) {
        negative = o;
      }
    }
    if (negative == null) {
      return new Check("DAY-PREGNANCY", title, Result.HOLD, null, null, null,
          "no negative hCG test within " + PREGNANCY_TEST_DAYS + " days: test before the first session",
          "do a pregnancy test (hCG) and record it before the first session, then check again");
    }
    return new Check("DAY-PREGNANCY", title, Result.GO, "hCG negative on " + negative.effective().date(),
        negative.effective().instant(), negative.reference(), "negative within " + PREGNANCY_TEST_DAYS + " days");
  }

  /** {@code found}: the contraindications found now that the signed assessment did not have, in rule order. */
  private static Check newContraindication(Set<RuleId> found) {
    String title = "No contraindication the signed assessment did not have";
    List<RuleId> fresh = List.copyOf(found);
    if (fresh.isEmpty()) {
      return new Check("DAY-NEW-CONTRAINDICATION", title, Result.GO, null, null, null,
          "the rule set re-run now finds no new contraindication");
    }
    return new Check("DAY-NEW-CONTRAINDICATION", title, Result.HOLD,
        String.join("; ", fresh.stream().map(RuleId::title).toList()), null, null,
        "new since signing: hold and re-assess",
        "call the physician before any session: the plan was signed without this contraindication");
  }

  private Check weight(CoursePlan plan, List<ObservationRecord> observations, Instant now, LocalDate day) {
    String title = "Weight within 10 % of the dosing weight";
    ObservationRecord latest = null;
    BigDecimal kg = null;
    for (ObservationRecord o : observations) {
      if (!usable(o) || !"body-weight".equals(group(o)) || o.effective().date().isAfter(day)
          || o.effective().date().isBefore(day.minusDays(WEIGHT_LOOK_BACK_DAYS))
          || o.effective().instant() != null && o.effective().instant().isAfter(now)
          || !(o.value() instanceof ObservationRecord.QuantityValue q)) {
        continue;
      }
      Optional<BigDecimal> converted = units.convert(q.quantity(), "kg");
      if (converted.isPresent() && (latest == null || o.effective().compareTo(latest.effective()) > 0)) {
        latest = o;
        kg = converted.get();
      }
    }
    if (plan.dosingWeightKg() == null || latest == null) {
      return new Check("DAY-WEIGHT", title, Result.NOT_APPLICABLE, null, null, null,
          plan.dosingWeightKg() == null ? "the dose does not depend on a weight" : "no weight within 90 days");
    }
    BigDecimal change = kg.subtract(plan.dosingWeightKg()).abs()
        .divide(plan.dosingWeightKg(), 4, RoundingMode.HALF_UP);
    String reading = "weight " + kg.setScale(1, RoundingMode.HALF_UP).toPlainString() + " kg (dose computed on "
        + plan.dosingWeightKg().toPlainString() + " kg)";
    boolean changed = change.compareTo(WEIGHT_CHANGE) > 0;
    return new Check("DAY-WEIGHT", title, changed ? Result.CAUTION : Result.GO, reading, latest.effective().instant(),
        latest.reference(), changed ? "more than 10 % from the dosing weight: review the dose" : "within 10 %");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private List<ObservationRecord> recent(List<ObservationRecord> observations, Instant now, Duration window) {
    List<ObservationRecord> out = new ArrayList<>();
    for (ObservationRecord o : observations) {
      if (usable(o) && o.effective().timed() && !o.effective().instant().isAfter(now)
          && !o.effective().instant().isBefore(now.minus(window))) {
        out.add(o);
      }
    }
    return out;
  }

  private static boolean usable(ObservationRecord o) {
    return o.effective() != null && o.status() != null
        && Set.of("final", "amended", "corrected", "preliminary").contains(o.status());
  }

  private String group(ObservationRecord o) {
    return terminology.match(ValueSetId.OBSERVATION_CODES, o.code()).map(CodeMatch::group).orElse(null);
  }

  private static Optional<BigDecimal> number(ObservationRecord.ObservationValue value) {
    return value instanceof ObservationRecord.QuantityValue q && q.number() != null ? Optional.of(q.number())
        : Optional.empty();
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }
}
