package org.ketamineadvisor.advisor.screen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ketamineadvisor.advisor.assessment.Verdict;

/**
 * summary.html: the screen's result on one page a pain-service lead can read and forward: how many patients, how
 * many could be treated, what decided the others, with a bar chart. Self-contained (inline CSS and SVG; no script,
 * no font, no image from elsewhere), so it opens offline and leaks nothing; every text is HTML-escaped.
 */
final class SummaryPage {

  private static final int BAR_WIDTH = 420;

  private SummaryPage() {}

  static void write(ScreenSummary s, Path folder) throws IOException {
    Path part = OwnerOnlyFiles.newPartFile(folder, "summary");
    try (BufferedWriter out = OwnerOnlyFiles.writer(part)) {
      out.write(html(s));
    }
    OwnerOnlyFiles.moveOver(part, folder.resolve("summary.html"));
  }

  /** A bar of the chart: what, how many, its colour. */
  private record Bar(String label, long count, String colour) {
  }

  static String html(ScreenSummary s) {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Ketamine infusion screening as of ").append(escape(s.asOf().toString())).append("</title>\n")
        .append("<style>\n")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:1.5rem auto;")
        .append("max-width:60rem;padding:0 1rem;color:#1d2330;line-height:1.45}\n")
        .append("h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}\n")
        .append(".lead{color:#4a5263;margin:0 0 1rem}\n")
        .append(".tiles{display:flex;flex-wrap:wrap;gap:.75rem}\n")
        .append(".tile{border:1px solid #d5d9e2;border-radius:6px;padding:.5rem .9rem;min-width:9rem}\n")
        .append(".tile b{display:block;font-size:1.6rem}\n")
        .append("table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;")
        .append("border-bottom:1px solid #e3e6ec;vertical-align:top}td.n,th.n{text-align:right}\n")
        .append(".note{background:#fff8e1;border-left:4px solid #e0a800;padding:.6rem .9rem}\n")
        .append("code{font-size:.9em}svg text{font:13px system-ui,Arial,sans-serif;fill:#1d2330}\n")
        .append("</style></head><body>\n");
    h.append("<h1>Ketamine infusion screening</h1>\n<p class=\"lead\">As of ").append(escape(s.asOf().toString()))
        .append(" · ").append(s.patients()).append(" patients screened in ").append(escape(Screening.seconds(s.took())))
        .append("</p>\n");
    long onList = s.verdicts().get(Verdict.SUITABLE) + s.verdicts().get(Verdict.SUITABLE_WITH_PRECAUTIONS)
        + s.verdicts().get(Verdict.NEEDS_INFORMATION);
    if (!s.typesNotExported().isEmpty()) {
      h.append("<p class=\"note\"><b>Incomplete export:</b> the server's export did not include ")
          .append(escape(String.join(", ", s.typesNotExported())))
          .append(". The rules that read these are <b>not known</b> for every assessed patient, so fewer patients "
              + "may be suitable than this page shows as needing information; export them and screen again.</p>\n");
    }
    h.append("<div class=\"tiles\">")
        .append(tile("patients screened", s.patients()))
        .append(tile("with a neuropathic pain condition (assessed)", s.assessed()))
        .append(tile("on the worklist", onList))
        .append(tile("input problems", s.problems()))
        .append("</div>\n");

    h.append("<h2>Verdicts</h2>\n");
    List<Bar> bars = List.of(
        new Bar("Suitable", s.verdicts().get(Verdict.SUITABLE), "#2e7d32"),
        new Bar("Suitable with precautions", s.verdicts().get(Verdict.SUITABLE_WITH_PRECAUTIONS), "#7cb342"),
        new Bar("Needs information", s.verdicts().get(Verdict.NEEDS_INFORMATION), "#f9a825"),
        new Bar("Contraindicated", s.verdicts().get(Verdict.CONTRAINDICATED), "#c62828"),
        new Bar("Not indicated (assessed)", s.verdicts().get(Verdict.NOT_INDICATED), "#78909c"),
        new Bar("Not indicated: no neuropathic pain condition", s.notIndicatedUnassessed(), "#b0bec5"));
    h.append(chart(bars));
    h.append("<table><tr><th>Verdict</th><th class=\"n\">Patients</th></tr>\n");
    for (Bar bar : bars) {
      h.append("<tr><td>").append(escape(bar.label())).append("</td><td class=\"n\">").append(bar.count())
          .append("</td></tr>\n");
    }
    if (s.failures() > 0 || s.unread() > 0) {
      h.append("<tr><td>Could not be assessed (see problems.txt)</td><td class=\"n\">")
          .append(s.failures() + s.unread()).append("</td></tr>\n");
    }
    h.append("<tr><th>Total</th><th class=\"n\">").append(s.patients()).append("</th></tr></table>\n");

    h.append("<h2>What decided the verdicts</h2>\n<table><tr><th>Rule</th><th>Meaning</th>")
        .append("<th class=\"n\">Patients</th></tr>\n");
    for (ScreenSummary.ReasonCount r : s.reasons()) {
      h.append("<tr><td><code>").append(escape(r.rule())).append("</code> ").append(escape(r.outcome()))
          .append("</td><td>").append(escape(r.words())).append("</td><td class=\"n\">").append(r.patients())
          .append("</td></tr>\n");
    }
    h.append("</table>\n<p>A patient with two deciding findings counts under both.</p>\n");

    h.append("<h2>How to read this</h2>\n<p class=\"note\">Only patients with a neuropathic pain condition in their "
        + "record (any status, any date) were assessed, by the same rules as a single assessment. Everyone else is "
        + "counted as <b>not indicated</b> without looking further. A single assessment of such a patient would say "
        + "<b>contraindicated</b> when the record also holds a contraindication (for example a psychotic disorder), "
        + "because contraindications come first in the rules; for a worklist, the missing indication is the reason "
        + "that matters.</p>\n");
    h.append("<p>worklist.csv lists the suitable patients first, then those suitable with precautions, then those "
        + "needing information with what is missing. screen.ndjson has every assessed patient's findings.</p>\n");

    h.append("<h2>Inputs</h2>\n<ul>");
    for (String input : s.inputs()) {
      h.append("<li><code>").append(escape(input)).append("</code></li>");
    }
    h.append("</ul>\n<p>").append(s.problems()).append(" input problem(s), ").append(s.warnings())
        .append(" warning(s) about assessed records; see problems.txt. Census ")
        .append(escape(Screening.seconds(s.census()))).append(", total ").append(escape(Screening.seconds(s.took())))
        .append(".</p>\n</body></html>\n");
    return h.toString();
  }

  private static String tile(String label, long count) {
    return "<div class=\"tile\"><b>" + count + "</b>" + escape(label) + "</div>";
  }

  /** A horizontal bar chart; a bar that is not zero is at least 2 px wide, so that it shows. */
  private static String chart(List<Bar> bars) {
    long max = Math.max(1, bars.stream().mapToLong(Bar::count).max().orElse(1));
    int labelWidth = 300;
    int rowHeight = 26;
    int width = labelWidth + BAR_WIDTH + 80;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg role=\"img\" width=\"").append(width)
        .append("\" height=\"").append(bars.size() * rowHeight + 8).append("\" viewBox=\"0 0 ").append(width)
        .append(' ').append(bars.size() * rowHeight + 8).append("\"><title>Patients by verdict</title>\n");
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = i * rowHeight + 4;
      long length = bar.count() == 0 ? 0 : Math.max(2, Math.round((double) bar.count() / max * BAR_WIDTH));
      rows.add(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%d\" "
              + "height=\"18\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%d</text>", y + 14, escape(bar.label()),
          labelWidth, y, length, bar.colour(), labelWidth + length + 6, y + 14, bar.count()));
    }
    svg.append(String.join("\n", rows)).append("\n</svg>\n");
    return svg.toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
