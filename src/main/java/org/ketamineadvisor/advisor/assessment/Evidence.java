package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects what one rule's outcome rests on: references, the sentences for its detail, the newest date. */
final class Evidence {

  private static final int SENTENCES_SHOWN = 3;
  private static final Comparator<LocalDate> NEWEST_FIRST = Comparator.nullsLast(Comparator.reverseOrder());

  private final Set<String> references = new LinkedHashSet<>();
  private final List<String> sentences = new ArrayList<>();
  private LocalDate newest;

  /** Adds a record; a null sentence adds a reference that another sentence already speaks for. */
  Evidence add(String reference, String sentence, LocalDate date) {
    if (reference != null) {
      references.add(reference);
    }
    if (sentence != null) {
      sentences.add(sentence);
    }
    newest = EvidenceText.newest(newest, date);
    return this;
  }

  /** Adds the conditions, newest first, each followed by {@code note} (may be empty). */
  Evidence addConditions(List<PresentCondition> conditions, String note) {
    conditions.stream().sorted(Comparator.comparing(PresentCondition::date, NEWEST_FIRST))
        .forEach(c -> add(c.reference(), c.describe() + note, c.date()));
    return this;
  }

  Evidence addConditions(List<PresentCondition> conditions) {
    return addConditions(conditions, "");
  }

  /** Adds the medications, newest first. */
  Evidence addMedications(List<MedicationUse> medications) {
    medications.stream().sorted(Comparator.comparing(MedicationUse::date, NEWEST_FIRST))
        .forEach(m -> add(m.reference(), m.describe(), m.date()));
    return this;
  }

  boolean isEmpty() {
    return sentences.isEmpty() && references.isEmpty();
  }

  List<String> references() {
    return List.copyOf(references);
  }

  LocalDate newest() {
    return newest;
  }

  /** Up to three sentences joined, with how many more records say the same. */
  String detail() {
    String shown = String.join("; ", sentences.subList(0, Math.min(SENTENCES_SHOWN, sentences.size())));
    int more = sentences.size() - SENTENCES_SHOWN;
    return more > 0 ? shown + " (and " + more + " more)" : shown;
  }
}
