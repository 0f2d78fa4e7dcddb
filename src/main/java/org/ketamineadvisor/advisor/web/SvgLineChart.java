package org.ketamineadvisor.advisor.web;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart rendered on the server as inline SVG (no script, no library: hospital networks are often
 * closed and the CSP allows only the app's own files). Each series has its own colour, dash and marker shape so
 * that it can be told apart without colour; thresholds are drawn as labelled dashed lines. The SVG is an image
 * with a title and a description; the page puts the same values in a table for screen readers.
 */
final class SvgLineChart {

  static final int WIDTH = 940;
  static final int HEIGHT = 200;
  private static final int LEFT = 52;
  private static final int RIGHT = 215;
  private static final int TOP = 22;
  private static final int BOTTOM = 30;
  /** Threshold labels closer than this (px) are pushed apart, so that 100 and 90 mmHg never overlap. */
  private static final int LABEL_GAP = 13;
  /** Up to this many points, each carries its value as a label. */
  private static final int LABELLED_POINTS = 8;

  /** One line: its name (for the legend), colour, whether dashed, marker ("circle" or "square") and points. */
  record Series(String name, String colour, boolean dashed, String marker, List<Value> values) {}

  /** One value on one day. */
  record Value(LocalDate date, BigDecimal number) {}

  /** A horizontal line at {@code value}, labelled e.g. "180 uncontrolled". */
  record Threshold(double value, String label, String colour) {}

  private final String id;
  private final String title;
  private final String description;
  private final String unit;
  private final double yMin;
  private final double yMax;
  private final List<Series> series = new ArrayList<>();
  private final List<Threshold> thresholds = new ArrayList<>();
  private LocalDate staleBefore;
  private String staleLabel;

  /**
   * A chart whose y axis shows at least {@code yMin} to {@code yMax} in {@code unit} (the axis grows to fit the
   * values): a single reading sits on a sensible scale rather than filling the plot.
   */
  SvgLineChart(String id, String title, String description, String unit, double yMin, double yMax) {
    this.id = id;
    this.title = title;
    this.description = description;
    this.unit = unit;
    this.yMin = yMin;
    this.yMax = yMax;
  }

  SvgLineChart series(Series s) {
    series.add(s);
    return this;
  }

  SvgLineChart threshold(Threshold t) {
    thresholds.add(t);
    return this;
  }

  /** Readings before {@code date} are drawn hollow, in a shaded band labelled {@code label} (e.g. "older than 30 days"). */
  SvgLineChart staleBefore(LocalDate date, String label) {
    this.staleBefore = date;
    this.staleLabel = label;
    return this;
  }

  String render() {
    List<LocalDate> dates = series.stream().flatMap(s -> s.values().stream()).map(Value::date).sorted().toList();
    LocalDate first = dates.isEmpty() ? LocalDate.EPOCH : dates.get(0);
    LocalDate last = dates.isEmpty() ? first : dates.get(dates.size() - 1);
    long span = Math.max(1, ChronoUnit.DAYS.between(first, last));
    double max = yMax;
    double min = yMin;
    for (Series s : series) {
      for (Value v : s.values()) {
        max = Math.max(max, v.number().doubleValue());
        min = Math.min(min, v.number().doubleValue());
      }
    }
    double top = max;
    double bottom = min;
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    boolean oneDay = first.equals(last);
    // a single day sits in the middle; otherwise the dates span the plot with a small margin at each end
    int margin = 12;
    java.util.function.DoubleUnaryOperator y = v -> TOP + plotHeight * (top - v) / (top - bottom);
    java.util.function.ToDoubleFunction<LocalDate> x = d -> oneDay ? LEFT + plotWidth / 2.0
        : LEFT + margin + (plotWidth - 2 * margin) * (double) ChronoUnit.DAYS.between(first, d) / span;

    StringBuilder svg = new StringBuilder(4096);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .append(WIDTH).append(' ').append(HEIGHT).append("\" aria-labelledby=\"").append(id).append("-title ")
        .append(id).append("-desc\">");
    svg.append("<title id=\"").append(id).append("-title\">").append(escape(title)).append("</title>");
    svg.append("<desc id=\"").append(id).append("-desc\">").append(escape(description)).append("</desc>");
    if (staleBefore != null && !first.isAfter(staleBefore.minusDays(1)) && !oneDay) {
      double staleX = Math.min(LEFT + plotWidth, Math.max(LEFT, x.applyAsDouble(staleBefore)));
      svg.append("<rect x=\"").append(num(LEFT)).append("\" y=\"").append(num(TOP)).append("\" width=\"")
          .append(num(staleX - LEFT)).append("\" height=\"").append(plotHeight)
          .append("\" fill=\"#f0f0f0\"/>");
      svg.append(text(LEFT + 4, TOP + 12, "start", staleLabel, "#444444"));
    }
    // axes, gridlines with their values, and the unit
    svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "#595959", false));
    svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#595959", false));
    svg.append(text(LEFT - 6, TOP - 8, "end", unit, "#333333"));
    for (int i = 0; i <= 4; i++) {
      double value = bottom + (top - bottom) * i / 4;
      double gy = y.applyAsDouble(value);
      svg.append(line(LEFT - 4, gy, LEFT + plotWidth, gy, "#e2e2e2", false));
      svg.append(text(LEFT - 6, gy + 4, "end", format(value), "#333333"));
    }
    if (oneDay) {
      svg.append(text(LEFT + plotWidth / 2.0, HEIGHT - 8, "middle", first.toString(), "#333333"));
    } else {
      svg.append(text(LEFT, HEIGHT - 8, "start", first.toString(), "#333333"));
      svg.append(text(LEFT + plotWidth, HEIGHT - 8, "end", last.toString(), "#333333"));
    }
    List<double[]> labels = new ArrayList<>();
    for (Threshold t : thresholds) {
      double ty = y.applyAsDouble(t.value());
      svg.append(line(LEFT, ty, LEFT + plotWidth, ty, t.colour(), true));
      labels.add(new double[] {ty, thresholds.indexOf(t)});
    }
    // threshold labels in the right margin, pushed apart so that none overlaps another
    labels.sort(java.util.Comparator.comparingDouble(l -> l[0]));
    double previous = Double.NEGATIVE_INFINITY;
    for (double[] l : labels) {
      double ly = Math.max(l[0] + 4, previous + LABEL_GAP);
      Threshold t = thresholds.get((int) l[1]);
      svg.append(text(LEFT + plotWidth + 6, ly, "start", t.label(), t.colour()));
      previous = ly;
    }
    int legendY = TOP + plotHeight + 2 - 16 * (series.size() - 1);
    boolean labelPoints = dates.size() <= LABELLED_POINTS * Math.max(1, series.size());
    for (Series s : series) {
      List<Value> values = s.values();
      if (values.size() > 1) {
        StringBuilder points = new StringBuilder();
        for (Value v : values) {
          points.append(num(x.applyAsDouble(v.date()))).append(',').append(num(y.applyAsDouble(v.number().doubleValue())))
              .append(' ');
        }
        svg.append("<polyline fill=\"none\" stroke=\"").append(s.colour()).append("\" stroke-width=\"2\"")
            .append(s.dashed() ? " stroke-dasharray=\"6 3\"" : "").append(" points=\"")
            .append(points.toString().trim()).append("\"/>");
      }
      for (Value v : values) {
        double px = x.applyAsDouble(v.date());
        double py = y.applyAsDouble(v.number().doubleValue());
        boolean stale = staleBefore != null && v.date().isBefore(staleBefore);
        svg.append(marker(s, px, py, stale));
        if (labelPoints) {
          // systolic above its point, the other series below, so that a BP reading's two labels never collide
          double ly = s == series.get(0) ? py - 8 : py + 16;
          svg.append(text(px, ly, "middle", format(v.number().doubleValue()), s.colour()));
        }
      }
      svg.append(marker(s, LEFT + plotWidth + 10, legendY - 4, false));
      svg.append(text(LEFT + plotWidth + 18, legendY, "start", s.name(), "#222222"));
      legendY += 16;
    }
    svg.append("</svg>");
    return svg.toString();
  }

  private static String marker(Series s, double cx, double cy, boolean hollow) {
    String paint = hollow ? "fill=\"#ffffff\" stroke=\"" + s.colour() + "\" stroke-width=\"2\""
        : "fill=\"" + s.colour() + "\"";
    if ("square".equals(s.marker())) {
      return "<rect x=\"" + num(cx - 4) + "\" y=\"" + num(cy - 4) + "\" width=\"8\" height=\"8\" " + paint + "/>";
    }
    return "<circle cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"4\" " + paint + "/>";
  }

  private static String line(double x1, double y1, double x2, double y2, String colour, boolean dashed) {
    return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2)
        + "\" stroke=\"" + colour + "\"" + (dashed ? " stroke-dasharray=\"4 4\" stroke-width=\"1.5\"" : "") + "/>";
  }

  private static String text(double tx, double ty, String anchor, String content, String colour) {
    return "<text x=\"" + num(tx) + "\" y=\"" + num(ty) + "\" text-anchor=\"" + anchor + "\" font-size=\"12\" fill=\""
        + colour + "\">" + escape(content) + "</text>";
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
