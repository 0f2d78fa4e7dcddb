package org.ketamineadvisor.advisor.assessment;

/** The risks of CLINICAL-RULES § 4. */
public enum Risk {
  CARDIOVASCULAR("cardiovascular", "Cardiovascular"),
  RESPIRATORY_DEPRESSION("respiratory-depression", "Respiratory depression"),
  PSYCHOTOMIMETIC("psychotomimetic", "Psychotomimetic"),
  HEPATOTOXICITY("hepatotoxicity", "Hepatotoxicity");

  private final String code;
  private final String display;

  Risk(String code, String display) {
    this.code = code;
    this.display = display;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  /** Qualitative risk, coded in http://terminology.hl7.org/CodeSystem/risk-probability. */
  public enum Level {
    LOW("low"), MODERATE("moderate"), HIGH("high");

    private final String code;

    Level(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
