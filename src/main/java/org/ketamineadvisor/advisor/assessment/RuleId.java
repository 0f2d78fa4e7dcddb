package org.ketamineadvisor.advisor.assessment;

/** The rule ids of CLINICAL-RULES § 2 (stable contracts), with their category, title, mitigation and source. */
public enum RuleId {
  IND_LIVING("IND-LIVING", Category.INDICATION, "Patient is living", null, "design"),
  IND_ADULT("IND-ADULT", Category.INDICATION, "Adult (18 years or older)", null, "AHRQ PMS; CDC opioid CDS"),
  IND_NEUROPATHIC("IND-NEUROPATHIC", Category.INDICATION, "Active neuropathic pain condition", null, "ASRA 2018"),
  IND_PRIOR_THERAPY("IND-PRIOR-THERAPY", Category.INDICATION,
      "First-line neuropathic agent tried (gabapentinoid, TCA or SNRI)", null, "NeuPSIG 2015; ASA 2023"),

  CI_PSYCHOSIS("CI-PSYCHOSIS", Category.CONTRAINDICATION, "Psychotic disorder (active or history)", null,
      "Seed article; ASRA 2018"),
  CI_UNCONTROLLED_HTN("CI-UNCONTROLLED-HTN", Category.CONTRAINDICATION,
      "Uncontrolled hypertension (latest BP > 180/100 mmHg)", null, "Swiss label; seed article"),
  CI_CARDIOVASCULAR("CI-CARDIOVASCULAR", Category.CONTRAINDICATION,
      "Heart failure, unstable angina, or MI/stroke within 180 days", null, "ASRA 2018; UK label"),
  CI_PREGNANCY("CI-PREGNANCY", Category.CONTRAINDICATION, "Pregnancy", null, "ASRA 2018; AHRQ PMS"),
  CI_SEVERE_HEPATIC("CI-SEVERE-HEPATIC", Category.CONTRAINDICATION,
      "Severe hepatic disease or ALT/AST at least 3 x upper limit of normal", null, "ASRA 2018; FDA DILI 2009"),
  CI_SUBSTANCE_USE("CI-SUBSTANCE-USE", Category.CONTRAINDICATION, "Active substance use disorder", null,
      "ASRA 2018"),
  CI_XANTHINE("CI-XANTHINE", Category.CONTRAINDICATION, "Current theophylline or aminophylline", null,
      "US label 7.1"),
  CI_KETAMINE_ALLERGY("CI-KETAMINE-ALLERGY", Category.CONTRAINDICATION, "Ketamine hypersensitivity", null,
      "US label"),

  PR_HYPERTENSION("PR-HYPERTENSION", Category.PRECAUTION, "Hypertension or BP at least 140/90 mmHg",
      "BP before, every 15 minutes during, and after each infusion", "Swiss label; ASRA 2018"),
  PR_CARDIOVASCULAR("PR-CARDIOVASCULAR", Category.PRECAUTION,
      "Stable cardiovascular disease, arrhythmia, or MI/stroke more than 180 days ago",
      "Baseline ECG; continuous ECG during infusion", "ASRA 2018"),
  PR_TACHYCARDIA("PR-TACHYCARDIA", Category.PRECAUTION, "Heart rate above 100 /min", "Heart-rate monitoring",
      "US label 5"),
  PR_HEPATIC("PR-HEPATIC", Category.PRECAUTION, "Liver disease or ALT/AST above upper limit of normal",
      "Liver tests before and after the course", "ASRA 2018; Noppers 2011"),
  PR_SUBSTANCE_HISTORY("PR-SUBSTANCE-HISTORY", Category.PRECAUTION, "History of substance use disorder",
      "Universal precautions; no take-home ketamine", "ASRA 2018"),
  PR_BIPOLAR("PR-BIPOLAR", Category.PRECAUTION, "Bipolar disorder",
      "Psychiatric review; watch for emergence reactions", "ASRA 2018"),
  PR_ELEVATED_IOP("PR-ELEVATED-IOP", Category.PRECAUTION, "Glaucoma or intraocular pressure above 21 mmHg",
      "Lower dose, extreme caution", "ASRA 2018"),
  PR_INTRACRANIAL("PR-INTRACRANIAL", Category.PRECAUTION, "Intracranial hypertension",
      "Lower dose, extreme caution", "ASRA 2018"),
  PR_HYPERTHYROIDISM("PR-HYPERTHYROIDISM", Category.PRECAUTION, "Hyperthyroidism", "BP and heart-rate monitoring",
      "Swiss label"),
  INT_OPIOID("INT-OPIOID", Category.INTERACTION, "Current opioid",
      "Continuous SpO2; additive sedation and respiratory depression", "US label 7.3"),
  INT_BENZODIAZEPINE("INT-BENZODIAZEPINE", Category.INTERACTION, "Current benzodiazepine",
      "Continuous SpO2; additive sedation and respiratory depression", "US label 7.3"),
  INT_CNS_DEPRESSANT("INT-CNS-DEPRESSANT", Category.INTERACTION, "Current CNS depressant",
      "Continuous SpO2; additive sedation and respiratory depression", "US label 7.3"),
  INT_SYMPATHOMIMETIC("INT-SYMPATHOMIMETIC", Category.INTERACTION, "Current sympathomimetic",
      "Close vital-sign monitoring", "US label 7.2"),
  INT_MAOI("INT-MAOI", Category.INTERACTION, "Current MAO inhibitor", "BP monitoring", "Esketamine label"),

  DATA_BP("DATA-BP", Category.DATA, "Blood pressure within 30 days", null, "design"),
  DATA_WEIGHT("DATA-WEIGHT", Category.DATA, "Body weight within 90 days", null, "design"),
  DATA_PAIN_BASELINE("DATA-PAIN-BASELINE", Category.DATA, "Pain score (0-10) within 90 days", null, "IMMPACT"),
  DATA_LFT("DATA-LFT", Category.DATA, "ALT or AST within 90 days", null, "ASRA 2018");

  private final String id;
  private final Category category;
  private final String title;
  private final String mitigation;
  private final String source;

  RuleId(String id, Category category, String title, String mitigation, String source) {
    this.id = id;
    this.category = category;
    this.title = title;
    this.mitigation = mitigation;
    this.source = source;
  }

  /** The stable id, e.g. {@code CI-PSYCHOSIS}. */
  public String id() {
    return id;
  }

  public Category category() {
    return category;
  }

  public String title() {
    return title;
  }

  /**
   * An indication criterion that is not met, named by what is the case ("Not an adult"): an indication's title is a
   * criterion, and shown alone it would read as if it held. Other rules: the title with "not met".
   */
  public String notMetTitle() {
    return switch (this) {
      case IND_LIVING -> "Patient is deceased";
      case IND_ADULT -> "Not an adult (18 or older required)";
      case IND_NEUROPATHIC -> "No active neuropathic pain condition";
      case IND_PRIOR_THERAPY -> "No first-line neuropathic agent tried (gabapentinoid, TCA or SNRI)";
      default -> title + ": not met";
    };
  }

  /** What the care plan carries when this precaution or interaction is met; null for other rules. */
  public String mitigation() {
    return mitigation;
  }

  public String source() {
    return source;
  }

  public static RuleId fromId(String id) {
    for (RuleId r : values()) {
      if (r.id.equals(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown rule id '" + id + "'");
  }

  public enum Category { INDICATION, CONTRAINDICATION, PRECAUTION, INTERACTION, DATA }
}
