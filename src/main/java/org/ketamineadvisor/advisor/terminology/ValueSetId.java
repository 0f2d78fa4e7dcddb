package org.ketamineadvisor.advisor.terminology;

/**
 * The value sets the rules use. The id is the file name in terminology/ (the repository's code lists) and the last part of
 * the ValueSet's canonical URL in fhir-profiles.
 */
public enum ValueSetId {
  NEUROPATHIC_PAIN_INDICATIONS("neuropathic-pain-indications"),
  PSYCHOTIC_DISORDERS("psychotic-disorders"),
  BIPOLAR_DISORDERS("bipolar-disorders"),
  HYPERTENSION("hypertension"),
  HEART_FAILURE("heart-failure"),
  UNSTABLE_ANGINA("unstable-angina"),
  MYOCARDIAL_INFARCTION("myocardial-infarction"),
  STABLE_CARDIOVASCULAR_DISEASE("stable-cardiovascular-disease"),
  ARRHYTHMIA("arrhythmia"),
  CEREBROVASCULAR_ACCIDENT("cerebrovascular-accident"),
  PREGNANCY("pregnancy"),
  HCG_TESTS("hcg-tests"),
  SEVERE_HEPATIC_DISEASE("severe-hepatic-disease"),
  LIVER_DISEASE("liver-disease"),
  SUBSTANCE_USE_DISORDERS("substance-use-disorders"),
  GLAUCOMA("glaucoma"),
  INTRACRANIAL_HYPERTENSION("intracranial-hypertension"),
  HYPERTHYROIDISM("hyperthyroidism"),
  FIRST_LINE_NEUROPATHIC_AGENTS("first-line-neuropathic-agents"),
  OPIOIDS("opioids"),
  BENZODIAZEPINES("benzodiazepines"),
  CNS_DEPRESSANTS("cns-depressants"),
  SYMPATHOMIMETICS("sympathomimetics"),
  MAOIS("maois"),
  XANTHINES("xanthines"),
  KETAMINE("ketamine"),
  OBSERVATION_CODES("observation-codes");

  public static final String CANONICAL_BASE = "https://ketamine-advisor.org/fhir/ValueSet/";

  private final String id;

  ValueSetId(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public String canonicalUrl() {
    return CANONICAL_BASE + id;
  }

  public static ValueSetId fromId(String id) {
    for (ValueSetId v : values()) {
      if (v.id.equals(id)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown value set '" + id + "'");
  }
}
