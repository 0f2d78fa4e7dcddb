package org.ketamineadvisor.advisor.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp;
import org.ketamineadvisor.advisor.course.CourseProgress;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.fhir.chart.ActiveCourse;
import org.ketamineadvisor.advisor.workspace.ClinicDay;
import org.ketamineadvisor.advisor.workspace.ClinicDay.Group;
import org.ketamineadvisor.advisor.workspace.ClinicDay.Row;

/**
 * The clinic's list as the page shows it: one table per group (today, tomorrow, follow-ups due this week, courses
 * ended, the other active courses), each row a patient with its cells as words and a sort key per cell (the page's
 * script sorts by them; without it the rows stay in name order), what could not be read for it, and what the page
 * as a whole could not read ({@code problems}: a list that is not complete says so).
 */
record ClinicPage(String today, String zone, List<Table> tables, List<String> problems, boolean complete,
    int courses) {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
  private static final List<String> VITAL_CHECKS = List.of("DAY-BP", "DAY-HR", "DAY-SPO2");

  /** A column: its heading and how its sort keys compare ({@code text} or {@code number}). */
  record Column(String label, String type) {}

  /** One cell: its words, its sort key, and a CSS class ({@code go}, {@code hold}, or empty). */
  record Cell(String text, String sortKey, String css) {}

  /** One patient's row: who, the cells after the name, and what could not be read (null when everything was). */
  record RowView(String patientId, String name, String born, List<Cell> cells, String problem) {}

  /** One group's table: an id for the page's anchors and tests, its title, columns (after Patient) and rows. */
  record Table(String id, String title, String empty, List<Column> columns, List<RowView> rows) {

    /** The title without its dates, for the page's links to the groups. */
    public String shortTitle() {
      int cut = title.indexOf(',') >= 0 ? title.indexOf(',') : title.indexOf(" (");
      return cut < 0 ? title : title.substring(0, cut);
    }
  }

  ClinicPage {
    tables = List.copyOf(tables);
    problems = List.copyOf(problems);
  }

  /** Nothing could be read: only what the page could not read. */
  static ClinicPage unreadable(LocalDate today, List<String> problems) {
    return new ClinicPage(DAY.format(today), null, List.of(), problems, false, 0);
  }

  /** The page of a day as read, with what the scopes did not allow ({@code limitations}). */
  static ClinicPage of(ClinicDay.Day day, ZoneId zone, List<String> limitations) {
    List<String> problems = new ArrayList<>(limitations);
    if (day.problem() != null) {
      problems.add(0, "The clinic's list could not be read: " + day.problem()
          + ". Reload the page to try again; the list below is not complete.");
      return new ClinicPage(DAY.format(day.today()), zoneName(zone), List.of(), problems, false, 0);
    }
    Map<Group, List<Row>> byGroup = new EnumMap<>(Group.class);
    for (Group group : Group.values()) {
      byGroup.put(group, new ArrayList<>());
    }
    List<Row> unread = new ArrayList<>();
    day.rows().forEach(row -> (row.unread() ? unread : byGroup.get(row.group())).add(row));
    byGroup.values().forEach(rows -> rows.sort(Comparator.comparing(ClinicPage::sortName)));
    unread.sort(Comparator.comparing(ClinicPage::sortName));
    if (!unread.isEmpty()) {
      problems.add(0, unread.size() + (unread.size() == 1 ? " course" : " courses") + " could not be read: their "
          + "checks, follow-ups and standing are unknown (see \u201cCould not be read\u201d).");
    }
    int missing = unread.size();
    List<Table> tables = new ArrayList<>();
    if (!unread.isEmpty()) {
      // first: a nurse must see the courses the list knows nothing about before the groups that look complete
      tables.add(new Table("unread", "Could not be read", "",
          List.of(new Column("Where the plan puts it", "text")),
          unread.stream().map(r -> row(r, List.of(cell(planned(r.group()), r.group().name())))).toList()));
    }
    tables.addAll(List.of(
        new Table("today", "Today, " + DAY.format(day.today()), empty("No session today.", missing),
            List.of(new Column("Session", "number"), new Column("Decision", "text"),
                new Column("Deciding reading", "text"), new Column("Time", "text")),
            byGroup.get(Group.TODAY).stream().map(r -> today(r, zone, day.today())).toList()),
        new Table("tomorrow", "Tomorrow, " + DAY.format(day.today().plusDays(1)),
            empty("No session tomorrow.", missing),
            List.of(new Column("Session", "number")),
            byGroup.get(Group.TOMORROW).stream().map(r -> tomorrow(r, day.today().plusDays(1))).toList()),
        new Table("follow-ups", "Follow-ups due this week (" + DAY.format(day.weekStart()) + " to "
            + DAY.format(day.weekEnd()) + ")", empty("No follow-up due this week.", missing),
            List.of(new Column("Follow-up", "text"), new Column("Due", "text"), new Column("Score", "number"),
                new Column("Reduction", "number"), new Column("Response", "text")),
            byGroup.get(Group.FOLLOW_UP_DUE).stream().map(r -> followUp(r, day)).toList()),
        new Table("ended", "Courses ended, standing to confirm",
            empty("No course waits for its standing.", missing),
            List.of(new Column("Standing", "text"), new Column("12-week score", "number"),
                new Column("Sessions given", "number")),
            byGroup.get(Group.ENDED).stream().map(ClinicPage::ended).toList()),
        new Table("other", "Other active courses", empty("No other active course.", missing),
            List.of(new Column("Next", "text"), new Column("Sessions", "number")),
            byGroup.get(Group.IN_COURSE).stream().map(r -> other(r, day.today())).toList())));
    return new ClinicPage(DAY.format(day.today()), zoneName(zone), tables, problems,
        limitations.isEmpty() && unread.isEmpty(), day.rows().size());
  }

  /** An empty group's words: they claim nothing when some courses could not be read (one may belong here). */
  private static String empty(String none, int unread) {
    return unread == 0 ? none : none.substring(0, none.length() - 1) + " among the courses read; " + unread
        + (unread == 1 ? " course" : " courses") + " could not be read and may belong here.";
  }

  /** Where the plan alone puts a course that could not be read, in the page's words. */
  private static String planned(Group group) {
    return switch (group) {
      case TODAY -> "a session today";
      case TOMORROW -> "a session tomorrow";
      default -> "no session today or tomorrow";
    };
  }

  /** What to say when the list is empty: "No active courses" only when the list is complete. */
  public String emptyMessage() {
    if (courses > 0) {
      return null;
    }
    return complete ? "No active courses." : "No active course could be listed: see above what could not be read.";
  }

  private static String sortName(Row row) {
    String name = row.course().name();
    return (name == null ? "~" : name.toLowerCase(Locale.ROOT)) + " " + row.course().patientId();
  }

  private static RowView row(Row row, List<Cell> cells) {
    return row(row, cells, null);
  }

  /** The row with what the page itself adds to what could not be read ({@code note}, or null). */
  private static RowView row(Row row, List<Cell> cells, String note) {
    ActiveCourse course = row.course();
    String problem = row.problem() == null ? note : note == null ? row.problem() : row.problem() + "; " + note;
    return new RowView(course.patientId(), course.name() == null ? "Patient " + course.patientId() + " (name not shown)" : course.name(),
        course.birthDate() == null ? "born: not recorded" : "born " + course.birthDate(), cells, problem);
  }

  private static RowView today(Row row, ZoneId zone, LocalDate today) {
    DayCheck check = row.check();
    if (check == null) {
      // not read: no GO without the check (the row says what could not be read); sorts with the holds, first
      List<LocalDate> sessions = row.course().plan().sessions();
      int n = sessions.indexOf(today) + 1;
      return row(row, List.of(cell(n + " of " + sessions.size(), pad(n)), cell("not checked", "0", "hold"),
          cell("—", ""), cell("—", "")));
    }
    Cell session = cell(check.session() + " of " + check.sessions(), pad(check.session()));
    if (check.decision() == DayCheck.Decision.NOT_A_SESSION_DAY) {
      // neither GO nor HOLD: the chart's plan does not list today, which the clinic must look at
      return row(row, List.of(session, cell("not a session day in the chart", "2"), cell("—", ""), cell("—", "")),
          "the chart's plan does not list today as a session day: not checked");
    }
    boolean noVitals = check.checks().stream()
        .filter(c -> VITAL_CHECKS.contains(c.id())).allMatch(c -> c.readAt() == null);
    Cell decision = check.holds() ? cell("HOLD", "1", "hold") : go(check);
    // a hold from another check (a new contraindication, the pregnancy test) comes before the vital signs
    List<DayCheck.Check> holding = check.checks().stream()
        .filter(c -> c.result() == DayCheck.Result.HOLD)
        .sorted(Comparator.comparing(c -> VITAL_CHECKS.contains(c.id()))).toList();
    List<DayCheck.Check> otherHolds = holding.stream().filter(c -> !VITAL_CHECKS.contains(c.id())).toList();
    DayCheck.Check deciding = check.holds() ? holding.stream().findFirst().orElse(null)
        : check.checks().stream().filter(c -> "DAY-BP".equals(c.id())).findFirst().orElse(null);
    String reading;
    Instant at = null;
    if (noVitals) {
      List<String> said = new ArrayList<>(otherHolds.stream().map(ClinicPage::reading).toList());
      said.add("no vital signs yet");
      reading = String.join("; ", said);
      at = otherHolds.isEmpty() ? null : otherHolds.get(0).readAt();
    } else if (deciding == null) {
      reading = "—";
    } else {
      reading = reading(deciding);
      at = deciding.readAt();
    }
    Cell when = at == null ? cell("—", "") : cell(TIME.format(at.atZone(zone)), at.toString());
    return row(row, List.of(session, decision, cell(reading, reading), when));
  }

  /** The reading names itself ("BP 188/102 mmHg"); a check without one says which reading is missing. */
  private static String reading(DayCheck.Check check) {
    return check.reading() != null ? check.reading() : check.title() + ": no reading";
  }

  /** GO, with the cautions (e.g. the day's weight) the nurse must see before starting. */
  private static Cell go(DayCheck check) {
    List<String> cautions = check.checks().stream().filter(c -> c.result() == DayCheck.Result.CAUTION)
        .map(c -> c.reading() != null ? c.title() + ": " + c.reading() : c.title()).toList();
    return cautions.isEmpty() ? cell("GO", "3", "go")
        : cell("GO (caution: " + String.join("; ", cautions) + ")", "3", "go");
  }

  private static RowView tomorrow(Row row, LocalDate tomorrow) {
    List<LocalDate> sessions = row.course().plan().sessions();
    int n = sessions.indexOf(tomorrow) + 1;
    return row(row, List.of(cell(n + " of " + sessions.size(), pad(n))));
  }

  private static RowView followUp(Row row, ClinicDay.Day day) {
    CourseProgress progress = row.progress();
    if (progress == null) {
      return row(row, List.of(cell("—", ""), cell("—", ""), cell("—", ""), cell("—", ""), cell("—", "")));
    }
    // the follow-up to act on: one waiting for confirmation, else the one due this week
    FollowUp shown = progress.followUps().stream().filter(f -> f.score() != null && !row.recorded(f)).findFirst()
        .orElse(progress.followUps().stream()
            .filter(f -> !f.due().isBefore(day.weekStart()) && !f.due().isAfter(day.weekEnd()))
            .findFirst().orElse(progress.followUps().get(0)));
    String response = shown.response() == null ? "—" : shown.response().words();
    if (shown.score() != null) {
      response += row.recorded(shown) ? " (recorded)" : " — waiting for confirmation";
    }
    return row(row, List.of(
        cell(shown.weeks() + (shown.weeks() == 1 ? " week" : " weeks"), pad(shown.weeks())),
        cell(shown.due().toString(), shown.due().toString()),
        shown.score() == null ? cell("not yet", "")
            : cell(shown.score().stripTrailingZeros().toPlainString() + " on " + shown.scoreDate(),
                shown.score().toPlainString()),
        shown.reductionPercent() == null ? cell("—", "")
            : cell(shown.reductionPercent().toPlainString() + " %", shown.reductionPercent().toPlainString()),
        cell(response, response, shown.score() != null && !row.recorded(shown) ? "hold" : "")));
  }

  private static RowView ended(Row row) {
    CourseProgress progress = row.progress();
    if (progress == null) {
      return row(row, List.of(cell("—", ""), cell("—", ""), cell("—", "")));
    }
    FollowUp twelve = progress.followUps().stream().filter(f -> f.weeks() == 12).findFirst().orElse(null);
    String standing = standingWords(progress.standing())
        + (row.waitsForConfirmation() ? " — waiting for confirmation" : "");
    return row(row, List.of(
        cell(standing, standing, progress.standing().code()),
        twelve == null || twelve.score() == null ? cell("none", "")
            : cell(twelve.score().stripTrailingZeros().toPlainString() + " on " + twelve.scoreDate()
                + (twelve.reductionPercent() == null ? "" : " (" + twelve.reductionPercent().toPlainString() + " %)"),
                twelve.score().toPlainString()),
        cell(progress.sessionsGiven() + " of " + progress.sessions(), pad(progress.sessionsGiven()))));
  }

  private static RowView other(Row row, LocalDate today) {
    List<LocalDate> sessions = row.course().plan().sessions();
    LocalDate next = sessions.stream().filter(d -> d.isAfter(today)).findFirst().orElse(null);
    CourseProgress progress = row.progress();
    Cell nextCell;
    if (next != null) {
      nextCell = cell("session " + (sessions.indexOf(next) + 1) + " on " + DAY.format(next), next.toString());
    } else if (progress != null && !progress.followUps().isEmpty()) {
      FollowUp due = progress.followUps().stream().filter(f -> !f.due().isBefore(today)).findFirst().orElse(null);
      nextCell = due == null ? cell("following up", "9999")
          : cell(due.weeks() + "-week follow-up on " + DAY.format(due.due()), due.due().toString());
    } else {
      nextCell = cell(sessions.isEmpty() ? "session days not listed" : "following up", "9999");
    }
    String given = progress == null ? sessions.size() + " planned"
        : progress.sessionsGiven() + " of " + progress.sessions() + " given";
    return row(row, List.of(nextCell, cell(given, pad(progress == null ? sessions.size() : progress.sessionsGiven()))));
  }

  private static Cell cell(String text, String sortKey) {
    return new Cell(text, sortKey, "");
  }

  private static Cell cell(String text, String sortKey, String css) {
    return new Cell(text, sortKey, css);
  }

  private static String pad(int number) {
    return String.format(Locale.ROOT, "%04d", number);
  }

  /** "UTC" for UTC (not the offset's "Z"), else the region id (Europe/Zurich) a clinician recognises. */
  static String zoneName(ZoneId zone) {
    return zone.normalized().equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId();
  }

  /** The 12-week standing in a nurse's words (the page's sentence is longer; the code stays the CSS class). */
  static String standingWords(org.ketamineadvisor.advisor.course.CourseOutcome.Standing standing) {
    return switch (standing) {
      case RESPONDER -> "responder (pain at least 30 % lower)";
      case NON_RESPONDER -> "no response (less than 30 % lower)";
      case NOT_COMPUTABLE -> "not computable (baseline 0)";
      case UNKNOWN -> "unknown: no pain score in the 12-week window";
      case PENDING -> "12-week follow-up not done yet";
    };
  }
}
