package org.ketamineadvisor.advisor.web;

import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.web.PatientPage.ChartView;
import org.ketamineadvisor.advisor.web.SvgLineChart.Series;
import org.ketamineadvisor.advisor.web.SvgLineChart.Threshold;
import org.ketamineadvisor.advisor.web.SvgLineChart.Value;
import org.ketamineadvisor.advisor.web.VitalSignsSeries.Point;

/**
 * The page's charts from the patient's vital signs, with the rules' thresholds drawn in (CLINICAL-RULES § 2:
 * 180/100 contraindication, 140/90 precaution, heart rate 100).
 */
final class VitalCharts {

  private static final String SYSTOLIC = "#b00020";
  private static final String DIASTOLIC = "#1f4e9c";
  private static final String CONTRAINDICATION = "#8a0015";
  private static final String PRECAUTION = "#8a5a00";

  private VitalCharts() {}

  static List<ChartView> of(VitalSignsSeries vitals) {
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
      String svg = new SvgLineChart("chart-bp", "Blood pressure over time (mmHg)",
          "Systolic and diastolic blood pressure with the thresholds 180/100 (contraindication) and 140/90 "
              + "(precaution); " + rows.size() + " readings.", 40, 200)
          .series(new Series("Systolic", SYSTOLIC, false, "circle", sys))
          .series(new Series("Diastolic", DIASTOLIC, true, "square", dia))
          .threshold(new Threshold(180, "180 uncontrolled", CONTRAINDICATION))
          .threshold(new Threshold(100, "100 uncontrolled", CONTRAINDICATION))
          .threshold(new Threshold(140, "140 precaution", PRECAUTION))
          .threshold(new Threshold(90, "90 precaution", PRECAUTION))
          .render();
      charts.add(new ChartView("chart-bp", "Blood pressure", svg, List.of("Date", "Systolic (mmHg)",
          "Diastolic (mmHg)"), rows));
    }
    if (!vitals.heartRate().isEmpty()) {
      charts.add(single("chart-hr", "Heart rate", "Heart rate over time (/min)", "/min", vitals.heartRate(), 40, 120,
          new Threshold(100, "100 tachycardia", PRECAUTION)));
    }
    if (!vitals.pain().isEmpty()) {
      charts.add(single("chart-pain", "Pain scores", "Pain scores over time (0 to 10)", "0-10", vitals.pain(), 0, 10,
          null));
    }
    if (!vitals.weightKg().isEmpty()) {
      charts.add(single("chart-weight", "Weight", "Body weight over time (kg)", "kg", vitals.weightKg(), 40, 120,
          null));
    }
    return charts;
  }

  private static ChartView single(String id, String heading, String title, String unit, List<Point> points,
      double min, double max, Threshold threshold) {
    List<Value> values = points.stream().map(p -> new Value(p.date(), p.value())).toList();
    SvgLineChart chart = new SvgLineChart(id, title, heading + ": " + points.size() + " values"
        + (threshold == null ? "" : ", threshold " + threshold.label()) + ".", min, max)
        .series(new Series(heading, DIASTOLIC, false, "circle", values));
    if (threshold != null) {
      chart.threshold(threshold);
    }
    List<List<String>> rows = points.stream().map(p -> List.of(p.date().toString(), text(p.value()))).toList();
    return new ChartView(id, heading, chart.render(), List.of("Date", heading + " (" + unit + ")"), rows);
  }

  private static String text(java.math.BigDecimal value) {
    return value == null ? "not recorded" : value.stripTrailingZeros().toPlainString();
  }
}
