package org.ketamineadvisor.advisor.web;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.web.SvgLineChart.Series;
import org.ketamineadvisor.advisor.web.SvgLineChart.Threshold;
import org.ketamineadvisor.advisor.web.SvgLineChart.Value;
import org.ketamineadvisor.advisor.web.VitalSignsSeries.LabPoint;
import org.ketamineadvisor.advisor.web.VitalSignsSeries.Point;

/**
 * The page's charts from the patient's vital signs and liver tests, with the rules' thresholds drawn in
 * (CLINICAL-RULES § 2: 180/100 contraindication, 140/90 precaution, heart rate 100, ALT/AST at the upper limit of
 * normal and 3 × it), the unit on each axis, and readings older than the rule's look-back drawn hollow in a shaded
 * band: the rules no longer read them.
 */
final class VitalCharts {

  private static final String SYSTOLIC = "#b00020";
  private static final String DIASTOLIC = "#1f4e9c";
  private static final String CONTRAINDICATION = "#8a0015";
  private static final String PRECAUTION = "#8a5a00";

  private VitalCharts() {}

  static List<ChartView> of(VitalSignsSeries vitals, LocalDate asOf) {
    RuleSettings rules = RuleSettings.defaults();
    List<ChartView> charts = new ArrayList<>();
    if (!vitals.bloodPressure().isEmpty()) {
      List<Value> sys = new ArrayList<>();
      List<Value> dia = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      for (VitalSignsSeries.BloodPressurePoint p : vitals.bloodPressure()) {
        if (p.systolic() != null) {
          sys.add(new Value(p.date(), p.systolic()));
        }
        if (p.diastolic() != null) {
          dia.add(new Value(p.date(), p.diastolic()));
        }
        rows.add(List.of(p.date().toString(), text(p.systolic()), text(p.diastolic())));
      }
      int window = rules.bloodPressureWindowDays();
      String svg = new SvgLineChart("chart-bp", "Blood pressure over time (mmHg)",
          "Systolic and diastolic blood pressure with the thresholds 180/100 (contraindication) and 140/90 "
              + "(precaution); " + rows.size() + " readings.", "mmHg", 40, 200)
          .series(new Series("Systolic", SYSTOLIC, false, "circle", sys))
          .series(new Series("Diastolic", DIASTOLIC, true, "square", dia))
          .threshold(new Threshold(180, "180 systolic: contraindication", CONTRAINDICATION))
          .threshold(new Threshold(140, "140 systolic: precaution", PRECAUTION))
          .threshold(new Threshold(100, "100 diastolic: contraindication", CONTRAINDICATION))
          .threshold(new Threshold(90, "90 diastolic: precaution", PRECAUTION))
          .staleBefore(asOf.minusDays(window), staleLabel(window))
          .render();
      charts.add(new ChartView("chart-bp", "Blood pressure (mmHg)", svg, List.of("Date", "Systolic (mmHg)",
          "Diastolic (mmHg)"), rows));
    }
    if (!vitals.heartRate().isEmpty()) {
      charts.add(single("chart-hr", "Heart rate (/min)", "/min", vitals.heartRate(), 40, 120,
          new Threshold(100, "100: tachycardia precaution", PRECAUTION), asOf, rules.heartRateWindowDays()));
    }
    if (!vitals.pain().isEmpty()) {
      charts.add(single("chart-pain", "Pain score (0–10)", "0–10", vitals.pain(), 0, 10, null, asOf,
          rules.painScoreWindowDays()));
    }
    if (!vitals.weightKg().isEmpty()) {
      charts.add(single("chart-weight", "Weight (kg)", "kg", vitals.weightKg(), 40, 120, null, asOf,
          rules.weightWindowDays()));
    }
    if (!vitals.alt().isEmpty() || !vitals.ast().isEmpty()) {
      charts.add(liver(vitals, asOf, rules));
    }
    return charts;
  }

  /** ALT and AST with the upper limit of normal (the latest reported, else the rules' default) and 3 × it. */
  private static ChartView liver(VitalSignsSeries vitals, LocalDate asOf, RuleSettings rules) {
    BigDecimal uln = latestUpperLimit(vitals.alt(), vitals.ast());
    boolean reported = uln != null;
    if (uln == null) {
      uln = rules.liverTestUpperLimitDefault();
    }
    BigDecimal severe = uln.multiply(rules.severeLiverTestMultiple());
    List<List<String>> rows = new ArrayList<>();
    vitals.alt().forEach(p -> rows.add(List.of(p.date().toString(), "ALT", text(p.value()), text(p.upperLimit()))));
    vitals.ast().forEach(p -> rows.add(List.of(p.date().toString(), "AST", text(p.value()), text(p.upperLimit()))));
    rows.sort(java.util.Comparator.comparing(r -> r.get(0)));
    String ulnText = text(uln) + (reported ? "" : " (default)");
    int window = rules.liverTestWindowDays();
    String svg = new SvgLineChart("chart-lft", "Liver tests over time (U/L)", "ALT and AST with the upper limit of "
        + "normal " + ulnText + " U/L and 3 × it " + text(severe) + " U/L; " + rows.size() + " results.", "U/L", 0,
        severe.doubleValue() * 1.1)
        .series(new Series("ALT", SYSTOLIC, false, "circle", lab(vitals.alt())))
        .series(new Series("AST", DIASTOLIC, true, "square", lab(vitals.ast())))
        .threshold(new Threshold(severe.doubleValue(), text(severe) + " (3 × ULN): contraindication", CONTRAINDICATION))
        .threshold(new Threshold(uln.doubleValue(), text(uln) + " (ULN): precaution", PRECAUTION))
        .staleBefore(asOf.minusDays(window), staleLabel(window))
        .render();
    return new ChartView("chart-lft", "Liver tests (U/L)", svg, List.of("Date", "Test", "Value (U/L)",
        "Upper limit of normal (U/L)"), rows);
  }

  private static BigDecimal latestUpperLimit(List<LabPoint> alt, List<LabPoint> ast) {
    LabPoint latest = null;
    for (List<LabPoint> tests : List.of(alt, ast)) {
      for (LabPoint p : tests) {
        if (p.upperLimit() != null && (latest == null || !p.date().isBefore(latest.date()))) {
          latest = p;
        }
      }
    }
    return latest == null ? null : latest.upperLimit();
  }

  private static List<Value> lab(List<LabPoint> points) {
    return points.stream().map(p -> new Value(p.date(), p.value())).toList();
  }

  private static String staleLabel(int window) {
    return "older than " + window + " days: not read by the rules";
  }

  private static ChartView single(String id, String heading, String unit, List<Point> points, double min, double max,
      Threshold threshold, LocalDate asOf, int window) {
    List<Value> values = points.stream().map(p -> new Value(p.date(), p.value())).toList();
    SvgLineChart chart = new SvgLineChart(id, heading + " over time", heading + ": " + points.size() + " values"
        + (threshold == null ? "" : ", threshold " + threshold.label()) + ".", unit, min, max)
        .series(new Series(heading.replaceAll(" \\(.*\\)$", ""), DIASTOLIC, false, "circle", values))
        .staleBefore(asOf.minusDays(window), staleLabel(window));
    if (threshold != null) {
      chart.threshold(threshold);
    }
    List<List<String>> rows = points.stream().map(p -> List.of(p.date().toString(), text(p.value()))).toList();
    return new ChartView(id, heading, chart.render(), List.of("Date", heading), rows);
  }

  private static String text(BigDecimal value) {
    return value == null ? "not recorded" : value.stripTrailingZeros().toPlainString();
  }
}
