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

  static final int WIDTH = 640;
  static final int HEIGHT = 220;
  private static final int LEFT = 44;
  private static final int RIGHT = 110;
  private static final int TOP = 14;
  private static final int BOTTOM = 30;

  /** One line: its name (for the legend), colour, whether dashed, marker ("circle" or "square") and points. */
  record Series(String name, String colour, boolean dashed, String marker, List<Value> values) {}

  /** One value on one day. */
  record Value(LocalDate date, BigDecimal number) {}

  /** A horizontal line at {@code value}, labelled e.g. "180 uncontrolled". */
  record Threshold(double value, String label, String colour) {}

  private final String id;
  private final String title;
  private final String description;
  private final double yMin;
  private final double yMax;
  private final List<Series> series = new ArrayList<>();
  private final List<Threshold> thresholds = new ArrayList<>();

  SvgLineChart(String id, String title, String description, double yMin, double yMax) {
    this.id = id;
    this.title = title;
    this.description = description;
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
    java.util.function.DoubleUnaryOperator y = v -> TOP + plotHeight * (top - v) / (top - bottom);
    java.util.function.ToDoubleFunction<LocalDate> x = d -> dates.size() < 2 || first.equals(last)
        ? LEFT + plotWidth / 2.0 : LEFT + plotWidth * (double) ChronoUnit.DAYS.between(first, d) / span;

    StringBuilder svg = new StringBuilder(2048);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .append(WIDTH).append(' ').append(HEIGHT).append("\" aria-labelledby=\"").append(id).append("-title ")
        .append(id).append("-desc\">");
    svg.append("<title id=\"").append(id).append("-title\">").append(escape(title)).append("</title>");
    svg.append("<desc id=\"").append(id).append("-desc\">").append(escape(description)).append("</desc>");
    // axes and a few gridlines with their values
    svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "#595959", false));
    svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#595959", false));
    for (int i = 0; i <= 4; i++) {
      double value = bottom + (top - bottom) * i / 4;
      double gy = y.applyAsDouble(value);
      svg.append(line(LEFT - 4, gy, LEFT + plotWidth, gy, "#dddddd", false));
      svg.append(text(LEFT - 6, gy + 4, "end", format(value), "#333333"));
    }
    svg.append(text(LEFT, HEIGHT - 8, "start", first.toString(), "#333333"));
    if (!last.equals(first)) {
      svg.append(text(LEFT + plotWidth, HEIGHT - 8, "end", last.toString(), "#333333"));
    }
    for (Threshold t : thresholds) {
      double ty = y.applyAsDouble(t.value());
      svg.append(line(LEFT, ty, LEFT + plotWidth, ty, t.colour(), true));
      svg.append(text(LEFT + plotWidth + 4, ty + 4, "start", t.label(), t.colour()));
    }
    int legendY = TOP + plotHeight - 4;
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
        svg.append(marker(s, x.applyAsDouble(v.date()), y.applyAsDouble(v.number().doubleValue())));
      }
      svg.append(marker(s, LEFT + plotWidth + 10, legendY - 4));
      svg.append(text(LEFT + plotWidth + 18, legendY, "start", s.name(), "#222222"));
      legendY -= 16;
    }
    svg.append("</svg>");
    return svg.toString();
  }

  private static String marker(Series s, double cx, double cy) {
    if ("square".equals(s.marker())) {
      return "<rect x=\"" + num(cx - 4) + "\" y=\"" + num(cy - 4) + "\" width=\"8\" height=\"8\" fill=\""
          + s.colour() + "\"/>";
    }
    return "<circle cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"4\" fill=\"" + s.colour() + "\"/>";
  }

  private static String line(double x1, double y1, double x2, double y2, String colour, boolean dashed) {
    return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2)
        + "\" stroke=\"" + colour + "\"" + (dashed ? " stroke-dasharray=\"4 4\" stroke-width=\"1.5\"" : "") + "/>";
  }

  private static String text(double tx, double ty, String anchor, String content, String colour) {
    return "<text x=\"" + num(tx) + "\" y=\"" + num(ty) + "\" text-anchor=\"" + anchor + "\" font-size=\"11\" fill=\""
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
