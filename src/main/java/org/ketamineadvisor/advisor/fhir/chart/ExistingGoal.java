package org.ketamineadvisor.advisor.fhir.chart;

/**
 * A Goal this app wrote with a signed plan (§ 8.3), as the chart holds it now: its id ("Goal/7") and version (for
 * If-Match), lifecycle and achievement status, its description in words, and how many outcome references (pain
 * scores of confirmed follow-ups) it holds.
 */
public record ExistingGoal(String id, String version, String lifecycle, String achievement, String description,
    int outcomes)
    implements java.io.Serializable {

  public ExistingGoal {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("an existing goal needs its id");
    }
  }
}
