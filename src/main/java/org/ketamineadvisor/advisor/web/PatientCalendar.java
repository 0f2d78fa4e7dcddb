package org.ketamineadvisor.advisor.web;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import biweekly.property.DateStart;
import biweekly.util.ICalDate;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;

/**
 * The signed plan's sessions and follow-ups as an iCalendar file (RFC 5545) the clinic can give the patient: one
 * all-day event per date (the app schedules days, the clinic books the hour), with what to bring and what not to
 * do. No identifier of the patient is in it; each event's UID is stable, so importing it again updates the events.
 */
final class PatientCalendar {

  private PatientCalendar() {}

  static String ics(ExistingPlan plan) {
    ICalendar calendar = new ICalendar();
    calendar.setProductId("-//Ketamine Infusion Advisor//Session calendar//EN");
    calendar.setName("Ketamine infusion course");
    String uid = plan.id().replace('/', '-');
    List<LocalDate> sessions = plan.sessions();
    for (int i = 0; i < sessions.size(); i++) {
      VEvent event = event(sessions.get(i), uid + "-session-" + (i + 1));
      event.setSummary("Ketamine infusion: session " + (i + 1) + " of " + sessions.size());
      event.setDescription("At the pain clinic. After the infusion you stay at least 60 minutes for observation. "
          + "An adult must take you home, and you must not drive for 24 hours.");
      calendar.addEvent(event);
    }
    List<String> weeks = List.of("1 week", "4 weeks", "12 weeks");
    for (int i = 0; i < plan.followUps().size(); i++) {
      VEvent event = event(plan.followUps().get(i), uid + "-follow-up-" + (i + 1));
      event.setSummary("Pain follow-up" + (i < weeks.size() ? " (" + weeks.get(i) + " after the course)" : ""));
      event.setDescription("Your pain score (0 to 10) is asked, to see whether the course helped.");
      calendar.addEvent(event);
    }
    return Biweekly.write(calendar).go();
  }

  private static VEvent event(LocalDate day, String uid) {
    VEvent event = new VEvent();
    event.setUid(uid + "@ketamine-advisor");
    Date start = Date.from(day.atStartOfDay(ZoneId.systemDefault()).toInstant());
    event.setDateStart(new DateStart(new ICalDate(start, false)));
    return event;
  }
}
